import { z } from 'zod';
import { TimeFrameSchema, UnixMs } from '../common';
import { defineRoute, defineRoutes } from '../openapi';
import {
  BacktestFeesSchema,
  BacktestRequestSchema,
  BacktestSourceSchema,
  BacktestSummarySchema,
  PositionSizingSchema,
} from './backtest-routes';
import { OkSchema, SymbolParam, TimeFrameParam } from './params';

const tags = ['Optimization'];
const Count = z.number().int().nonnegative();
const ParamValue = z.union([z.number(), z.string(), z.boolean()]);
const ParamSet = z.record(z.string(), z.unknown());

/** One dimension of the search, narrowing what the detector's params schema allows. */
export const ParamRangeSchema = z
  .union([
    z.object({ min: z.number(), max: z.number(), step: z.number().positive().optional() }).strict(),
    z.object({ values: z.array(ParamValue).min(1).max(1_000) }).strict(),
    z.object({ fixed: ParamValue }).strict(),
  ])
  .meta({
    id: 'ParamRange',
    description:
      '`{min, max, step?}` for a number (step defaults to a tenth of the range, 1 for integers), `{values: [...]}` for choices, or `{fixed: v}` to hold one value',
  });
export type ParamRange = z.output<typeof ParamRangeSchema>;

export const OptimizationObjectiveSchema = z.enum([
  'sharpe',
  'sortino',
  'calmar',
  'profitFactor',
  'returnOverMaxDrawdown',
  'netProfit',
]);
export type OptimizationObjective = z.output<typeof OptimizationObjectiveSchema>;

export const OptimizationSearchSchema = z
  .object({
    method: z.enum(['grid', 'random', 'tpe']).default('tpe'),
    /** Trials per fold (grid: the whole grid, which must not exceed `maxTrials`). */
    trials: z.number().int().min(1).max(5_000).default(100),
    seed: z.number().int().default(1),
  })
  .default({ method: 'tpe', trials: 100, seed: 1 })
  .meta({
    description:
      'grid (every point), random, or tpe (a tree-structured Parzen estimator); the same seed gives the same trials',
  });

export const WalkForwardSchema = z
  .object({
    mode: z.enum(['rolling', 'anchored']).default('rolling'),
    folds: z.number().int().min(1).max(20).default(4),
    /** Share of each fold's bars that are in-sample (the rest are out-of-sample). */
    inSampleRatio: z.number().min(0.1).max(0.95).default(0.75),
  })
  .meta({
    description:
      'Parameters are chosen on each fold in-sample and scored on the bars after it; the headline is the stitched out-of-sample result',
  });

export const OptimizationRequestSchema = z
  .object({
    detector: BacktestRequestSchema.shape.detector,
    symbols: z.array(SymbolParam).min(1).max(20),
    interval: TimeFrameParam,
    source: BacktestSourceSchema,
    initialBalance: BacktestRequestSchema.shape.initialBalance,
    positionSizing: PositionSizingSchema,
    fees: BacktestFeesSchema,
    /** Parameters left out keep their default; no `space` at all searches every parameter. */
    space: z.record(z.string(), ParamRangeSchema).optional(),
    objective: OptimizationObjectiveSchema.default('sharpe'),
    constraints: z
      .object({
        minTrades: z.number().int().min(0).default(0),
        maxDrawdownPct: z.number().positive().max(100).optional(),
      })
      .default({ minTrades: 0 }),
    search: OptimizationSearchSchema,
    walkForward: WalkForwardSchema.optional(),
  })
  .meta({ id: 'OptimizationRequest' });
export type OptimizationRequest = z.output<typeof OptimizationRequestSchema>;

export const TrialScoreSchema = z
  .object({
    score: z
      .number()
      .nullable()
      .meta({ description: 'The objective; null when the params are invalid or a constraint failed' }),
    sharpe: z.number(),
    sortino: z.number(),
    calmar: z.number(),
    profitFactor: z.number(),
    returnOverMaxDrawdown: z.number(),
    netProfit: z.number(),
    returnPct: z.number(),
    maxDrawdownPct: z.number(),
    trades: Count,
    bars: Count,
  })
  .meta({ id: 'TrialScore' });
export type TrialScore = z.output<typeof TrialScoreSchema>;

export const TrialRoleSchema = z.enum(['search', 'neighbour', 'oos']);

export const OptimizationTrialSchema = z
  .object({
    fold: Count,
    seq: Count,
    role: TrialRoleSchema,
    params: ParamSet,
    score: TrialScoreSchema,
    error: z.string().optional(),
  })
  .meta({ id: 'OptimizationTrial' });
export type OptimizationTrial = z.output<typeof OptimizationTrialSchema>;

export const EquityPointSchema = z.tuple([UnixMs, z.number()]);

