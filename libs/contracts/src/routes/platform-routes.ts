import { z } from 'zod';
import { CandleSchema } from '../market-data';
import { ConnectorTypeSchema, MarketTypeSchema, UnixMs, TimestampInput } from '../common';
import { DecimalString } from '../decimal';
import { createPaginationQuery, paginated } from '../http';
import { defineRoute, defineRoutes } from '../openapi';
import { ConnectorMarketParams, SymbolParam, TimeFrameParam } from './params';

const tags = (t: string) => [t];
const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');

// ---- event sink ----

export const EventSinkQuerySchema = createPaginationQuery(50).extend({
  limit: z.coerce
    .number({ error: 'limit must be a whole number' })
    .int('limit must be a whole number')
    .min(1, 'limit must be at least 1')
    .max(200, 'limit must be at most 200')
    .default(50),
  category: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{0,39}$/i, 'category is a word such as marketdata, order, signal')
    .optional(),
  symbol: SymbolParam.optional(),
  from: TimestampInput.optional(),
  to: TimestampInput.optional(),
  search: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .meta({ description: 'Plain text looked up in the payload (case-insensitive substring; % and _ are literal)' }),
  correlationId: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, 'correlationId is printable ASCII without spaces')
    .optional()
    .meta({ description: 'Events of one chain: signal, decision, risk verdict, orders and fills share it' }),
  includePayload: bool(true),
});
export type EventSinkQuery = z.output<typeof EventSinkQuerySchema>;

export const SinkEventSchema = z
  .object({
    eventId: z.string(),
    type: z.string(),
    eventType: z.string().meta({ description: '`<category>.<action>`, e.g. `order.create`' }),
    category: z.string(),
    action: z.string(),
    source: z.string(),
    symbol: z.string().optional(),
    connectorType: z.string().optional(),
    marketType: z.string().optional(),
    timestamp: UnixMs,
    correlationId: z.string().optional(),
    causationId: z.string().optional(),
    replay: z.boolean(),
    key: z.string().optional().meta({ description: 'Key of the app instance that published the event' }),
    payload: z.unknown().optional(),
  })
  .meta({ id: 'SinkEvent' });
export type SinkEventView = z.output<typeof SinkEventSchema>;

// ---- replay ----

export const ReplaySpeedSchema = z
  .union([z.literal('max'), z.coerce.number().positive('speed must be positive').max(1_000_000)])
  .default(1)
  .meta({ description: '1 = real time, N = N× faster, `max` = as fast as the bus takes them' });

export const ReplayStartSchema = z
  .object({
    from: TimestampInput,
    to: TimestampInput,
    speed: ReplaySpeedSchema,
    symbols: z.array(SymbolParam).max(500).optional(),
  })
  .refine((b) => b.from <= b.to, { message: '"from" must be less than or equal to "to"', path: ['from'] })
  .meta({ id: 'ReplayStart' });
export type ReplayStart = z.output<typeof ReplayStartSchema>;

export const ReplayStatusSchema = z
  .object({
    replayId: z.string().optional(),
    running: z.boolean(),
    state: z.enum(['idle', 'running', 'finished', 'stopped', 'failed']),
    from: UnixMs.optional(),
    to: UnixMs.optional(),
    speed: z.union([z.number(), z.literal('max')]).optional(),
    symbols: z.array(z.string()).optional(),
    cursor: UnixMs.optional(),
    total: z.number().int().nonnegative(),
    eventsSent: z.number().int().nonnegative(),
    progress: z.number().min(0).max(1),
    rate: z.number().nonnegative().meta({ description: 'Events per second since the start' }),
    startedAt: UnixMs.optional(),
    finishedAt: UnixMs.optional(),
    error: z.string().optional(),
  })
  .meta({ id: 'ReplayStatus' });
export type ReplayStatus = z.output<typeof ReplayStatusSchema>;

// ---- signals context ----

/** Longest candle window a context reads: ten years of daily bars. */
const SIGNALS_CONTEXT_MAX_DAYS = 3650;

// Out-of-range windows are refused, not clamped: a clamped value answered 200 for data never asked for.
const days = (name: string, fallback: number) =>
  z.coerce
    .number({ error: `${name} must be a whole number` })
    .int(`${name} must be a whole number`)
    .min(1, `${name} must be at least 1`)
    .max(SIGNALS_CONTEXT_MAX_DAYS, `${name} must be at most ${SIGNALS_CONTEXT_MAX_DAYS}`)
    .default(fallback)
    .meta({ description: `Days of candles, 1..${SIGNALS_CONTEXT_MAX_DAYS} (default ${fallback})` });

