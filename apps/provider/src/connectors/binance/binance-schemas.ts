import { z } from 'zod';

/** Upstream replies and stream events, as documented by Binance; unknown keys pass through. */
const num = z.union([z.string(), z.number()]).transform(String);

export const BinanceFilterSchema = z.looseObject({
  filterType: z.string(),
  tickSize: z.string().optional(),
  minPrice: z.string().optional(),
  maxPrice: z.string().optional(),
  stepSize: z.string().optional(),
  minQty: z.string().optional(),
  maxQty: z.string().optional(),
  minNotional: z.string().optional(),
  notional: z.string().optional(),
});

export const BinanceSymbolSchema = z.looseObject({
  symbol: z.string(),
  status: z.string(),
  baseAsset: z.string(),
  quoteAsset: z.string(),
  pricePrecision: z.number().optional(),
  quantityPrecision: z.number().optional(),
  isSpotTradingAllowed: z.boolean().optional(),
  isMarginTradingAllowed: z.boolean().optional(),
  filters: z.array(BinanceFilterSchema),
});
export const BinanceExchangeInfoSchema = z.looseObject({ symbols: z.array(BinanceSymbolSchema) });

export const BinanceKlineSchema = z
  .tuple([z.number(), z.string(), z.string(), z.string(), z.string(), z.string(), z.number(), z.string(), z.number()])
  .rest(z.unknown());

export const BinanceOrderSchema = z.looseObject({
  symbol: z.string(),
  orderId: z.number(),
  clientOrderId: z.string(),
  /** Spot cancel replies: the canceled order's own id (`clientOrderId` is then the cancel's id). */
  origClientOrderId: z.string().optional(),
  price: z.string().optional(),
  avgPrice: z.string().optional(),
  origQty: z.string(),
  executedQty: z.string(),
  cummulativeQuoteQty: z.string().optional(),
  status: z.string(),
  timeInForce: z.string().optional(),
  type: z.string(),
  side: z.enum(['BUY', 'SELL']),
  stopPrice: z.string().optional(),
  time: z.number().optional(),
  transactTime: z.number().optional(),
  updateTime: z.number().optional(),
  fills: z
    .array(
      z.looseObject({
        price: z.string(),
        qty: z.string(),
        commission: z.string(),
        commissionAsset: z.string(),
        tradeId: z.number(),
      }),
    )
    .optional(),
});
export type BinanceOrder = z.output<typeof BinanceOrderSchema>;

export const BinanceTradeSchema = z.looseObject({
  id: z.number(),
  orderId: z.number(),
  symbol: z.string(),
  price: z.string(),
  qty: z.string(),
  commission: z.string(),
  commissionAsset: z.string(),
  time: z.number(),
  isBuyer: z.boolean().optional(),
  buyer: z.boolean().optional(),
  isMaker: z.boolean().optional(),
  maker: z.boolean().optional(),
  realizedPnl: z.string().optional(),
});

export const BinanceSpotAccountSchema = z.looseObject({
  balances: z.array(z.looseObject({ asset: z.string(), free: z.string(), locked: z.string() })),
});
export const BinanceFuturesAccountSchema = z.looseObject({
  assets: z.array(z.looseObject({ asset: z.string(), walletBalance: z.string(), availableBalance: z.string() })),
  positions: z.array(
    z.looseObject({
      symbol: z.string(),
      positionAmt: z.string(),
      entryPrice: z.string(),
      unrealizedProfit: z.string().optional(),
      leverage: num.optional(),
      updateTime: z.number().optional(),
    }),
  ),
});

export const BinanceDepthSnapshotSchema = z.looseObject({
  lastUpdateId: z.number(),
  bids: z.array(z.tuple([z.string(), z.string()])),
  asks: z.array(z.tuple([z.string(), z.string()])),
});
export type BinanceDepthSnapshot = z.output<typeof BinanceDepthSnapshotSchema>;

export const BinanceDepthUpdateSchema = z.looseObject({
  e: z.literal('depthUpdate'),
  E: z.number(),
  s: z.string(),
  U: z.number(),
  u: z.number(),
  /** Futures only: the previous event's final update id. */
  pu: z.number().optional(),
  b: z.array(z.tuple([z.string(), z.string()])),
  a: z.array(z.tuple([z.string(), z.string()])),
});
export type BinanceDepthUpdate = z.output<typeof BinanceDepthUpdateSchema>;