export const FoldResultSchema = z.object({
  fold: Count,
  inSample: z.object({ from: UnixMs, to: UnixMs }),
  outOfSample: z.object({ from: UnixMs, to: UnixMs }).nullable(),
  chosen: ParamSet.nullable(),
  inSampleScore: TrialScoreSchema.nullable(),
  outOfSampleScore: TrialScoreSchema.nullable(),
  robustness: z.number().nullable(),
  pbo: z.number().nullable(),
  deflatedSharpe: z.number().nullable(),
});

export const OptimizationResultSchema = z
  .object({
    /** The stitched out-of-sample performance (or the in-sample best without walk-forward). */
    headline: TrialScoreSchema.nullable(),
    headlineKind: z.enum(['outOfSample', 'inSample']),
    chosen: ParamSet.nullable().meta({ description: 'The last fold’s choice: the parameters to run from now on' }),
    folds: z.array(FoldResultSchema),
    guard: z.object({
      robustness: z.number().nullable().meta({
        description:
          'Mean objective of the chosen parameters’ neighbours (one step along each axis) over the chosen’s own, in-sample; 1 = a plateau',
      }),
      pbo: z.number().nullable().meta({
        description:
          'Probability of backtest overfitting (CSCV, Bailey et al. 2015): how often the in-sample best ranks in the lower half out of sample',
      }),
      deflatedSharpe: z.number().nullable().meta({
        description:
          'Deflated Sharpe ratio (Bailey and López de Prado 2014): the probability that the chosen Sharpe is above zero once the trials tried are accounted for; below 0.95 is flagged',
      }),
      flagged: z.boolean(),
      reasons: z.array(z.string()),
      verdict: z.string(),
    }),
    equity: z.object({ outOfSample: z.array(EquityPointSchema), inSample: z.array(EquityPointSchema) }),
  })
  .meta({ id: 'OptimizationResult' });
export type OptimizationResult = z.output<typeof OptimizationResultSchema>;

export const OptimizationStateSchema = z.enum(['queued', 'running', 'finished', 'failed', 'cancelled']);

export const OptimizationSummarySchema = z
  .object({
    id: z.string(),
    state: OptimizationStateSchema,
    detector: z.string(),
    symbols: z.array(z.string()),
    interval: TimeFrameSchema,
    objective: OptimizationObjectiveSchema,
    method: z.enum(['grid', 'random', 'tpe']),
    done: Count,
    total: Count,
    progress: z.number().min(0).max(1),
    best: z.object({ params: ParamSet, score: z.number() }).nullable(),
    etaMs: z.number().nonnegative().nullable(),
    error: z.string().optional(),
    createdAt: UnixMs,
    startedAt: UnixMs.optional(),
    finishedAt: UnixMs.optional(),
  })
  .meta({ id: 'OptimizationSummary' });
export type OptimizationSummary = z.output<typeof OptimizationSummarySchema>;

export const OptimizationDetailSchema = OptimizationSummarySchema.extend({
  request: z.record(z.string(), z.unknown()),
  result: OptimizationResultSchema.nullable(),
  trials: z.array(OptimizationTrialSchema),
}).meta({ id: 'OptimizationDetail' });
export type OptimizationDetail = z.output<typeof OptimizationDetailSchema>;

export const OptimizationProgressSchema = z
  .object({
    optimizationId: z.string(),
    state: OptimizationStateSchema,
    done: Count,
    total: Count,
    best: z.object({ params: ParamSet, score: z.number() }).nullable(),
    etaMs: z.number().nonnegative().nullable(),
    error: z.string().optional(),
  })
  .meta({ id: 'OptimizationProgress' });
export type OptimizationProgress = z.output<typeof OptimizationProgressSchema>;

export const DetectorInfoSchema = z
  .object({
    name: z.string(),
    version: z.string(),
    description: z.string().optional(),
    origin: z.enum(['builtin', 'user']),
    aliases: z.array(z.string()),
    timeframes: z.array(TimeFrameSchema),
    paramsSchema: z
      .record(z.string(), z.unknown())
      .meta({ description: 'JSON Schema of the params (from the detector’s Zod schema)' }),
  })
  .meta({ id: 'DetectorInfo' });
export type DetectorInfo = z.output<typeof DetectorInfoSchema>;

export const BatchBacktestRequestSchema = BacktestRequestSchema.omit({ symbol: true, params: true })
  .extend({
    symbols: z.array(SymbolParam).min(1).max(50),
    paramSets: z.array(ParamSet).min(1).max(200).default([{}]),
  })
  .meta({ id: 'BatchBacktestRequest' });
export type BatchBacktestRequest = z.output<typeof BatchBacktestRequestSchema>;

export const BatchBacktestResultSchema = z
  .object({
    runs: z.array(
      z.object({
        symbol: z.string(),
        params: ParamSet,
        score: TrialScoreSchema.nullable(),
        error: z.string().optional(),
      }),
    ),
  })
  .meta({ id: 'BatchBacktestResult' });
