import { z } from 'zod';
import { envBool, envDurationMs, envInt, envLogLevel, envString, envUrl, parseConfig } from '@barfinex/service-kit';
import type { Env } from '@barfinex/service-kit';

/** Every environment variable the advisor reads. */
export const AdvisorConfigSchema = z.object({
  /** 0 picks a free port (tests, in-process launchers); the registered URL then carries the bound port. */
  ADVISOR_PORT: envInt(8081, { min: 0, max: 65535 }),
  ADVISOR_HOST: envString('0.0.0.0'),
  ADVISOR_APP_KEY: envString('advisor'),
  /** The base URL it registers; defaults to http://127.0.0.1:<port>. */
  ADVISOR_PUBLIC_URL: envUrl().optional(),
  /** Protects its own REST; generated at start when unset (the provider proxy learns it on registration). */
  ADVISOR_API_TOKEN: envString().optional(),
  PROVIDER_URL: envUrl('http://127.0.0.1:8080'),
  PROVIDER_API_TOKEN: envString().optional(),
  PROVIDER_TIMEOUT_MS: envDurationMs(10_000),
  NATS_URL: envString().optional(),
  NATS_SUBJECT_PREFIX: envString('bfx'),
  NATS_STREAM: envString('BFX_EVENTS'),
  DATABASE_URL: envString('pglite:./data/pglite-advisor'),
  LOG_LEVEL: envLogLevel('info'),
  LOG_PRETTY: envBool(false),
  ADVISOR_HEARTBEAT_MS: envDurationMs(15_000),
  /** Key for the optional language-model stage; the stage itself is switched on in the pipeline config. */
  ADVISOR_LLM_API_KEY: envString().optional(),
});

export type AdvisorConfig = z.output<typeof AdvisorConfigSchema> & { ADVISOR_PUBLIC_URL: string };

export function loadAdvisorConfig(env: Env = process.env): AdvisorConfig {
  const parsed = parseConfig(AdvisorConfigSchema, env);
  return { ...parsed, ADVISOR_PUBLIC_URL: parsed.ADVISOR_PUBLIC_URL ?? `http://127.0.0.1:${parsed.ADVISOR_PORT}` };
}