export const SignalsContextQuerySchema = z.object({
  connectorType: ConnectorTypeSchema.default('sim'),
  marketType: ConnectorMarketParams.shape.marketType.default('futures'),
  daysD1: days('daysD1', 365),
  daysH4: days('daysH4', 180),
  daysH1: days('daysH1', 90),
  // Any case is accepted; anything else is a 400 (it used to be read as DELTA).
  candlesMode: z
    .preprocess(
      (v) => (typeof v === 'string' ? v.toUpperCase() : v),
      z.enum(['FULL', 'DELTA'], { error: 'candlesMode must be FULL or DELTA' }),
    )
    .default('FULL')
    .meta({
      description:
        'FULL (default) or DELTA: omit the candle arrays when candlesKey equals the current cache key (case-insensitive)',
    }),
  candlesKey: z.string().max(200).optional(),
});
export type SignalsContextQuery = z.output<typeof SignalsContextQuerySchema>;

const Wall = z.object({ price: DecimalString, volume: DecimalString });
export const SignalsContextSchema = z
  .object({
    symbol: z.string(),
    connectorType: ConnectorTypeSchema,
    marketType: MarketTypeSchema,
    generatedAt: UnixMs,
    dataContext: z.object({
      maturity: z.enum(['FULL', 'INTRADAY', 'FAST', 'INSUFFICIENT']),
      windows: z.object({ candlesDays: z.number().int(), flowMinutes: z.number(), bookMinutes: z.number() }),
    }),
    candles: z.object({
      cacheKey: z.string(),
      unchanged: z.boolean(),
      d1: z.array(CandleSchema).optional(),
      h4: z.array(CandleSchema).optional(),
      h1: z.array(CandleSchema).optional(),
    }),
    orderBook: z
      .object({
        snapshotKey: z.string(),
        depth: z.number().int(),
        imbalance: z.number().nullable(),
        bestBid: DecimalString.nullable(),
        bestAsk: DecimalString.nullable(),
        mid: DecimalString.nullable(),
        spread: DecimalString.nullable(),
        spreadPct: z.number().nullable(),
        bidWallUsd: DecimalString,
        askWallUsd: DecimalString,
        walls: z.object({ bid: z.array(Wall), ask: z.array(Wall) }),
      })
      .nullable(),
    orderFlow: z.object({
      shortWindowSec: z.number(),
      longWindowSec: z.number(),
      tradeCount: z.number().int(),
      buyVolume: DecimalString,
      sellVolume: DecimalString,
      delta: DecimalString,
      cvd: DecimalString,
      deltaRatio: z.number(),
      absorptionScore: z.number(),
      avgTradeSize: DecimalString,
      maxTradeSize: DecimalString,
      vwap: DecimalString.nullable(),
    }),
  })
  .meta({ id: 'SignalsContext' });
export type SignalsContext = z.output<typeof SignalsContextSchema>;

// ---- dashboard ----

export const DashboardQuerySchema = z.object({
  windowMinutes: z.coerce
    .number({ error: 'windowMinutes must be a whole number' })
    .int('windowMinutes must be a whole number')
    .min(1, 'windowMinutes must be at least 1')
    .max(10_080, 'windowMinutes must be at most 10080 (one week)')
    .default(5),
});

const Count = z.number().int().nonnegative();
export const DashboardAlertSchema = z.object({
  severity: z.enum(['info', 'warning', 'critical']),
  code: z.string(),
  message: z.string(),
});
export const DashboardOverviewSchema = z
  .object({
    generatedAt: UnixMs,
    windowMinutes: z.number().int(),
    infrastructure: z.object({
      provider: z.object({ now: UnixMs, uptimeSec: z.number(), nodeVersion: z.string(), version: z.string() }),
      bus: z.object({
        transport: z.string(),
        connected: z.boolean(),
        published: Count,
        received: Count,
        dropped: Count,
      }),
      database: z.object({ kind: z.string(), ok: z.boolean() }),
      eventSink: z.object({
        enabled: z.boolean(),
        buffered: Count.meta({ description: 'Events held in memory, waiting to be written' }),
        dropped: Count.meta({ description: 'Market-data events dropped since start because the buffer was full' }),
        stored: Count.meta({ description: 'Events written since start' }),
        failures: Count.meta({ description: 'Failed writes in a row (retried with backoff); 0 once a write succeeds' }),
        lastError: z
          .string()
          .optional()
          .meta({ description: 'The most recent write error; kept after the writes recover' }),
      }),
    }),
    registry: z.object({
      total: Count,
      active: Count,
      inactive: Count,
      byType: z.record(z.string(), z.object({ active: Count, total: Count })),
    }),
    connectors: z.object({ total: Count, active: Count }),
    detectors: z.object({ total: Count, active: Count }),
    inspectors: z.object({ total: Count }),
    events: z.object({
      lastMinute: Count,
      window: Count,
      perMinute: z.number(),
      byCategory: z.record(z.string(), z.object({ count: Count, perMinute: z.number() })),
    }),
    trading: z.object({
      accounts: Count,
      walletBalanceTotal: DecimalString,
      availableBalanceTotal: DecimalString,
      assetsWithoutValuation: Count,
      openPositions: Count,
      openOrders: Count,
      notionalExposure: DecimalString,
      exposureRatio: z.number().nullable(),
      dailyPnl: DecimalString,
      unrealizedPnl: DecimalString,
    }),
    alerts: z.array(DashboardAlertSchema),
  })
  .meta({ id: 'DashboardOverview' });
