import { z } from 'zod';
import { ConnectorTypeSchema, MarketTypeSchema, SymbolName, TimeFrameSchema, TradeSideSchema, UnixMs } from './common';
import { DecimalString, NonNegativeDecimalString, PositiveDecimalString, compareDecimalStrings } from './decimal';

/** A tradable instrument with the exchange filters orders must respect. */
export const InstrumentSchema = z
  .object({
    symbol: SymbolName,
    baseAsset: z.string().min(1),
    quoteAsset: z.string().min(1),
    status: z.string().min(1).default('TRADING'),
    connectorType: ConnectorTypeSchema,
    marketType: MarketTypeSchema,
    tickSize: PositiveDecimalString.optional(),
    stepSize: PositiveDecimalString.optional(),
    minQty: NonNegativeDecimalString.optional(),
    maxQty: PositiveDecimalString.optional(),
    /** Quantity rules MARKET orders meet on top of the ones above (Binance's MARKET_LOT_SIZE filter). */
    marketMinQty: NonNegativeDecimalString.optional(),
    marketMaxQty: PositiveDecimalString.optional(),
    marketStepSize: PositiveDecimalString.optional(),
    minNotional: NonNegativeDecimalString.optional(),
    minPrice: NonNegativeDecimalString.optional(),
    maxPrice: PositiveDecimalString.optional(),
    pricePrecision: z.number().int().nonnegative().optional(),
    quantityPrecision: z.number().int().nonnegative().optional(),
    leverage: z.number().int().positive().optional(),
    isSpotTradingAllowed: z.boolean().optional(),
    isMarginTradingAllowed: z.boolean().optional(),
  })
  .meta({ id: 'Instrument' });
export type Instrument = z.output<typeof InstrumentSchema>;

/** One bar; `time` is the bar's open time. `closed` is false while the bar is still forming. */
export const CandleSchema = z
  .object({
    symbol: SymbolName,
    interval: TimeFrameSchema,
    time: UnixMs,
    closeTime: UnixMs.optional(),
    open: PositiveDecimalString,
    high: PositiveDecimalString,
    low: PositiveDecimalString,
    close: PositiveDecimalString,
    volume: NonNegativeDecimalString,
    quoteVolume: NonNegativeDecimalString.optional(),
    trades: z.number().int().nonnegative().optional(),
    closed: z.boolean().optional(),
    connectorType: ConnectorTypeSchema.optional(),
    marketType: MarketTypeSchema.optional(),
  })
  .meta({ id: 'Candle' });
export type Candle = z.output<typeof CandleSchema>;

/** A bar's price and volume fields, as CandleSchema names them. */
export const CANDLE_VALUE_FIELDS = [
  'open',
  'high',
  'low',
  'close',
  'volume',
] as const satisfies readonly (keyof Candle)[];
export type CandleValueField = (typeof CANDLE_VALUE_FIELDS)[number];

/**
 * A bar's price and volume fields in the number type a consumer computes with: decimal strings on
 * the wire and in storage, decimals while a bar is built, plain numbers for indicator maths. Every
 * other shape of a bar (stored rows, bars being aggregated, backtest and detector bars) is the
 * Candle's fields with these values, so a field renamed or added here reaches them all.
 */
export type CandleValues<T> = { [K in CandleValueField]: T };

/**
 * A bar of one named series as the provider keeps it: the Candle with its venue, close time, trade
 * count and closed flag always known, its open time under `openTime` (the storage key).
 */
export type SeriesCandle<T = Candle['open']> = Required<
  Pick<Candle, 'symbol' | 'interval' | 'closeTime' | 'trades' | 'closed' | 'connectorType' | 'marketType'>
> & {
  openTime: Candle['time'];
} & CandleValues<T>;

/**
 * A candle whose prices agree with each other (low ≤ open/close ≤ high, close time after open).
 * Separate from CandleSchema because refined objects can no longer be `.pick`ed.
 */
export const ConsistentCandleSchema = CandleSchema.superRefine((candle, ctx) => {
  // The fields are canonical decimal strings by now: compared digit by digit, without parsing.
  if (compareDecimalStrings(candle.low, candle.high) > 0)
    ctx.addIssue({ code: 'custom', path: ['low'], message: `low ${candle.low} is above high ${candle.high}` });
  for (const key of ['open', 'close'] as const) {
    if (compareDecimalStrings(candle[key], candle.high) > 0 || compareDecimalStrings(candle[key], candle.low) < 0) {
      ctx.addIssue({ code: 'custom', path: [key], message: `${key} ${candle[key]} is outside low..high` });
    }
  }
  if (candle.closeTime !== undefined && candle.closeTime < candle.time) {
    ctx.addIssue({ code: 'custom', path: ['closeTime'], message: 'closeTime is before the open time' });
  }
});

/** A public trade print; `side` is the aggressor (LONG = buyer took the ask). */
export const TradeSchema = z
  .object({
    id: z.string().min(1).optional(),
    time: UnixMs,
    symbol: SymbolName,
    price: PositiveDecimalString,
    volume: PositiveDecimalString,
    side: TradeSideSchema,
    connectorType: ConnectorTypeSchema.optional(),
    marketType: MarketTypeSchema.optional(),
  })
  .meta({ id: 'Trade' });
export type Trade = z.output<typeof TradeSchema>;

export const OrderBookLevelSchema = z.object({ price: PositiveDecimalString, volume: NonNegativeDecimalString });
export type OrderBookLevel = z.output<typeof OrderBookLevelSchema>;

/** Depth snapshot: bids best (highest) first, asks best (lowest) first. */
export const OrderBookSchema = z
  .object({
    symbol: SymbolName,
    time: UnixMs,
    bids: z.array(OrderBookLevelSchema),
    asks: z.array(OrderBookLevelSchema),
    lastUpdateId: z.number().int().nonnegative().optional(),
    connectorType: ConnectorTypeSchema.optional(),
    marketType: MarketTypeSchema.optional(),
  })
  .meta({ id: 'OrderBook' });
export type OrderBook = z.output<typeof OrderBookSchema>;

/**
 * 24 h rolling ticker with Binance's single-letter keys, kept because reference clients read
 * them. Loose: Binance adds keys (x, Q, b, B, a, A) that we pass through untouched.
 */
export const SymbolPriceSchema = z
  .looseObject({
    e: z.string().default('24hrTicker'),
    E: UnixMs.meta({ description: 'event time' }),
    s: SymbolName.meta({ description: 'symbol' }),
    p: DecimalString.meta({ description: 'price change' }),
    P: DecimalString.meta({ description: 'price change percent' }),
    w: NonNegativeDecimalString.meta({ description: 'weighted average price' }),
    o: NonNegativeDecimalString.meta({ description: 'open price' }),
    h: NonNegativeDecimalString.meta({ description: 'high price' }),
    l: NonNegativeDecimalString.meta({ description: 'low price' }),
    c: NonNegativeDecimalString.meta({ description: 'last price' }),
    v: NonNegativeDecimalString.meta({ description: 'base asset volume' }),
    q: NonNegativeDecimalString.meta({ description: 'quote asset volume' }),
    O: UnixMs.meta({ description: 'statistics open time' }),
    C: UnixMs.meta({ description: 'statistics close time' }),
    F: z.number().int().meta({ description: 'first trade id (-1 when none)' }),
    L: z.number().int().meta({ description: 'last trade id (-1 when none)' }),
    n: z.number().int().nonnegative().meta({ description: 'number of trades' }),
  })
  .meta({ id: 'SymbolPrice' });
export type SymbolPrice = z.output<typeof SymbolPriceSchema>;