export type BatchBacktestResult = z.output<typeof BatchBacktestResultSchema>;

export const OptimizationListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  detector: z.string().max(100).optional(),
});
export const OptimizationGetQuerySchema = z.object({
  trials: z.coerce
    .number()
    .int()
    .min(0)
    .max(20_000)
    .default(1_000)
    .meta({ description: 'Trials to include, in the order they were stored' }),
});

const IdParams = z.object({ id: z.string().min(1).max(100) });
/** A path segment holding a whole number (a required string in the document, a number in the handler). */
const IndexParam = z
  .string()
  .regex(/^\d{1,6}$/, 'a whole number')
  .transform(Number);
const TrialParams = IdParams.extend({ fold: IndexParam, seq: IndexParam });

export const TrialBacktestRequestSchema = z
  .object({
    symbol: SymbolParam.optional().meta({
      description: 'One of the job’s symbols; required when the job has several',
    }),
    window: z.enum(['inSample', 'outOfSample']).default('inSample').meta({
      description:
        'The trial’s fold window to run over: in-sample (where the trial was scored) or the fold’s out-of-sample window (walk-forward only)',
    }),
  })
  .default({ window: 'inSample' })
  .meta({ id: 'TrialBacktestRequest' });
export type TrialBacktestRequest = z.output<typeof TrialBacktestRequestSchema>;

export const ApplyTrialRequestSchema = z
  .object({
    appKey: z
      .string()
      .min(1)
      .max(100)
      .meta({ description: 'The detector app to reconfigure (its key in the registry)' }),
    fold: z.number().int().min(0).optional(),
    seq: z.number().int().min(0).optional(),
  })
  .meta({ id: 'ApplyTrialRequest', description: 'Without fold/seq the job’s chosen parameters are applied' });

export const optimizationRoutes = defineRoutes({
  detectorCatalog: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/research/detectors',
    summary: 'Every detector backtests and optimisations can run, built-in and user, with its params schema',
    tags: ['Backtest'],
    responses: { 200: z.array(DetectorInfoSchema) },
  }),
  backtestBatch: defineRoute({
    method: 'post',
    scope: 'configure',
    path: '/backtests/batch',
    summary:
      'Backtest symbols × parameter sets in one request on the research worker pool; answers with every run’s score',
    tags: ['Backtest'],
    request: { body: BatchBacktestRequestSchema },
    responses: { 200: BatchBacktestResultSchema },
  }),
  optimizationCreate: defineRoute({
    method: 'post',
    scope: 'configure',
    path: '/optimizations',
    summary: 'Start a parameter optimisation (walk-forward, seeded search, overfitting guard)',
    tags,
    request: { body: OptimizationRequestSchema },
    responses: { 202: OptimizationSummarySchema },
  }),
  optimizationList: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/optimizations',
    summary: 'Optimisations, newest first',
    tags,
    request: { query: OptimizationListQuerySchema },
    responses: { 200: z.array(OptimizationSummarySchema) },
  }),
  optimizationGet: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/optimizations/:id',
    summary: 'One optimisation with its result and trials',
    tags,
    request: { params: IdParams, query: OptimizationGetQuerySchema },
    responses: { 200: OptimizationDetailSchema, 404: null },
  }),
  optimizationCancel: defineRoute({
    method: 'post',
    scope: 'configure',
    path: '/optimizations/:id/cancel',
    summary: 'Stop a queued or running optimisation (the trials it stored stay)',
    tags,
    request: { params: IdParams },
    responses: { 200: OptimizationSummarySchema, 404: null, 409: null },
  }),
  optimizationDelete: defineRoute({
    method: 'delete',
    scope: 'configure',
    path: '/optimizations/:id',
    summary: 'Delete an optimisation that has ended, with its trials',
    tags,
    request: { params: IdParams },
    responses: { 200: OkSchema, 404: null, 409: null },
  }),
  optimizationTrialBacktest: defineRoute({
    method: 'post',
    scope: 'configure',
    path: '/optimizations/:id/trials/:fold/:seq/backtest',
    summary:
      'Open a trial as a full backtest: its params on one of the job’s symbols over its fold’s in-sample or out-of-sample window',
    tags,
    request: { params: TrialParams, body: TrialBacktestRequestSchema },
    responses: { 202: BacktestSummarySchema, 400: null, 404: null },
  }),
  optimizationApply: defineRoute({
    method: 'post',
    scope: 'configure',
    path: '/optimizations/:id/apply',
    summary: 'Apply the chosen (or one trial’s) parameters to a running detector app through its params API',
    tags,
    request: { params: IdParams, body: ApplyTrialRequestSchema },
    responses: {
      200: z.object({ appKey: z.string(), detector: z.string(), params: ParamSet, status: z.number().int() }),
      404: null,
    },
  }),
});
