interface IssueLike {
  path?: ReadonlyArray<PropertyKey>;
  message?: string;
}

/** Thrown when an event name, envelope or payload does not match the catalog. */
export class EventValidationError extends Error {
  readonly code = 'EVENT_VALIDATION' as const;
  readonly eventName?: string;
  readonly issues: unknown[];

  constructor(message: string, options: { eventName?: string; issues?: unknown[] } = {}) {
    super(message);
    this.name = 'EventValidationError';
    if (options.eventName !== undefined) this.eventName = options.eventName;
    this.issues = options.issues ?? [];
  }
}

/** One line per issue, `path: message`, capped so a huge payload cannot make a huge message. */
export function summarizeIssues(issues: readonly IssueLike[], max = 5): string {
  const lines = issues.slice(0, max).map((issue) => {
    const path = (issue.path ?? []).map(String).join('.');
    return `${path || '(root)'}: ${issue.message ?? 'invalid'}`;
  });
  if (issues.length > max) lines.push(`…and ${issues.length - max} more`);
  return lines.join('; ');
}
