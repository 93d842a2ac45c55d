import { z } from 'zod';
import { ConnectorTypeSchema, TimeFrameSchema, TimestampInput, UnixMs } from '../common';
import { DecimalString, NonNegativeDecimalString, PositiveDecimalString, compareDecimalStrings } from '../decimal';
import { defineRoute, defineRoutes } from '../openapi';
import { BackfillProgressSchema } from '../platform';
import { ConnectorMarketParams, OkSchema, SymbolParam, TimeFrameParam } from './params';

const tags = (t: string) => [t];
const Count = z.number().int().nonnegative();

// ---- backtest ----

const StoredSourceSchema = z
  .object({
    type: z.literal('stored'),
    connectorType: ConnectorTypeSchema,
    marketType: ConnectorMarketParams.shape.marketType,
    from: TimestampInput,
    to: TimestampInput,
  })
  .refine((s) => s.from < s.to, { message: '"from" must be before "to"', path: ['from'] })
  .meta({
    description: 'Candles stored by the provider for (connectorType, marketType, symbol, interval) in [from, to]',
  });

const SyntheticSourceSchema = z
  .object({
    type: z.literal('synthetic'),
    seed: z.number().int().default(1),
    bars: z.number().int().min(1).max(5_000_000),
    // Prices are generated on a 0.000001 grid below 100: anything smaller would round every bar to one tick.
    startPrice: z.number().min(0.000001, 'startPrice must be at least 0.000001').max(1e7).default(100),
    /** Per bar, not annualised. */
    drift: z.number().min(-0.1).max(0.1).default(0),
    volatility: z.number().min(0).max(0.5).default(0.01),
    /** Open time of the first bar; default 2024-01-01T00:00:00Z. */
    start: TimestampInput.optional(),
    /** A window of the series: bars still come from `start` on, so a window's bars are those of the whole series. */
    from: TimestampInput.optional(),
    to: TimestampInput.optional(),
  })
  .refine((s) => s.from === undefined || s.to === undefined || s.from <= s.to, {
    message: '"from" must not be after "to"',
    path: ['from'],
  })
  .meta({
    description:
      'Seeded geometric Brownian motion candles (the same seed gives the same bars); `from`/`to` keep only the bars opening in that window of the series',
  });

export const BacktestSourceSchema = z.discriminatedUnion('type', [StoredSourceSchema, SyntheticSourceSchema]);
export type BacktestSource = z.output<typeof BacktestSourceSchema>;

export const PositionSizingSchema = z
  .discriminatedUnion('mode', [
    z.object({
      mode: z.literal('fixed'),
      quantity: PositiveDecimalString.meta({ description: 'Base-asset quantity per trade' }),
    }),
    z.object({
      mode: z.literal('percent'),
      percent: z.number().positive().max(100).meta({ description: 'Notional as a percent of equity at entry' }),
    }),
  ])
  .default({ mode: 'percent', percent: 10 });

/** A fraction of notional: 1 would charge the whole trade. */
const FeeRate = NonNegativeDecimalString.refine(
  (v) => compareDecimalStrings(v, '1') < 0,
  'a fee rate is a fraction of notional and must be below 1 (0.0005 = 0.05 %)',
);

export const BacktestFeesSchema = z
  .object({ maker: FeeRate.default('0.0002'), taker: FeeRate.default('0.0005') })
  .default({ maker: '0.0002', taker: '0.0005' })
  .meta({ description: 'Fee rates as fractions of notional, 0 up to (not including) 1 (0.0005 = 0.05 %)' });

export const BacktestRequestSchema = z
  .object({
    detector: z
      .string()
      .min(1)
      .max(100)
      .meta({ description: 'A built-in detector-kit example, e.g. `ema-cross` or `rsi-reversion`' }),
    params: z.record(z.string(), z.unknown()).optional(),
    symbol: SymbolParam,
    interval: TimeFrameParam,
    source: BacktestSourceSchema,
    initialBalance: PositiveDecimalString.default('10000'),
    positionSizing: PositionSizingSchema,
    fees: BacktestFeesSchema,
  })
  .meta({ id: 'BacktestRequest' });
export type BacktestRequest = z.output<typeof BacktestRequestSchema>;

export const BacktestMetricsSchema = z
  .object({
    bars: Count,
    signals: Count,
    trades: Count,
    wins: Count,
    losses: Count,
    winRate: z.number().min(0).max(1),
    netPnl: DecimalString,
    fees: NonNegativeDecimalString,
    finalEquity: DecimalString,
    returnPct: z.number(),
    maxDrawdown: NonNegativeDecimalString.meta({
      description: 'Largest peak-to-trough fall of equity (bar closes), in the quote asset',
    }),
    maxDrawdownPct: z.number().min(0),
    sharpe: z.number().meta({ description: 'Annualised from per-bar equity returns (risk-free rate 0)' }),
    exposure: z.number().min(0).max(1).meta({ description: 'Share of bars that closed with a position open' }),
    rejectedOrders: Count,
  })
  .meta({ id: 'BacktestMetrics' });
export type BacktestMetrics = z.output<typeof BacktestMetricsSchema>;

