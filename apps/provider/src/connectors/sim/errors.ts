/** Reject codes, named after the Binance filter or condition that failed so integrators recognise them. */
export const SimErrorCode = {
  UNKNOWN_SYMBOL: 'UNKNOWN_SYMBOL',
  UNKNOWN_MARKET: 'UNKNOWN_MARKET',
  INVALID_ORDER: 'INVALID_ORDER',
  PRICE_FILTER: 'PRICE_FILTER',
  LOT_SIZE: 'LOT_SIZE',
  MIN_NOTIONAL: 'MIN_NOTIONAL',
  INSUFFICIENT_BALANCE: 'INSUFFICIENT_BALANCE',
  WOULD_TAKE: 'WOULD_TAKE',
  WOULD_TRIGGER_IMMEDIATELY: 'WOULD_TRIGGER_IMMEDIATELY',
  REDUCE_ONLY: 'REDUCE_ONLY',
  UNKNOWN_ORDER: 'UNKNOWN_ORDER',
  ORDER_NOT_OPEN: 'ORDER_NOT_OPEN',
  INVALID_LEVERAGE: 'INVALID_LEVERAGE',
  ACCOUNT_EXISTS: 'ACCOUNT_EXISTS',
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  INVALID_SNAPSHOT: 'INVALID_SNAPSHOT',
} as const;
export type SimErrorCode = (typeof SimErrorCode)[keyof typeof SimErrorCode];

/** Thrown for every refused request; nothing in the engine changed when it is thrown. */
export class SimRejectError extends Error {
  override readonly name = 'SimRejectError';

  constructor(
    readonly code: SimErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export function reject(code: SimErrorCode, message: string, details?: Record<string, unknown>): never {
  throw new SimRejectError(code, message, details);
}
