import { z } from 'zod';
import { OrderSide, OrderStatus, OrderType, TimeInForce, TradeSide } from '@barfinex/enums';
import { SimMarketTypeSchema } from './config';
import { DecimalOut, decimalText } from './schema-helpers';

const Side = z.enum([OrderSide.BUY, OrderSide.SELL]);
const Type = z.enum([
  OrderType.LIMIT,
  OrderType.LIMIT_MAKER,
  OrderType.MARKET,
  OrderType.STOP,
  OrderType.STOP_MARKET,
  OrderType.STOP_LOSS_LIMIT,
  OrderType.TAKE_PROFIT,
  OrderType.TAKE_PROFIT_LIMIT,
  OrderType.TAKE_PROFIT_MARKET,
  OrderType.TRAILING_STOP_MARKET,
]);
const Tif = z.enum([TimeInForce.GTC, TimeInForce.IOC, TimeInForce.FOK]);
const Status = z.enum([
  OrderStatus.NEW,
  OrderStatus.PENDING_TRIGGER,
  OrderStatus.PARTIALLY_FILLED,
  OrderStatus.FILLED,
  OrderStatus.CANCELED,
  OrderStatus.REJECTED,
  OrderStatus.EXPIRED,
]);
const Direction = z.enum([TradeSide.LONG, TradeSide.SHORT]);
const ConnectorSim = z.literal('sim');

export const CLIENT_ORDER_ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * What a caller asks for. placeOrder re-checks every field itself (so a plain object works and
 * rejects carry exchange-style codes); the schema is for callers that parse untrusted input first.
 */
export const SimOrderRequestSchema = z.object({
  marketType: SimMarketTypeSchema,
  symbol: z.string(),
  side: Side,
  type: Type,
  quantity: decimalText('positive'),
  price: decimalText('positive').optional(),
  stopPrice: decimalText('positive').optional(),
  /** TRAILING_STOP_MARKET only: the price that arms the trail (default: armed at once). */
  activationPrice: decimalText('positive').optional(),
  /** TRAILING_STOP_MARKET only: percent, 0.1–10. */
  callbackRate: decimalText('positive').optional(),
  timeInForce: Tif.optional(),
  reduceOnly: z.boolean().optional(),
  clientOrderId: z.string().regex(CLIENT_ORDER_ID_PATTERN).optional(),
});
export type SimOrderRequest = z.input<typeof SimOrderRequestSchema>;

