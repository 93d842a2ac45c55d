import { z } from 'zod';
import {
  envBool,
  envDurationMs,
  envInt,
  envList,
  envLogLevel,
  envString,
  envUrl,
  parseConfig,
} from '@barfinex/service-kit';
import type { Env } from '@barfinex/service-kit';

/** Every environment variable the notifier reads. */
export const NotifierConfigSchema = z.object({
  /** 0 picks a free port (tests, in-process launchers); the registered URL then carries the bound port. */
  NOTIFIER_PORT: envInt(8084, { min: 0, max: 65535 }),
  NOTIFIER_HOST: envString('0.0.0.0'),
  NOTIFIER_APP_KEY: envString('notifier'),
  /** The base URL it registers; defaults to http://127.0.0.1:<port>. */
  NOTIFIER_PUBLIC_URL: envUrl().optional(),
  /** Protects its own REST; generated at start when unset (the provider proxy learns it on registration). */
  NOTIFIER_API_TOKEN: envString().optional(),
  PROVIDER_URL: envUrl('http://127.0.0.1:8080'),
  PROVIDER_API_TOKEN: envString().optional(),
  PROVIDER_TIMEOUT_MS: envDurationMs(10_000),
  NATS_URL: envString().optional(),
  NATS_SUBJECT_PREFIX: envString('bfx'),
  NATS_STREAM: envString('BFX_EVENTS'),
  DATABASE_URL: envString('pglite:./data/pglite-notifier'),
  LOG_LEVEL: envLogLevel('info'),
  LOG_PRETTY: envBool(false),
  NOTIFIER_HEARTBEAT_MS: envDurationMs(15_000),
  /** Hosts webhooks may target (any case); empty allows any host that is not refused by the address policy. */
  NOTIFIER_WEBHOOK_ALLOWED_HOSTS: envList([]),
  /** Link-local, cloud metadata and unspecified addresses are refused unless this is true. */
  NOTIFIER_WEBHOOK_ALLOW_METADATA_ADDRESSES: envBool(false),
  /** A receiver that has not answered within this is a failed attempt (retried with the same delivery id). */
  NOTIFIER_WEBHOOK_TIMEOUT_MS: envDurationMs(10_000),
  /** How long a delivery is retried before it fails and pauses its subscription. */
  NOTIFIER_WEBHOOK_RETRY_FOR_MS: envDurationMs(25 * 3_600_000),
  /** Longest wait between two attempts (backoff doubles from 1 s up to this, with jitter). */
  NOTIFIER_WEBHOOK_MAX_BACKOFF_MS: envDurationMs(3_600_000),
  /** How often the stored queues are looked at when nothing woke them. */
  NOTIFIER_POLL_MS: envDurationMs(1_000),
  /** Bot token from @BotFather; Telegram is off without it. */
  TELEGRAM_BOT_TOKEN: envString().optional(),
  /** The Bot API's base URL (tests point it at a fake server). */
  TELEGRAM_API_BASE: envUrl('https://api.telegram.org'),
  /** Long-polling timeout of getUpdates, in seconds (0 turns command polling off). */
  TELEGRAM_POLL_TIMEOUT_S: envInt(25, { min: 0, max: 50 }),
  /** The inspector whose kill switch, positions and PnL the commands act on (reached through the provider). */
  NOTIFIER_INSPECTOR_KEY: envString('inspector'),
});

export type NotifierConfig = z.output<typeof NotifierConfigSchema> & { NOTIFIER_PUBLIC_URL: string };

export function loadNotifierConfig(env: Env = process.env): NotifierConfig {
  const parsed = parseConfig(NotifierConfigSchema, env);
  return { ...parsed, NOTIFIER_PUBLIC_URL: parsed.NOTIFIER_PUBLIC_URL ?? `http://127.0.0.1:${parsed.NOTIFIER_PORT}` };
}
