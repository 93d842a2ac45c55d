/** A detector definition that cannot run (missing rules or evaluate, duplicate rule ids, ...). */
export class DetectorDefinitionError extends Error {
  override readonly name = 'DetectorDefinitionError';
}

export interface ParamIssue {
  /** Dotted path of the offending field, e.g. `fast` or `exit.atrMultiple`. */
  path: string;
  message: string;
}

/** Params that fail the detector's schema; `issues` name each field so an API can answer 400. */
export class DetectorParamsError extends Error {
  override readonly name = 'DetectorParamsError';
  constructor(
    readonly detector: string,
    readonly issues: ParamIssue[],
  ) {
    super(
      `Invalid params for detector ${detector}: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`,
    );
  }
}
