import { z } from 'zod';
import { ConnectorTypeSchema, MarketTypeSchema, PositiveDecimalString } from '@barfinex/contracts';
import { ConvictionConfigSchema } from './stages/conviction';
import { DataQualityConfigSchema } from './stages/data-quality';
import { ExecutionConfigSchema } from './stages/execution';
import { MarketContextConfigSchema } from './stages/market-context';
import { RegimeConfigSchema } from './stages/regime';
import { ScoringConfigSchema } from './stages/scoring';
import { SynthesisConfigSchema } from './stages/synthesis';

export const ThrottleConfigSchema = z
  .object({
    /** After an approved decision, further signals for the symbol wait this long. */
    cooldownMs: z.number().int().min(0).default(60_000),
    /** The same idea (detector, symbol, direction, levels) under another signal id is ignored this long. */
    dedupWindowMs: z.number().int().min(0).default(300_000),
  })
  .strict();
export type ThrottleConfig = z.output<typeof ThrottleConfigSchema>;

export const IntentConfigSchema = z
  .object({
    /** Size of an intent; the inspector may shrink it. Quantity wins when both are set. */
    notional: PositiveDecimalString.default('100'),
    quantity: PositiveDecimalString.optional(),
    /** How long the inspector may still act on an intent. */
    ttlMs: z.number().int().min(1000).default(120_000),
    /** Venue for signals that do not name one. */
    connectorType: ConnectorTypeSchema.default('sim'),
    marketType: MarketTypeSchema.default('futures'),
  })
  .strict();
export type IntentConfig = z.output<typeof IntentConfigSchema>;

const section = <S extends z.ZodType>(schema: S) => schema.prefault({} as never);

/** The whole pipeline configuration: one section per stage; every field has a default. */
export const PipelineConfigSchema = z
  .object({
    marketContext: section(MarketContextConfigSchema),
    dataQuality: section(DataQualityConfigSchema),
    scoring: section(ScoringConfigSchema),
    conviction: section(ConvictionConfigSchema),
    regime: section(RegimeConfigSchema),
    synthesis: section(SynthesisConfigSchema),
    execution: section(ExecutionConfigSchema),
    throttle: section(ThrottleConfigSchema),
    intent: section(IntentConfigSchema),
  })
  .strict();
export type PipelineConfig = z.output<typeof PipelineConfigSchema>;
export type PipelineConfigInput = z.input<typeof PipelineConfigSchema>;

export const DEFAULT_PIPELINE_CONFIG: PipelineConfig = PipelineConfigSchema.parse({});
