/**
 * The one error vocabulary of every Barfinex app. Code names are part of the public API: clients
 * branch on `error.code`, never on the message text.
 */
export const ErrorCode = {
  VALIDATION_ERROR: 'VALIDATION_ERROR',
  INVALID_JSON: 'INVALID_JSON',
  BAD_REQUEST: 'BAD_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  ROUTE_NOT_FOUND: 'ROUTE_NOT_FOUND',
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  CONFLICT: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNPROCESSABLE: 'UNPROCESSABLE',
  ORDER_REJECTED: 'ORDER_REJECTED',
  RATE_LIMITED: 'RATE_LIMITED',
  INTERNAL: 'INTERNAL',
  NOT_IMPLEMENTED: 'NOT_IMPLEMENTED',
  BAD_GATEWAY: 'BAD_GATEWAY',
  UNAVAILABLE: 'UNAVAILABLE',
  GATEWAY_TIMEOUT: 'GATEWAY_TIMEOUT',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
export const ERROR_CODE_VALUES: readonly ErrorCode[] = Object.values(ErrorCode);

export const ERROR_CODE_STATUS = {
  VALIDATION_ERROR: 400,
  INVALID_JSON: 400,
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNPROCESSABLE: 422,
  ORDER_REJECTED: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  NOT_IMPLEMENTED: 501,
  BAD_GATEWAY: 502,
  UNAVAILABLE: 503,
  GATEWAY_TIMEOUT: 504,
} as const satisfies Record<ErrorCode, number>;

// Reverse lookup for statuses that reach us from outside (upstream replies, http-errors).
const CODE_FOR_STATUS: Readonly<Record<number, ErrorCode>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  422: 'UNPROCESSABLE',
  429: 'RATE_LIMITED',
  500: 'INTERNAL',
  501: 'NOT_IMPLEMENTED',
  502: 'BAD_GATEWAY',
  503: 'UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT',
};

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODE_STATUS, value);
}

/** The closest vocabulary code for an arbitrary HTTP error status. */
export function errorCodeForStatus(status: number): ErrorCode {
  return CODE_FOR_STATUS[status] ?? (status >= 500 ? 'INTERNAL' : 'BAD_REQUEST');
}

export interface AppErrorOptions {
  details?: unknown;
  /** Overrides the code's status, e.g. to relay an upstream's exact status. */
  status?: number;
  /**
   * Whether message and details may be shown to the client. Defaults to true except for INTERNAL,
   * whose message is for the log only.
   */
  expose?: boolean;
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;
  readonly expose: boolean;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = options.status ?? ERROR_CODE_STATUS[code];
    this.details = options.details;
    this.expose = options.expose ?? code !== 'INTERNAL';
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

const make =
  (code: ErrorCode) =>
  (message: string, details?: unknown): AppError =>
    new AppError(code, message, { details });

export const badRequest = make('BAD_REQUEST');
export const validationError = make('VALIDATION_ERROR');
export const unauthorized = make('UNAUTHORIZED');
export const forbidden = make('FORBIDDEN');
export const conflict = make('CONFLICT');
export const unprocessable = make('UNPROCESSABLE');
export const orderRejected = make('ORDER_REJECTED');
export const rateLimited = make('RATE_LIMITED');
export const badGateway = make('BAD_GATEWAY');
export const unavailable = make('UNAVAILABLE');
export const gatewayTimeout = make('GATEWAY_TIMEOUT');
export const payloadTooLarge = make('PAYLOAD_TOO_LARGE');

/** `notFound('order 42')` → 404 "order 42 not found". */
export function notFound(what: string, details?: unknown): AppError {
  return new AppError('NOT_FOUND', `${what} not found`, { details });
}

export function methodNotAllowed(method: string, path: string, allowed: readonly string[] = []): AppError {
  return new AppError('METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}`, {
    details: allowed.length > 0 ? { allowed } : undefined,
  });
}

/** The message is logged, never sent: clients see a generic text. */
export function internal(message: string, cause?: unknown): AppError {
  return new AppError('INTERNAL', message, { cause });
}
