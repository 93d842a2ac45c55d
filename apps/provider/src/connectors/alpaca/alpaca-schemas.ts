import { z } from 'zod';

/** Alpaca Trading API v2 and Market Data v2 payloads as documented; unknown keys pass through. */
const money = z.union([z.string(), z.number()]).transform(String);
const nullableMoney = z
  .union([z.string(), z.number(), z.null()])
  .transform((v) => (v === null ? undefined : String(v)));

export const AlpacaAssetSchema = z.looseObject({
  symbol: z.string(),
  class: z.enum(['us_equity', 'crypto', 'us_option']),
  status: z.string(),
  tradable: z.boolean(),
  marginable: z.boolean().optional(),
  fractionable: z.boolean().optional(),
  min_order_size: money.optional(),
  min_trade_increment: money.optional(),
  price_increment: money.optional(),
});
export type AlpacaAsset = z.output<typeof AlpacaAssetSchema>;

export const AlpacaOrderSchema = z.looseObject({
  id: z.string(),
  client_order_id: z.string(),
  symbol: z.string(),
  created_at: z.string(),
  updated_at: z.string().nullable(),
  qty: nullableMoney,
  filled_qty: money,
  filled_avg_price: nullableMoney,
  type: z.string(),
  side: z.enum(['buy', 'sell']),
  time_in_force: z.string(),
  limit_price: nullableMoney,
  stop_price: nullableMoney,
  status: z.string(),
});
export type AlpacaOrder = z.output<typeof AlpacaOrderSchema>;

export const AlpacaBarSchema = z.looseObject({
  t: z.string(),
  o: z.number(),
  h: z.number(),
  l: z.number(),
  c: z.number(),
  v: z.number(),
  n: z.number().optional(),
  vw: z.number().optional(),
});
export const AlpacaBarsPageSchema = z.looseObject({
  bars: z.record(z.string(), z.array(AlpacaBarSchema)).nullable(),
  next_page_token: z.string().nullable(),
});

export const AlpacaAccountSchema = z.looseObject({
  currency: z.string(),
  cash: money,
  buying_power: money,
  equity: money,
});
export const AlpacaPositionSchema = z.looseObject({
  symbol: z.string(),
  qty: money,
  side: z.enum(['long', 'short']),
  avg_entry_price: money,
  current_price: nullableMoney.optional(),
  unrealized_pl: nullableMoney.optional(),
});

/** Market-data stream messages arrive as arrays of these. */
export const AlpacaStreamTradeSchema = z.looseObject({
  T: z.literal('t'),
  S: z.string(),
  i: z.number(),
  p: z.number(),
  s: z.number(),
  t: z.string(),
  tks: z.string().optional(),
});

const AlpacaBookLevelSchema = z.looseObject({ p: z.number(), s: z.number() });
/** An order book message of the crypto stream: a full book when `r` is true, else changed levels (size 0 removes one). */
export const AlpacaStreamOrderBookSchema = z.looseObject({
  T: z.literal('o'),
  S: z.string(),
  t: z.string(),
  b: z.array(AlpacaBookLevelSchema).default([]),
  a: z.array(AlpacaBookLevelSchema).default([]),
  r: z.boolean().optional(),
});

export const AlpacaTradeUpdateSchema = z.looseObject({
  stream: z.literal('trade_updates'),
  data: z.looseObject({
    event: z.string(),
    execution_id: z.string().optional(),
    price: money.optional(),
    qty: money.optional(),
    timestamp: z.string().optional(),
    order: AlpacaOrderSchema,
  }),
});

/** A message of the trading stream: `authorization`, `listening` or `trade_updates`. */
export const AlpacaStreamMessageSchema = z.looseObject({ stream: z.string(), data: z.record(z.string(), z.unknown()) });

/** "Account Activities": one execution of `GET /v2/account/activities/FILL`. */
export const AlpacaFillActivitySchema = z.looseObject({
  id: z.string(),
  activity_type: z.literal('FILL'),
  transaction_time: z.string(),
  type: z.string(),
  price: money,
  qty: money,
  side: z.enum(['buy', 'sell', 'sell_short']),
  symbol: z.string(),
  order_id: z.string(),
  cum_qty: money,
});
