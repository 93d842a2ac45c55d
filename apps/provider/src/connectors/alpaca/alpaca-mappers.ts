import { Money } from '@barfinex/contracts';
import type { z } from 'zod';
import type { Candle, Instrument } from '@barfinex/contracts';
import type { OrderStatus, OrderType, TimeFrame, TimeInForce } from '@barfinex/enums';
import { VenueRejectError } from '../connector';
import type { VenueFill, VenueOpenOrder, VenueOrderRequest } from '../connector';
import type {
  AlpacaAsset,
  AlpacaBarSchema,
  AlpacaFillActivitySchema,
  AlpacaOrder,
  AlpacaTradeUpdateSchema,
} from './alpaca-schemas';

/** Crypto pairs are `BTC/USD` at Alpaca; the provider's symbols (and URL paths) use `BTCUSD`. */
export const toLocalSymbol = (venue: string) => venue.replace('/', '');
const num = (n: number) => new Money(n).toFixed();
const ms = (iso: string | null | undefined) => (iso ? Date.parse(iso) : 0);

export function toInstrument(a: AlpacaAsset): Instrument {
  const [base, quote] = a.class === 'crypto' ? (a.symbol.split('/') as [string, string]) : [a.symbol, 'USD'];
  const out: Instrument = {
    symbol: toLocalSymbol(a.symbol),
    baseAsset: base,
    quoteAsset: quote ?? 'USD',
    status: a.tradable && a.status === 'active' ? 'TRADING' : 'BREAK',
    connectorType: 'alpaca',
    marketType: 'spot',
    isSpotTradingAllowed: a.tradable,
  };
  if (a.price_increment) out.tickSize = new Money(a.price_increment).toFixed();
  if (a.min_trade_increment) out.stepSize = new Money(a.min_trade_increment).toFixed();
  else if (a.class === 'us_equity') out.stepSize = a.fractionable ? '0.000000001' : '1';
  if (a.min_order_size) out.minQty = new Money(a.min_order_size).toFixed();
  if (a.class === 'us_equity') out.tickSize ??= '0.01';
  return out;
}

export const ALPACA_TIMEFRAMES: Record<TimeFrame, string> = {
  min1: '1Min',
  min5: '5Min',
  min15: '15Min',
  min30: '30Min',
  h1: '1Hour',
  h2: '2Hour',
  h4: '4Hour',
  day: '1Day',
  week: '1Week',
  month: '1Month',
};

export function toCandle(b: z.output<typeof AlpacaBarSchema>, symbol: string, interval: TimeFrame): Candle {
  return {
    symbol,
    interval,
    time: ms(b.t),
    open: num(b.o),
    high: num(b.h),
    low: num(b.l),
    close: num(b.c),
    volume: num(b.v),
    ...(b.n !== undefined ? { trades: b.n } : {}),
    closed: true,
    connectorType: 'alpaca',
    marketType: 'spot',
  };
}

const STATUS: Record<string, OrderStatus> = {
  new: 'NEW',
  accepted: 'NEW',
  pending_new: 'NEW',
  accepted_for_bidding: 'NEW',
  held: 'PENDING_TRIGGER',
  partially_filled: 'PARTIALLY_FILLED',
  filled: 'FILLED',
  done_for_day: 'EXPIRED',
  canceled: 'CANCELED',
  expired: 'EXPIRED',
  replaced: 'CANCELED',
  pending_cancel: 'NEW',
  pending_replace: 'NEW',
  stopped: 'NEW',
  rejected: 'REJECTED',
  suspended: 'REJECTED',
  calculated: 'NEW',
};
/**
 * Alpaca's time-in-force values that have a platform equivalent. `day` (expires at the session's
 * close), `opg` (opening auction) and `cls` (closing auction) have none: the platform's TimeInForce
 * has no DAY. Calling a day order GTC would claim it outlives the session, so those orders carry no
 * timeInForce at all rather than a wrong one.
 */
const TIME_IN_FORCE: Record<string, TimeInForce> = { gtc: 'GTC', ioc: 'IOC', fok: 'FOK' };

export function timeInForceOf(venue: string): TimeInForce | undefined {
  return TIME_IN_FORCE[venue.toLowerCase()];
}

const TYPE: Record<string, OrderType> = {
  market: 'MARKET',
  limit: 'LIMIT',
  stop: 'STOP_MARKET',
  stop_limit: 'STOP_LOSS_LIMIT',
  trailing_stop: 'TRAILING_STOP_MARKET',
};

