import { z } from 'zod';
import { ConnectorTypeSchema, MarketTypeSchema, TimeFrameSchema } from '@barfinex/contracts';
import {
  envBool,
  envDurationMs,
  envInt,
  envList,
  envLogLevel,
  envPort,
  envString,
  parseConfig,
} from '@barfinex/service-kit';
import type { Env } from '@barfinex/service-kit';

const JsonParams = z
  .string()
  .optional()
  .transform((text, ctx) => {
    if (text === undefined || text.trim() === '') return {};
    try {
      const value: unknown = JSON.parse(text);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
    } catch {
      // reported below
    }
    ctx.addIssue({
      code: 'custom',
      message: 'must be a JSON object keyed by detector name, e.g. {"ema-cross-atr":{"fast":5}}',
    });
    return z.NEVER;
  });

/** Every environment variable the detector app reads. */
export const DetectorConfigSchema = z
  .object({
    DETECTOR_PORT: envPort(8083),
    DETECTOR_HOST: envString('0.0.0.0'),
    PROVIDER_URL: envString('http://127.0.0.1:8080'),
    PROVIDER_API_TOKEN: envString().optional(),
    NATS_URL: envString().optional(),
    /** Same prefix and stream as the provider (tests use run-scoped ones). */
    NATS_SUBJECT_PREFIX: envString('bfx'),
    NATS_STREAM: envString('BFX_EVENTS'),
    /** Registry key; a provider detector config with the same key shows this app's status. */
    DETECTOR_APP_KEY: envString('detector'),
    DETECTOR_PUBLIC_URL: envString().optional(),
    /** Protects this app's REST; generated at start when unset (the provider proxy learns it at registration). */
    DETECTOR_API_TOKEN: envString().optional(),
    LOG_LEVEL: envLogLevel('info'),
    LOG_PRETTY: envBool(false),
    DETECTOR_HEARTBEAT_MS: envDurationMs(15_000),
    /** Built-in detectors by name (the kit's examples): ema-cross-atr (ema-cross), rsi-mean-reversion (rsi-reversion). */
    DETECTOR_DEFINITIONS: envList(['ema-cross-atr']),
    /** Modules exporting `defineDetector` results (paths resolved from the working directory). */
    DETECTOR_MODULES: envList([]),
    /** The user's own detectors (`<dir>/<name>/src/<name>.ts`, what the generator writes), hosted beside DETECTOR_MODULES; a missing dir holds none. */
    DETECTORS_DIR: envString('./detectors'),
    /** Symbols and time frames; when empty they come from the provider's detector config of DETECTOR_APP_KEY. */
    DETECTOR_SYMBOLS: envList([]),
    DETECTOR_INTERVALS: z
      .preprocess(
        (v) =>
          typeof v === 'string'
            ? v
                .split(',')
                .map((s) => s.trim())
                .filter(Boolean)
            : v,
        z.array(TimeFrameSchema),
      )
      .default([]),
    /**
     * The venue the signals name; the advisor's intents and the inspector's orders follow it. Futures,
     * as the advisor's and the inspector's defaults: a SHORT there is a trade, on spot a sale of an asset the account may not hold.
     */
    DETECTOR_CONNECTOR_TYPE: ConnectorTypeSchema.default('sim'),
    DETECTOR_MARKET_TYPE: MarketTypeSchema.default('futures'),
    /** Params per detector name, JSON; merged over the provider config's `params`. */
    DETECTOR_PARAMS: JsonParams,
    /** Bars of history fetched per stream before going live. */
    DETECTOR_WARMUP_BARS: envInt(300, { min: 0, max: 100_000 }),
    /** This instance's share of the symbols: every symbol reaches exactly one of COUNT instances. */
    DETECTOR_PARTITION_INDEX: envInt(0, { min: 0, max: 63 }),
    DETECTOR_PARTITION_COUNT: envInt(1, { min: 1, max: 64 }),
    DETECTOR_SIGNAL_HISTORY: envInt(1000, { min: 10, max: 1_000_000 }),
    /**
     * Also publish DETECTOR_POSITION_*_REQUEST (a direct detector → inspector path). Off by default:
     * signals reach the inspector through the advisor, and both paths at once would act twice on one idea.
     */
    DETECTOR_POSITION_REQUESTS: envBool(false),
  })
  .refine((c) => c.DETECTOR_PARTITION_INDEX < c.DETECTOR_PARTITION_COUNT, {
    path: ['DETECTOR_PARTITION_INDEX'],
    message: 'must be below DETECTOR_PARTITION_COUNT',
  });

export type DetectorAppConfig = z.output<typeof DetectorConfigSchema>;

export function loadDetectorConfig(env: Env = process.env): DetectorAppConfig {
  return parseConfig(DetectorConfigSchema, env);
}