export const SimOrderSchema = z.object({
  id: z.string(),
  clientOrderId: z.string(),
  accountId: z.string(),
  connectorType: ConnectorSim,
  marketType: SimMarketTypeSchema,
  symbol: z.string(),
  side: Side,
  type: Type,
  timeInForce: Tif,
  status: Status,
  quantity: DecimalOut,
  price: DecimalOut.nullable(),
  stopPrice: DecimalOut.nullable(),
  activationPrice: DecimalOut.nullable(),
  callbackRate: DecimalOut.nullable(),
  reduceOnly: z.boolean(),
  /** True once a stop/take-profit/trailing order has fired and works as MARKET or LIMIT. */
  triggered: z.boolean(),
  /** Trailing stops: the price that would fire the order now (null until armed). */
  trailingTriggerPrice: DecimalOut.nullable(),
  executedQty: DecimalOut,
  cumulativeQuoteQty: DecimalOut,
  /** VWAP of the fills (8 dp), null before the first fill. */
  avgPrice: DecimalOut.nullable(),
  commission: DecimalOut,
  commissionAsset: z.string(),
  leverage: z.number().int().nullable(),
  /** Why the engine ended the order (IOC remainder, book exhausted, reduce-only, ...). */
  reason: z.string().nullable(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type SimOrder = z.output<typeof SimOrderSchema>;

export const SimFillSchema = z.object({
  id: z.string(),
  orderId: z.string(),
  clientOrderId: z.string(),
  accountId: z.string(),
  connectorType: ConnectorSim,
  marketType: SimMarketTypeSchema,
  symbol: z.string(),
  side: Side,
  price: DecimalOut,
  quantity: DecimalOut,
  quoteQty: DecimalOut,
  commission: DecimalOut,
  commissionAsset: z.string(),
  isMaker: z.boolean(),
  /** Futures: PnL realised by this fill (0 when it only opens or increases); null on spot. */
  realizedPnl: DecimalOut.nullable(),
  isLiquidation: z.boolean(),
  time: z.number().int(),
});
export type SimFill = z.output<typeof SimFillSchema>;

export const SimTradeSchema = z.object({
  id: z.number().int(),
  connectorType: ConnectorSim,
  marketType: SimMarketTypeSchema,
  symbol: z.string(),
  price: DecimalOut,
  volume: DecimalOut,
  quoteVolume: DecimalOut,
  /** LONG when the aggressor bought. */
  side: Direction,
  isBuyerMaker: z.boolean(),
  /** True for prints from setPrice / pushPricePath. */
  scripted: z.boolean(),
  time: z.number().int(),
});
export type SimTrade = z.output<typeof SimTradeSchema>;

const BookLevel = z.object({ price: DecimalOut, volume: DecimalOut });
export const SimOrderBookSchema = z.object({
  connectorType: ConnectorSim,
  marketType: SimMarketTypeSchema,
  symbol: z.string(),
  lastUpdateId: z.number().int(),
  time: z.number().int(),
  bids: z.array(BookLevel),
  asks: z.array(BookLevel),
});
export type SimOrderBook = z.output<typeof SimOrderBookSchema>;
export type SimBookLevel = z.output<typeof BookLevel>;

/** Binance 24hr ticker keys, values as Binance sends them (decimal strings, ms times, ids). */
export const SimTickerSchema = z.object({
  connectorType: ConnectorSim,
  marketType: SimMarketTypeSchema,
  e: z.literal('24hrTicker'),
  E: z.number().int(),
  s: z.string(),
  p: DecimalOut,
  P: DecimalOut,
  o: DecimalOut,
  h: DecimalOut,
  l: DecimalOut,
  c: DecimalOut,
  w: DecimalOut,
  v: DecimalOut,
  q: DecimalOut,
  O: z.number().int(),
  C: z.number().int(),
  F: z.number().int(),
  L: z.number().int(),
  n: z.number().int(),
});
export type SimTicker = z.output<typeof SimTickerSchema>;

/** Spot: free/locked per asset. Futures (margin asset): total = wallet balance, free = available, locked = position + order margin. */
export const SimBalanceSchema = z.object({
  accountId: z.string(),
  connectorType: ConnectorSim,
  marketType: SimMarketTypeSchema,
  asset: z.string(),
  free: DecimalOut,
  locked: DecimalOut,
  total: DecimalOut,
});
export type SimBalance = z.output<typeof SimBalanceSchema>;

export const SimPositionSchema = z.object({
  accountId: z.string(),
  connectorType: ConnectorSim,
  marketType: z.literal('futures'),
  symbol: z.string(),
  side: Direction,
  /** Absolute size; "0" in the update that reports a close. */
  quantity: DecimalOut,
  entryPrice: DecimalOut,
  lastPrice: DecimalOut,
  leverage: z.number().int(),
  initialMargin: DecimalOut,
  unrealizedPnl: DecimalOut,
  /** Realised over this position's life (reduces, the close, the closing leg of a flip). */
  realizedPnl: DecimalOut,
  liquidationPrice: DecimalOut,
  entryTime: z.number().int(),
  updateTime: z.number().int(),
});
export type SimPosition = z.output<typeof SimPositionSchema>;

export const SimInstrumentSchema = z.object({
  connectorType: ConnectorSim,
  marketType: SimMarketTypeSchema,
  symbol: z.string(),
  baseAsset: z.string(),
  quoteAsset: z.string(),
  status: z.literal('TRADING'),
  tickSize: DecimalOut,
  stepSize: DecimalOut,
  minQty: DecimalOut,
  maxQty: DecimalOut,
  minNotional: DecimalOut,
  minPrice: DecimalOut,
  maxPrice: DecimalOut,
});
export type SimInstrument = z.output<typeof SimInstrumentSchema>;

/** Everything the engine reports, synchronously and in a fixed order. All callbacks optional. */
export interface SimSink {
  onTrade?(trade: SimTrade): void;
  onBook?(book: SimOrderBook): void;
  onTicker?(ticker: SimTicker): void;
  onOrderUpdate?(order: SimOrder): void;
  onFill?(fill: SimFill): void;
  onBalance?(balance: SimBalance): void;
  onPosition?(position: SimPosition): void;
  /** A sink callback threw; the engine carried on with its state intact. */
  onError?(error: unknown): void;
}
