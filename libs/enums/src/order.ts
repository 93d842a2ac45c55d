export const OrderSide = { BUY: 'BUY', SELL: 'SELL' } as const;
export type OrderSide = (typeof OrderSide)[keyof typeof OrderSide];
export const ORDER_SIDE_VALUES: readonly OrderSide[] = Object.values(OrderSide);

export const OrderType = {
  LIMIT: 'LIMIT',
  LIMIT_MAKER: 'LIMIT_MAKER',
  MARKET: 'MARKET',
  STOP: 'STOP',
  STOP_MARKET: 'STOP_MARKET',
  STOP_LOSS_LIMIT: 'STOP_LOSS_LIMIT',
  TAKE_PROFIT_LIMIT: 'TAKE_PROFIT_LIMIT',
  TAKE_PROFIT_MARKET: 'TAKE_PROFIT_MARKET',
  TRAILING_STOP_MARKET: 'TRAILING_STOP_MARKET',
  TAKE_PROFIT: 'TAKE_PROFIT',
} as const;
export type OrderType = (typeof OrderType)[keyof typeof OrderType];
export const ORDER_TYPE_VALUES: readonly OrderType[] = Object.values(OrderType);

/**
 * Order types that rest untriggered until the market reaches `stopPrice` (or, for trailing
 * stops, until the callback is hit).
 */
export const TRIGGERED_ORDER_TYPES: readonly OrderType[] = [
  OrderType.STOP,
  OrderType.STOP_MARKET,
  OrderType.STOP_LOSS_LIMIT,
  OrderType.TAKE_PROFIT_LIMIT,
  OrderType.TAKE_PROFIT_MARKET,
  OrderType.TRAILING_STOP_MARKET,
  OrderType.TAKE_PROFIT,
];

export function isTriggeredOrderType(type: OrderType): boolean {
  return TRIGGERED_ORDER_TYPES.includes(type);
}

/** Order types that need a limit `price`: what they rest at, or trade at once triggered. */
export const LIMIT_PRICED_ORDER_TYPES: readonly OrderType[] = [
  OrderType.LIMIT,
  OrderType.LIMIT_MAKER,
  OrderType.STOP,
  OrderType.STOP_LOSS_LIMIT,
  OrderType.TAKE_PROFIT,
  OrderType.TAKE_PROFIT_LIMIT,
];

/** Order types that need a `stopPrice`, their trigger (trailing stops trigger on a callback instead). */
export const STOP_PRICED_ORDER_TYPES: readonly OrderType[] = TRIGGERED_ORDER_TYPES.filter(
  (t) => t !== OrderType.TRAILING_STOP_MARKET,
);

// Sets for the checks: the simulator's order path asks them for every order.
const LIMIT_PRICED = new Set<string>(LIMIT_PRICED_ORDER_TYPES);
const STOP_PRICED = new Set<string>(STOP_PRICED_ORDER_TYPES);

/** Whether orders of this type need a limit `price`. */
export function isLimitPricedOrderType(type: string): boolean {
  return LIMIT_PRICED.has(type);
}

/** Whether orders of this type need a `stopPrice`. */
export function isStopPricedOrderType(type: string): boolean {
  return STOP_PRICED.has(type);
}

/**
 * Exchange-style statuses. PENDING_TRIGGER is ours: Binance reports an unfired stop as NEW,
 * which makes "resting limit" and "armed stop" indistinguishable to the inspector and to UIs
 * (an armed protective stop has no book presence and must not count as open exposure). The
 * simulated exchange reports it explicitly; real connectors map NEW + a stop type onto it.
 */
export const OrderStatus = {
  NEW: 'NEW',
  PENDING_TRIGGER: 'PENDING_TRIGGER',
  PARTIALLY_FILLED: 'PARTIALLY_FILLED',
  FILLED: 'FILLED',
  CANCELED: 'CANCELED',
  REJECTED: 'REJECTED',
  EXPIRED: 'EXPIRED',
} as const;
export type OrderStatus = (typeof OrderStatus)[keyof typeof OrderStatus];
export const ORDER_STATUS_VALUES: readonly OrderStatus[] = Object.values(OrderStatus);

/** Statuses after which an order can never change again. */
export const FINAL_ORDER_STATUSES: readonly OrderStatus[] = [
  OrderStatus.FILLED,
  OrderStatus.CANCELED,
  OrderStatus.REJECTED,
  OrderStatus.EXPIRED,
];

export function isFinalOrderStatus(status: OrderStatus): boolean {
  return FINAL_ORDER_STATUSES.includes(status);
}

export const TimeInForce = { GTC: 'GTC', IOC: 'IOC', FOK: 'FOK' } as const;
export type TimeInForce = (typeof TimeInForce)[keyof typeof TimeInForce];
export const TIME_IN_FORCE_VALUES: readonly TimeInForce[] = Object.values(TimeInForce);

/**
 * Whether orders of this type carry a time in force: those that rest at a limit price. A maker-only
 * order rests or is refused, so it takes none; market and triggered-market orders execute at once
 * (Binance sends timeInForce only for its limit types, rest-api "New order", "Other info").
 */
export function takesTimeInForce(type: string): boolean {
  return type !== OrderType.LIMIT_MAKER && LIMIT_PRICED.has(type);
}

/** Direction of a trade print, a position or a signal. */
export const TradeSide = { LONG: 'LONG', SHORT: 'SHORT' } as const;
export type TradeSide = (typeof TradeSide)[keyof typeof TradeSide];
export const TRADE_SIDE_VALUES: readonly TradeSide[] = Object.values(TradeSide);

/** Who placed an order; the provider stores it for attribution and per-app order queries. */
export const OrderSourceType = {
  detector: 'detector',
  inspector: 'inspector',
  provider: 'provider',
  advisor: 'advisor',
} as const;
export type OrderSourceType = (typeof OrderSourceType)[keyof typeof OrderSourceType];
export const ORDER_SOURCE_TYPE_VALUES: readonly OrderSourceType[] = Object.values(OrderSourceType);
