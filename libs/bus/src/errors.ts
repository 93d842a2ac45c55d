// One error vocabulary for the bus. `code` is what callers (and the apps' error middleware)
// switch on; the classes exist so `instanceof` works in catch blocks too.
export const BusErrorCode = {
  timeout: 'BUS_TIMEOUT',
  noResponders: 'BUS_NO_RESPONDERS',
  remote: 'BUS_REMOTE_ERROR',
  closed: 'BUS_CLOSED',
  publish: 'BUS_PUBLISH_FAILED',
  invalidOptions: 'BUS_INVALID_OPTIONS',
  invalidMessage: 'BUS_INVALID_MESSAGE',
  handler: 'BUS_HANDLER_FAILED',
} as const;
export type BusErrorCode = (typeof BusErrorCode)[keyof typeof BusErrorCode];

export class BusError extends Error {
  readonly code: BusErrorCode;
  readonly details?: unknown;

  constructor(code: BusErrorCode, message: string, options?: { cause?: unknown; details?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BusError';
    this.code = code;
    if (options?.details !== undefined) this.details = options.details;
  }
}

export class BusTimeoutError extends BusError {
  readonly subject: string;
  readonly timeoutMs: number;

  constructor(subject: string, timeoutMs: number) {
    super(BusErrorCode.timeout, `no reply on "${subject}" within ${timeoutMs} ms`);
    this.name = 'BusTimeoutError';
    this.subject = subject;
    this.timeoutMs = timeoutMs;
  }
}

export class BusNoRespondersError extends BusError {
  readonly subject: string;

  constructor(subject: string) {
    super(BusErrorCode.noResponders, `nobody is replying on "${subject}"`);
    this.name = 'BusNoRespondersError';
    this.subject = subject;
  }
}

/** The replier's handler threw; `remoteCode` carries its error code when it had one. */
export class BusRemoteError extends BusError {
  readonly subject: string;
  readonly remoteCode?: string;

  constructor(subject: string, message: string, remoteCode?: string) {
    super(BusErrorCode.remote, message, remoteCode === undefined ? undefined : { details: { remoteCode } });
    this.name = 'BusRemoteError';
    this.subject = subject;
    if (remoteCode !== undefined) this.remoteCode = remoteCode;
  }
}

export function busClosedError(): BusError {
  return new BusError(BusErrorCode.closed, 'the bus is closed');
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