export const BacktestTradeSchema = z
  .object({
    seq: Count,
    side: z.enum(['LONG', 'SHORT']),
    quantity: PositiveDecimalString,
    entryTime: UnixMs,
    entryPrice: PositiveDecimalString,
    exitTime: UnixMs,
    exitPrice: PositiveDecimalString,
    pnl: DecimalString.meta({ description: 'Net of both fees' }),
    fees: NonNegativeDecimalString,
    exitReason: z.enum(['stop', 'target', 'invalidated', 'flip', 'liquidation', 'end']),
    signalId: z.string().optional(),
  })
  .meta({ id: 'BacktestTrade' });
export type BacktestTrade = z.output<typeof BacktestTradeSchema>;

export const BacktestStateSchema = z.enum(['queued', 'running', 'finished', 'failed']);

export const BacktestSummarySchema = z
  .object({
    id: z.string(),
    state: BacktestStateSchema,
    detector: z.string(),
    params: z.record(z.string(), z.unknown()),
    symbol: z.string(),
    interval: TimeFrameSchema,
    source: z.record(z.string(), z.unknown()),
    initialBalance: DecimalString,
    processed: Count,
    total: Count,
    progress: z.number().min(0).max(1),
    metrics: BacktestMetricsSchema.nullable(),
    error: z.string().optional(),
    createdAt: UnixMs,
    startedAt: UnixMs.optional(),
    finishedAt: UnixMs.optional(),
  })
  .meta({ id: 'BacktestSummary' });
export type BacktestSummary = z.output<typeof BacktestSummarySchema>;

export const BacktestDetailSchema = BacktestSummarySchema.extend({ trades: z.array(BacktestTradeSchema) }).meta({
  id: 'BacktestDetail',
});
export type BacktestDetail = z.output<typeof BacktestDetailSchema>;

export const BacktestListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  detector: z.string().max(100).optional(),
  symbol: SymbolParam.optional(),
});

const IdParams = z.object({ id: z.string().min(1).max(100) });

// ---- candle backfill ----

export const BackfillRequestSchema = z
  .object({ from: TimestampInput, to: TimestampInput })
  .refine((b) => b.from < b.to, { message: '"from" must be before "to"', path: ['from'] })
  .meta({ id: 'BackfillRequest' });
export type BackfillRequest = z.output<typeof BackfillRequestSchema>;

export const BackfillStatusSchema = BackfillProgressSchema.extend({
  jobId: z.string().optional(),
  state: z.enum(['idle', 'running', 'finished', 'failed']),
  from: UnixMs.optional(),
  to: UnixMs.optional(),
  upserted: Count,
  pages: Count,
  progress: z.number().min(0).max(1),
  startedAt: UnixMs.optional(),
  finishedAt: UnixMs.optional(),
}).meta({ id: 'BackfillStatus' });
export type BackfillStatus = z.output<typeof BackfillStatusSchema>;

export const BackfillSeriesParams = ConnectorMarketParams.extend({ symbol: SymbolParam, interval: TimeFrameParam });
const backfillPath = '/candles/:connectorType/:marketType/:symbol/:interval/backfill';

export const backtestRoutes = defineRoutes({
  backtestCreate: defineRoute({
    method: 'post',
    scope: 'configure',
    path: '/backtests',
    summary: 'Run a detector over stored or synthetic candles on an isolated simulated exchange',
    tags: tags('Backtest'),
    request: { body: BacktestRequestSchema },
    responses: { 202: BacktestSummarySchema },
  }),
  backtestList: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/backtests',
    summary: 'Backtests, newest first, without trades',
    tags: tags('Backtest'),
    request: { query: BacktestListQuerySchema },
    responses: { 200: z.array(BacktestSummarySchema) },
  }),
  backtestGet: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/backtests/:id',
    summary: 'One backtest with its metrics and trades',
    tags: tags('Backtest'),
    request: { params: IdParams },
    responses: { 200: BacktestDetailSchema, 404: null },
  }),
  backtestCancel: defineRoute({
    method: 'post',
    scope: 'configure',
    path: '/backtests/:id/cancel',
    summary:
      'Stop a queued or running backtest: it ends failed, with error "cancelled by a request" and what it processed so far',
    tags: tags('Backtest'),
    request: { params: IdParams },
    responses: { 200: BacktestSummarySchema, 404: null, 409: null },
  }),
  backtestDelete: defineRoute({
    method: 'delete',
    scope: 'configure',
    path: '/backtests/:id',
    summary: 'Delete a finished backtest and its trades',
    tags: tags('Backtest'),
    request: { params: IdParams },
    responses: { 200: OkSchema, 404: null, 409: null },
  }),
  candleBackfill: defineRoute({
    method: 'post',
    scope: 'configure',
    path: backfillPath,
    summary: "Page the connector's candle history for [from, to] into the store (one job per series)",
    tags: tags('Candles'),
    request: { params: BackfillSeriesParams, body: BackfillRequestSchema },
    responses: { 202: BackfillStatusSchema, 409: null },
  }),
  candleBackfillStatus: defineRoute({
    method: 'get',
    scope: 'read',
    path: `${backfillPath}/status`,
    summary: 'The running or last backfill of one series',
    tags: tags('Candles'),
    request: { params: BackfillSeriesParams },
    responses: { 200: BackfillStatusSchema },
  }),
});
