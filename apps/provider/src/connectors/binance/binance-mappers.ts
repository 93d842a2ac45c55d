import { Money } from '@barfinex/contracts';
import type { z } from 'zod';
import type { Candle, Instrument } from '@barfinex/contracts';
import { isTriggeredOrderType, ORDER_TYPE_VALUES, takesTimeInForce, TIME_IN_FORCE_VALUES } from '@barfinex/enums';
import type { OrderStatus, OrderType, TimeFrame, TimeInForce } from '@barfinex/enums';
import { VenueRejectError } from '../connector';
import type { VenueFill, VenueOpenOrder, VenueOrderRequest, VenueOrderState } from '../connector';
import type { BinanceConnectorType, BinanceMarket } from './binance-hosts';
import type { Params } from './binance-rest';
import type {
  BinanceKlineSchema,
  BinanceOrder,
  BinanceSymbolSchema,
  BinanceTradeSchema,
  ExecutionReportSchema,
  OrderTradeUpdateSchema,
} from './binance-schemas';

const decimals = (step: string | undefined) => (step ? Math.max(0, new Money(step).decimalPlaces()) : undefined);
const positive = (v: string | undefined) =>
  v !== undefined && new Money(v).gt(0) ? new Money(v).toFixed() : undefined;

export function toInstrument(
  s: z.output<typeof BinanceSymbolSchema>,
  type: BinanceConnectorType,
  market: BinanceMarket,
): Instrument {
  const f = (t: string) => s.filters.find((x) => x.filterType === t);
  const price = f('PRICE_FILTER');
  const lot = f('LOT_SIZE');
  const marketLot = f('MARKET_LOT_SIZE');
  const notional = f('NOTIONAL') ?? f('MIN_NOTIONAL');
  const out: Instrument = {
    symbol: s.symbol,
    baseAsset: s.baseAsset,
    quoteAsset: s.quoteAsset,
    status: s.status,
    connectorType: type,
    marketType: market,
  };
  const extra: Partial<Instrument> = {
    tickSize: positive(price?.tickSize),
    minPrice: price?.minPrice !== undefined ? new Money(price.minPrice).toFixed() : undefined,
    maxPrice: positive(price?.maxPrice),
    stepSize: positive(lot?.stepSize),
    minQty: lot?.minQty !== undefined ? new Money(lot.minQty).toFixed() : undefined,
    maxQty: positive(lot?.maxQty),
    // A zero means "no rule" in MARKET_LOT_SIZE (spot sends stepSize 0): only positive values are carried.
    marketMinQty: positive(marketLot?.minQty),
    marketMaxQty: positive(marketLot?.maxQty),
    marketStepSize: positive(marketLot?.stepSize),
    minNotional:
      (notional?.minNotional ?? notional?.notional) !== undefined
        ? new Money((notional?.minNotional ?? notional?.notional) as string).toFixed()
        : undefined,
    pricePrecision: s.pricePrecision ?? decimals(price?.tickSize),
    quantityPrecision: s.quantityPrecision ?? decimals(lot?.stepSize),
    isSpotTradingAllowed: s.isSpotTradingAllowed,
    isMarginTradingAllowed: s.isMarginTradingAllowed,
  };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

export function toCandle(
  k: z.output<typeof BinanceKlineSchema>,
  symbol: string,
  interval: TimeFrame,
  type: BinanceConnectorType,
  market: BinanceMarket,
): Candle {
  return {
    symbol,
    interval,
    time: k[0],
    open: k[1],
    high: k[2],
    low: k[3],
    close: k[4],
    volume: k[5],
    closeTime: k[6],
    quoteVolume: k[7],
    trades: k[8],
    closed: true,
    connectorType: type,
    marketType: market,
  };
}

/**
 * Our order types as each Binance market names them. Binance spot calls a stop-market
 * `STOP_LOSS` and a take-profit-market `TAKE_PROFIT`, so the names differ per market and the way
 * back must know the market. Futures has no maker-only type: a post-only limit is a LIMIT with
 * timeInForce GTX. Every venue type appears once, so the way back is the exact inverse.
 */
const VENUE_TYPES: Record<BinanceMarket, Partial<Record<OrderType, string>>> = {
  spot: {
    LIMIT: 'LIMIT',
    LIMIT_MAKER: 'LIMIT_MAKER',
    MARKET: 'MARKET',
    STOP_MARKET: 'STOP_LOSS',
    STOP: 'STOP_LOSS_LIMIT',
    TAKE_PROFIT: 'TAKE_PROFIT_LIMIT',
    TAKE_PROFIT_MARKET: 'TAKE_PROFIT',
  },
  futures: {
    LIMIT: 'LIMIT',
    MARKET: 'MARKET',
    STOP: 'STOP',
    STOP_MARKET: 'STOP_MARKET',
    TAKE_PROFIT: 'TAKE_PROFIT',
    TAKE_PROFIT_MARKET: 'TAKE_PROFIT_MARKET',
    TRAILING_STOP_MARKET: 'TRAILING_STOP_MARKET',
  },
};
/** Our two names for the same stop-limit and take-profit-limit orders; sent as the canonical one. */
const ALIASES: Partial<Record<OrderType, OrderType>> = { STOP_LOSS_LIMIT: 'STOP', TAKE_PROFIT_LIMIT: 'TAKE_PROFIT' };
const POST_ONLY_TIF = 'GTX';
const TYPES_FROM_VENUE = Object.fromEntries(
  Object.entries(VENUE_TYPES).map(([market, table]) => [
    market,
    new Map(Object.entries(table).map(([ours, theirs]) => [theirs, ours as OrderType])),
  ]),
) as Record<BinanceMarket, Map<string, OrderType>>;

/** The one order type we mean by `type` (aliases collapse to the name the venue round-trips). */
export function canonicalOrderType(type: OrderType): OrderType {
  return ALIASES[type] ?? type;
}

/** How an order of our `type` is sent to `market`, or undefined when that market has no such order. */
export function venueOrderTypeOf(
  market: BinanceMarket,
  type: OrderType,
): { type: string; timeInForce?: string } | undefined {
  if (market === 'futures' && type === 'LIMIT_MAKER') return { type: 'LIMIT', timeInForce: POST_ONLY_TIF };
  const venueType = VENUE_TYPES[market][canonicalOrderType(type)];
  return venueType === undefined ? undefined : { type: venueType };
}

/** Our type for an order `market` reports; undefined for a venue type we do not model (e.g. LIQUIDATION). */
export function orderTypeOf(market: BinanceMarket, venueType: string, timeInForce?: string): OrderType | undefined {
  if (market === 'futures' && venueType === 'LIMIT' && timeInForce === POST_ONLY_TIF) return 'LIMIT_MAKER';
  return TYPES_FROM_VENUE[market].get(venueType);
}

function knownOrderTypeOf(market: BinanceMarket, o: BinanceOrder): OrderType {
  const type = orderTypeOf(market, o.type, o.timeInForce);
  // Adopting it under a guessed type would misstate what rests on the venue; the failure names it instead.
  if (!type)
    throw new Error(`Binance ${market} order ${o.orderId} has type ${o.type}, which the platform does not model`);
  return type;
}

/** Binance reports an armed stop as NEW; ours distinguishes it as PENDING_TRIGGER. */
export function statusOf(venueStatus: string, type: OrderType | undefined, executed: string): OrderStatus {
  if (venueStatus === 'NEW' && type !== undefined && isTriggeredOrderType(type) && new Money(executed).isZero())
    return 'PENDING_TRIGGER';
  if (venueStatus === 'EXPIRED_IN_MATCH') return 'EXPIRED';
  if (venueStatus === 'PENDING_CANCEL' || venueStatus === 'PENDING_NEW') return 'NEW';
  return venueStatus as OrderStatus;
}

function averageOf(o: BinanceOrder): string | undefined {
  if (o.avgPrice && new Money(o.avgPrice).gt(0)) return new Money(o.avgPrice).toFixed();
  if (o.cummulativeQuoteQty && new Money(o.executedQty).gt(0))
    return new Money(o.cummulativeQuoteQty).div(o.executedQty).toFixed();
  return undefined;
}

const TIME_IN_FORCE: ReadonlySet<string> = new Set(TIME_IN_FORCE_VALUES);

export function toOrderState(o: BinanceOrder, market: BinanceMarket): VenueOpenOrder {
  const type = knownOrderTypeOf(market, o);
  const average = averageOf(o);
  return {
    clientOrderId: o.clientOrderId,
    externalId: String(o.orderId),
    symbol: o.symbol,
    status: statusOf(o.status, type, o.executedQty),
    quantityExecuted: new Money(o.executedQty).toFixed(),
    side: o.side,
    type,
    quantity: new Money(o.origQty).toFixed(),
    createdAt: o.time ?? o.transactTime ?? o.updateTime ?? 0,
    updatedAt: o.updateTime ?? o.transactTime ?? o.time ?? 0,
    // GTX (post-only) is carried by LIMIT_MAKER and GTD has no equivalent in ours: left out rather than mislabelled.
    ...(o.timeInForce && TIME_IN_FORCE.has(o.timeInForce) ? { timeInForce: o.timeInForce as TimeInForce } : {}),
    ...(average ? { averagePrice: average } : {}),
    ...(positive(o.price) ? { price: positive(o.price) as string } : {}),
    ...(positive(o.stopPrice) ? { stopPrice: positive(o.stopPrice) as string } : {}),
  };
}

export function fillsOfPlacement(o: BinanceOrder): VenueFill[] {
  return (o.fills ?? []).map((f) => ({
    clientOrderId: o.clientOrderId,
    externalId: String(o.orderId),
    tradeId: String(f.tradeId),
    symbol: o.symbol,
    side: o.side,
    price: f.price,
    quantity: f.qty,
    fee: f.commission,
    feeAsset: f.commissionAsset,
    isMaker: false,
    time: o.transactTime ?? o.updateTime ?? 0,
  }));
}

export function toFill(t: z.output<typeof BinanceTradeSchema>, clientOrderId: string): VenueFill {
  const buyer = t.isBuyer ?? t.buyer ?? false;
  return {
    clientOrderId,
    externalId: String(t.orderId),
    tradeId: String(t.id),
    symbol: t.symbol,
    side: buyer ? 'BUY' : 'SELL',
    price: t.price,
    quantity: t.qty,
    fee: t.commission,
    feeAsset: t.commissionAsset,
    isMaker: t.isMaker ?? t.maker ?? false,
    time: t.time,
    ...(t.realizedPnl !== undefined ? { realizedPnl: t.realizedPnl } : {}),
  };
}

/** One user-stream order event as a state change and, for executions, a fill. */
export function fromExecutionReport(r: z.output<typeof ExecutionReportSchema>): {
  state: VenueOrderState;
  fill?: VenueFill;
} {
  const clientOrderId = r.x === 'CANCELED' && r.C ? r.C : r.c;
  const type = orderTypeOf('spot', r.o, r.f);
  const executed = new Money(r.z);
  const state: VenueOrderState = {
    clientOrderId,
    externalId: String(r.i),
    symbol: r.s,
    status: statusOf(r.X, type, r.z),
    quantityExecuted: executed.toFixed(),
    updatedAt: r.T,
    ...(executed.gt(0) ? { averagePrice: new Money(r.Z).div(executed).toFixed() } : {}),
    ...(r.X === 'REJECTED' && r.r !== 'NONE' ? { rejectReason: r.r } : {}),
  };
  if (r.x !== 'TRADE') return { state };
  return {
    state,
    fill: {
      clientOrderId,
      externalId: String(r.i),
      tradeId: String(r.t),
      symbol: r.s,
      side: r.S,
      price: r.L,
      quantity: r.l,
      fee: r.n,
      feeAsset: r.N ?? '',
      isMaker: r.m,
      time: r.T,
    },
  };
}

export function fromOrderTradeUpdate(u: z.output<typeof OrderTradeUpdateSchema>): {
  state: VenueOrderState;
  fill?: VenueFill;
} {
  const o = u.o;
  const type = orderTypeOf('futures', o.o, o.f);
  const state: VenueOrderState = {
    clientOrderId: o.c,
    externalId: String(o.i),
    symbol: o.s,
    status: statusOf(o.X, type, o.z),
    quantityExecuted: new Money(o.z).toFixed(),
    updatedAt: o.T,
    ...(new Money(o.ap).gt(0) ? { averagePrice: new Money(o.ap).toFixed() } : {}),
  };
  if (o.x !== 'TRADE') return { state };
  return {
    state,
    fill: {
      clientOrderId: o.c,
      externalId: String(o.i),
      tradeId: String(o.t),
      symbol: o.s,
      side: o.S,
      price: o.L,
      quantity: o.l,
      fee: o.n ?? '0',
      feeAsset: o.N ?? '',
      isMaker: o.m,
      time: o.T,
      ...(o.rp !== undefined ? { realizedPnl: o.rp } : {}),
    },
  };
}

export function toOrderParams(market: BinanceMarket, req: VenueOrderRequest): Params {
  const venue = venueOrderTypeOf(market, req.type);
  // Refused before anything is sent, so it is a plain 4xx and never an unknown outcome.
  if (!venue)
    throw new VenueRejectError(
      'UNSUPPORTED_ORDER_TYPE',
      `order type ${req.type} is not offered by Binance ${market} (use ${ORDER_TYPE_VALUES.filter((t) => venueOrderTypeOf(market, t)).join(', ')})`,
      true,
    );
  // A time in force the order cannot carry would be dropped silently: a maker-only order rests
  // (IOC/FOK would contradict it) and a market or triggered-market order takes no FOK.
  const tif = req.timeInForce;
  if (tif && tif !== 'GTC' && (req.type === 'LIMIT_MAKER' || (!takesTimeInForce(req.type) && tif === 'FOK'))) {
    throw new VenueRejectError(
      'UNSUPPORTED_TIME_IN_FORCE',
      `time in force ${tif} is not offered by Binance ${market} for ${req.type} orders`,
      true,
    );
  }
  return {
    symbol: req.symbol,
    side: req.side,
    type: venue.type,
    quantity: req.quantity,
    newClientOrderId: req.clientOrderId,
    price: req.price,
    stopPrice: req.stopPrice,
    callbackRate: market === 'futures' ? req.callbackRate : undefined,
    timeInForce: venue.timeInForce ?? (takesTimeInForce(req.type) ? (req.timeInForce ?? 'GTC') : undefined),
    reduceOnly: market === 'futures' && req.reduceOnly ? 'true' : undefined,
    newOrderRespType: market === 'spot' ? 'FULL' : 'RESULT',
  };
}