export const BinanceAggTradeSchema = z.looseObject({
  e: z.literal('aggTrade'),
  E: z.number(),
  s: z.string(),
  a: z.number(),
  p: z.string(),
  q: z.string(),
  T: z.number(),
  m: z.boolean(),
});
export const BinanceTickerSchema = z.looseObject({
  e: z.literal('24hrTicker'),
  E: z.number(),
  s: z.string(),
  c: z.string(),
});

export const ExecutionReportSchema = z.looseObject({
  e: z.literal('executionReport'),
  E: z.number(),
  s: z.string(),
  c: z.string(),
  S: z.enum(['BUY', 'SELL']),
  o: z.string(),
  /** timeInForce */
  f: z.string().optional(),
  q: z.string(),
  p: z.string(),
  P: z.string(),
  x: z.string(),
  X: z.string(),
  r: z.string(),
  i: z.number(),
  l: z.string(),
  z: z.string(),
  L: z.string(),
  n: z.string(),
  N: z.string().nullable(),
  T: z.number(),
  t: z.number(),
  m: z.boolean(),
  Z: z.string(),
  /** On a cancel, `c` is the cancel request's id and `C` the original order's. */
  C: z.string().optional(),
});

export const OrderTradeUpdateSchema = z.looseObject({
  e: z.literal('ORDER_TRADE_UPDATE'),
  E: z.number(),
  T: z.number(),
  o: z.looseObject({
    s: z.string(),
    c: z.string(),
    S: z.enum(['BUY', 'SELL']),
    o: z.string(),
    /** timeInForce; GTX marks a post-only limit */
    f: z.string().optional(),
    q: z.string(),
    p: z.string(),
    ap: z.string(),
    sp: z.string(),
    x: z.string(),
    X: z.string(),
    i: z.number(),
    l: z.string(),
    z: z.string(),
    L: z.string(),
    n: z.string().optional(),
    N: z.string().optional(),
    T: z.number(),
    t: z.number(),
    m: z.boolean(),
    rp: z.string().optional(),
  }),
});

/**
 * USD-M Algo Service order, as "New Algo Order", "Query Algo Order" and "Current All Algo Open
 * Orders" return it. `actualOrderId` is empty until the order is triggered into the matching engine.
 */
export const BinanceAlgoOrderSchema = z.looseObject({
  algoId: z.number(),
  clientAlgoId: z.string(),
  algoType: z.string().optional(),
  orderType: z.string(),
  symbol: z.string(),
  side: z.enum(['BUY', 'SELL']),
  timeInForce: z.string().optional(),
  quantity: num,
  algoStatus: z.string(),
  actualOrderId: z.union([z.string(), z.number()]).transform(String).optional(),
  triggerPrice: num.optional(),
  price: num.optional(),
  reduceOnly: z.boolean().optional(),
  createTime: z.number().optional(),
  updateTime: z.number().optional(),
});
export type BinanceAlgoOrder = z.output<typeof BinanceAlgoOrderSchema>;

/** "Cancel Algo Order": `{ algoId, clientAlgoId, code: "200", msg: "success" }`, no status. */
export const BinanceAlgoCancelSchema = z.looseObject({ algoId: z.number(), clientAlgoId: z.string() });

/** User data "Event: Algo Order Update" (`ALGO_UPDATE`). */
export const AlgoUpdateSchema = z.looseObject({
  e: z.literal('ALGO_UPDATE'),
  E: z.number(),
  T: z.number(),
  o: z.looseObject({
    caid: z.string(),
    aid: z.number(),
    o: z.string(),
    s: z.string(),
    S: z.enum(['BUY', 'SELL']),
    f: z.string().optional(),
    q: z.string(),
    X: z.string(),
    /** The matching-engine order once triggered; empty before. */
    ai: z.union([z.string(), z.number()]).transform(String).optional(),
    ap: z.string().optional(),
    aq: z.string().optional(),
    tp: z.string().optional(),
    p: z.string().optional(),
    R: z.boolean().optional(),
    rm: z.string().optional(),
  }),
});