export type DashboardOverview = z.output<typeof DashboardOverviewSchema>;

// ---- candle integrity ----

export const SeriesParams = ConnectorMarketParams.extend({ symbol: SymbolParam, interval: TimeFrameParam });
export const GapQuerySchema = z.object({ from: TimestampInput.optional(), to: TimestampInput.optional() });
export const MissingRangeSchema = z
  .object({ from: UnixMs, to: UnixMs, bars: Count })
  .meta({ description: 'Open times of the first and last missing bar, inclusive' });
export const GapReportSchema = z
  .object({
    connectorType: z.string(),
    marketType: z.string(),
    symbol: z.string(),
    interval: z.string(),
    from: UnixMs.nullable(),
    to: UnixMs.nullable(),
    totalRows: Count,
    expectedRows: Count,
    missingBars: Count,
    gapCount: Count,
    misalignedRows: Count,
    missingRanges: z.array(MissingRangeSchema),
    clean: z.boolean(),
  })
  .meta({ id: 'CandleGapReport' });
export type GapReport = z.output<typeof GapReportSchema>;

export const RepairRequestSchema = z
  .object({
    mode: z.enum(['dry-run', 'apply']).default('dry-run'),
    from: TimestampInput.optional(),
    to: TimestampInput.optional(),
  })
  .meta({ id: 'CandleRepairRequest' });
export const RepairResultSchema = z
  .object({
    mode: z.enum(['dry-run', 'apply']),
    before: GapReportSchema,
    after: GapReportSchema.optional(),
    rebuiltBars: Count,
    rebuiltFrom: z
      .object({ trades: Count, candles: Count })
      .meta({ description: 'Bars rebuilt from stored trade events, and from finer stored candles' }),
    unrepairable: z.array(MissingRangeSchema),
  })
  .meta({ id: 'CandleRepairResult' });
export type RepairResult = z.output<typeof RepairResultSchema>;

const seriesPath = '/candles/:connectorType/:marketType/:symbol/:interval';

export const platformRoutes = defineRoutes({
  eventsink: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/eventsink',
    summary: 'Persisted bus events, newest first, with filters',
    tags: tags('Event sink'),
    request: { query: EventSinkQuerySchema },
    responses: { 200: paginated(SinkEventSchema) },
  }),
  replayStart: defineRoute({
    method: 'post',
    scope: 'configure',
    path: '/replay/start',
    summary: 'Replay stored market data through the live bus subjects and WS events (marked replay)',
    tags: tags('Replay'),
    request: { body: ReplayStartSchema },
    responses: { 202: ReplayStatusSchema, 409: null },
  }),
  replayStop: defineRoute({
    method: 'post',
    scope: 'configure',
    path: '/replay/stop',
    summary: 'Stop the running replay (no-op when idle)',
    tags: tags('Replay'),
    responses: { 200: ReplayStatusSchema },
  }),
  replayStatus: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/replay/status',
    summary: 'Replay state, progress (0..1), cursor, events sent and rate',
    tags: tags('Replay'),
    responses: { 200: ReplayStatusSchema },
  }),
  signalsContext: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/signals/context/:symbol',
    summary: 'D1/H4/H1 candles, order book, order flow and data maturity for one symbol',
    tags: tags('Signals'),
    request: { params: z.object({ symbol: SymbolParam }), query: SignalsContextQuerySchema },
    responses: { 200: SignalsContextSchema },
  }),
  dashboard: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/dashboard/overview',
    summary: 'Infrastructure, registry, event rates, trading and alerts at a glance',
    tags: tags('Dashboard'),
    request: { query: DashboardQuerySchema },
    responses: { 200: DashboardOverviewSchema },
  }),
  candleGaps: defineRoute({
    method: 'get',
    scope: 'read',
    path: `${seriesPath}/gaps`,
    summary: 'Missing and misaligned bars of one series',
    tags: tags('Candles'),
    request: { params: SeriesParams, query: GapQuerySchema },
    responses: { 200: GapReportSchema },
  }),
  candleRepair: defineRoute({
    method: 'post',
    scope: 'configure',
    path: `${seriesPath}/repair`,
    summary: 'Rebuild missing bars from stored trades or finer candles (dry-run or apply)',
    tags: tags('Candles'),
    request: { params: SeriesParams, body: RepairRequestSchema },
    responses: { 200: RepairResultSchema },
  }),
});