export function toOrderState(o: AlpacaOrder): VenueOpenOrder {
  const type = TYPE[o.type] ?? 'LIMIT';
  const timeInForce = timeInForceOf(o.time_in_force);
  const untriggered =
    (type === 'STOP_MARKET' || type === 'STOP_LOSS_LIMIT') && (o.status === 'new' || o.status === 'accepted');
  return {
    clientOrderId: o.client_order_id,
    externalId: o.id,
    symbol: toLocalSymbol(o.symbol),
    status: untriggered ? 'PENDING_TRIGGER' : (STATUS[o.status] ?? 'NEW'),
    quantityExecuted: new Money(o.filled_qty).toFixed(),
    side: o.side === 'buy' ? 'BUY' : 'SELL',
    type,
    quantity: new Money(o.qty ?? '0').toFixed(),
    ...(timeInForce ? { timeInForce } : {}),
    createdAt: ms(o.created_at),
    updatedAt: ms(o.updated_at ?? o.created_at),
    ...(o.filled_avg_price ? { averagePrice: new Money(o.filled_avg_price).toFixed() } : {}),
    ...(o.limit_price ? { price: new Money(o.limit_price).toFixed() } : {}),
    ...(o.stop_price ? { stopPrice: new Money(o.stop_price).toFixed() } : {}),
  };
}

/**
 * A fill's id is the order's id and its cumulative quantity after the fill: the trade update
 * (`order.filled_qty`) and the FILL activity (`cum_qty`) both carry it, so the same execution seen
 * on the stream and again by reconciliation is one fill.
 */
const fillId = (orderId: string, cumQty: string) => `${orderId}:${new Money(cumQty).toFixed()}`;

export function fromTradeUpdate(u: z.output<typeof AlpacaTradeUpdateSchema>): {
  state: VenueOpenOrder;
  fill?: VenueFill;
} {
  const state = toOrderState(u.data.order);
  const d = u.data;
  if ((d.event !== 'fill' && d.event !== 'partial_fill') || !d.price || !d.qty) return { state };
  return {
    state,
    fill: {
      clientOrderId: state.clientOrderId,
      externalId: state.externalId,
      tradeId: fillId(state.externalId, state.quantityExecuted),
      symbol: state.symbol,
      side: state.side,
      price: d.price,
      quantity: d.qty,
      fee: '0',
      feeAsset: 'USD',
      isMaker: false,
      time: ms(d.timestamp),
    },
  };
}

export function fromFillActivity(a: z.output<typeof AlpacaFillActivitySchema>, clientOrderId: string): VenueFill {
  return {
    clientOrderId,
    externalId: a.order_id,
    tradeId: fillId(a.order_id, a.cum_qty),
    symbol: toLocalSymbol(a.symbol),
    side: a.side === 'buy' ? 'BUY' : 'SELL',
    price: a.price,
    quantity: a.qty,
    fee: '0',
    feeAsset: 'USD',
    isMaker: false,
    time: ms(a.transaction_time),
  };
}

/** Alpaca has no post-only order: LIMIT_MAKER is refused rather than sent as a limit that may take. */
const TYPE_TO_VENUE: Partial<Record<OrderType, string>> = {
  MARKET: 'market',
  LIMIT: 'limit',
  STOP_MARKET: 'stop',
  STOP: 'stop_limit',
  STOP_LOSS_LIMIT: 'stop_limit',
  TRAILING_STOP_MARKET: 'trailing_stop',
};
/** "Crypto Orders" (docs.alpaca.markets, updated 2025-09-24): market, limit, stop_limit; time in force gtc and ioc. */
const CRYPTO_TYPES = new Set(['market', 'limit', 'stop_limit']);
const CRYPTO_TIF = new Set<TimeInForce>(['GTC', 'IOC']);

export function toOrderBody(req: VenueOrderRequest, venueSymbol: string): Record<string, unknown> {
  const type = TYPE_TO_VENUE[req.type];
  const crypto = venueSymbol.includes('/');
  // A caller's choice the venue cannot take: a refusal of the request (4xx), never a silent change.
  if (!type || (crypto && !CRYPTO_TYPES.has(type))) {
    const offered = Object.entries(TYPE_TO_VENUE)
      .filter(([, v]) => !crypto || CRYPTO_TYPES.has(v))
      .map(([k]) => k);
    throw new VenueRejectError(
      'UNSUPPORTED_ORDER_TYPE',
      `order type ${req.type} is not offered by Alpaca${crypto ? ' for crypto' : ''} (use ${offered.join(', ')})`,
      true,
    );
  }
  if (crypto && req.timeInForce && !CRYPTO_TIF.has(req.timeInForce))
    throw new VenueRejectError(
      'UNSUPPORTED_TIME_IN_FORCE',
      `time in force ${req.timeInForce} is not offered by Alpaca for crypto (use GTC or IOC)`,
      true,
    );
  return {
    symbol: venueSymbol,
    qty: req.quantity,
    side: req.side === 'BUY' ? 'buy' : 'sell',
    type,
    // Stocks default to a day order, crypto to gtc (crypto has no day orders).
    time_in_force: (req.timeInForce ?? (crypto ? 'gtc' : 'day')).toLowerCase(),
    client_order_id: req.clientOrderId,
    ...(req.price ? { limit_price: req.price } : {}),
    ...(req.stopPrice ? { stop_price: req.stopPrice } : {}),
    ...(req.callbackRate ? { trail_percent: req.callbackRate } : {}),
  };
}
