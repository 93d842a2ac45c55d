import { z } from 'zod';
import { ConnectorTypeSchema, MarketTypeSchema } from '@barfinex/contracts';
import { envBool, envDurationMs, envLogLevel, envPort, envString, parseConfig } from '@barfinex/service-kit';
import type { Env } from '@barfinex/service-kit';

/** Every environment variable the inspector app reads. */
export const InspectorConfigSchema = z.object({
  INSPECTOR_PORT: envPort(8082),
  INSPECTOR_HOST: envString('0.0.0.0'),
  PROVIDER_URL: envString('http://127.0.0.1:8080'),
  PROVIDER_API_TOKEN: envString().optional(),
  NATS_URL: envString().optional(),
  /** Same prefix and stream as the provider (tests use run-scoped ones). */
  NATS_SUBJECT_PREFIX: envString('bfx'),
  NATS_STREAM: envString('BFX_EVENTS'),
  DATABASE_URL: envString('pglite:./data/pglite-inspector'),
  /** Registry key; also the provider inspector config (`/api/inspectors/:sysname`) read at first start. */
  INSPECTOR_APP_KEY: envString('inspector'),
  INSPECTOR_PUBLIC_URL: envString().optional(),
  /** Protects this app's REST; generated at start when unset (the provider proxy learns it at registration). */
  INSPECTOR_API_TOKEN: envString().optional(),
  LOG_LEVEL: envLogLevel('info'),
  LOG_PRETTY: envBool(false),
  INSPECTOR_HEARTBEAT_MS: envDurationMs(15_000),
  /** How often positions and orders in an unknown state are checked against the provider. */
  INSPECTOR_RECONCILE_MS: envDurationMs(30_000),
  /** The account whose equity and positions the policies measure. */
  INSPECTOR_CONNECTOR_TYPE: ConnectorTypeSchema.default('sim'),
  INSPECTOR_MARKET_TYPE: MarketTypeSchema.default('futures'),
  /** The asset equity is counted in. */
  INSPECTOR_QUOTE_ASSET: envString('USDT'),
});

export type InspectorAppConfig = z.output<typeof InspectorConfigSchema>;

export function loadInspectorConfig(env: Env = process.env): InspectorAppConfig {
  return parseConfig(InspectorConfigSchema, env);
}
