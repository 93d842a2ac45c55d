import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import express from 'express';
import type { Logger } from 'pino';
import type { Bus, Subscription } from '@barfinex/bus';
import type { Database } from '@barfinex/db';
import type { AnyEventEnvelope } from '@barfinex/events';
import { createAppPresence } from '@barfinex/sdk';
import type { AppPresence, ProviderClient } from '@barfinex/sdk';
import {
  busCheck,
  closeServer,
  createHttpServer,
  createMetrics,
  databaseCheck,
  errorMiddleware,
  healthRouter,
  jsonBody,
  logBusConnection,
  notFoundHandler,
  requestContext,
  tokenAuth,
} from '@barfinex/service-kit';
import type { NotifierConfig } from './config';
import { DELIVERABLE_EVENTS } from './selectors';
import { createTelegram } from './telegram/telegram';
import { LIVE_NOTICES } from './telegram/telegram.schemas';
import type { BotApi } from './telegram/bot-api';
import { createDeliveryWorker } from './webhooks/delivery-worker';
import { createWebhookSender } from './webhooks/sender';
import type { WebhookSender } from './webhooks/sender';
import { createWebhookTargetPolicy } from './webhooks/target-policy';
import type { WebhookTargetPolicy } from './webhooks/target-policy';
import { createWebhooksRepository } from './webhooks/webhooks.repository';
import { webhooksRouter } from './webhooks/webhooks.routes';
import { createWebhooksService } from './webhooks/webhooks.service';

export const NOTIFIER_VERSION = '0.1.0';

export interface NotifierDeps {
  config: NotifierConfig;
  logger: Logger;
  bus: Bus;
  db: Database;
  provider: ProviderClient;
  now?: () => number;
  /** Jitter of the retry backoff (seeded in tests). */
  random?: () => number;
  /** Replaces the address policy (tests that resolve names). */
  policy?: WebhookTargetPolicy;
  sender?: WebhookSender;
  /** Replaces the Bot API client built from TELEGRAM_BOT_TOKEN. */
  botApi?: BotApi;
  /** Deliveries per batch of a draining queue (tests make backlogs of several batches cheaply). */
  deliveryBatch?: number;
}

const durableName = (appKey: string) => `notifier_${appKey.replace(/[^A-Za-z0-9_-]/g, '_')}_events`.slice(0, 100);

/** Builds the notifier without side effects; `start()` listens, subscribes and registers. */
export async function createNotifierApp(deps: NotifierDeps) {
  const now = deps.now ?? Date.now;
  const { config, logger, bus } = deps;
  const appKey = config.NOTIFIER_APP_KEY;
  const apiToken = config.NOTIFIER_API_TOKEN ?? randomBytes(24).toString('base64url');
  const metrics = createMetrics({ service: 'notifier' });
  const attempts = metrics.counter({
    name: 'bfx_notifier_webhook_attempts_total',
    help: 'Webhook delivery attempts, by outcome',
    labelNames: ['outcome'] as const,
  });
  const queued = metrics.counter({ name: 'bfx_notifier_webhook_queued_total', help: 'Webhook deliveries queued' });

  const policy =
    deps.policy ??
    createWebhookTargetPolicy({
      allowedHosts: config.NOTIFIER_WEBHOOK_ALLOWED_HOSTS,
      allowMetadataAddresses: config.NOTIFIER_WEBHOOK_ALLOW_METADATA_ADDRESSES,
    });
  const sender =
    deps.sender ??
    createWebhookSender({
      timeoutMs: config.NOTIFIER_WEBHOOK_TIMEOUT_MS,
      allowMetadataAddresses: config.NOTIFIER_WEBHOOK_ALLOW_METADATA_ADDRESSES,
    });
  const repo = createWebhooksRepository(deps.db, appKey);
  let wakeScheduled = false;
  const wake = () => {
    if (wakeScheduled || stopping) return;
    wakeScheduled = true;
    setImmediate(() => {
      wakeScheduled = false;
      void worker.runAll();
    });
  };
  const webhooks = createWebhooksService({ repo, policy, sender, now, wake });
  const worker = createDeliveryWorker({
    repo,
    sender,
    policy,
    subscriptions: webhooks.all,
    onChanged: webhooks.changed,
    now,
    random: deps.random ?? Math.random,
    retryForMs: config.NOTIFIER_WEBHOOK_RETRY_FOR_MS,
    maxBackoffMs: config.NOTIFIER_WEBHOOK_MAX_BACKOFF_MS,
    logger: logger.child({ component: 'webhooks' }),
    onAttempt: (ok) => attempts.inc({ outcome: ok ? 'delivered' : 'failed' }),
    ...(deps.deliveryBatch ? { batch: deps.deliveryBatch } : {}),
  });
  const telegram = createTelegram({
    config,
    db: deps.db,
    provider: deps.provider,
    logger: logger.child({ component: 'telegram' }),
    now,
    ...(deps.botApi ? { botApi: deps.botApi } : {}),
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(requestContext({ logger }));
  app.use(metrics.httpMetricsMiddleware());
  const health = healthRouter({
    service: 'notifier',
    version: NOTIFIER_VERSION,
    startedAt: now(),
    now,
    checks: { database: databaseCheck(deps.db), bus: busCheck(bus) },
  });
  app.use(health);
  app.get('/ready', (req, res, next) => {
    req.url = '/health/ready';
    health(req, res, next);
  });
  app.get('/metrics', metrics.metricsHandler);
  app.use(
    tokenAuth({ token: apiToken }),
    jsonBody({ limit: '64kb' }),
    webhooksRouter({ service: webhooks, repo }),
    telegram.router,
  );
  app.use(notFoundHandler);
  app.use(errorMiddleware({ logger }));
  const server: Server = createHttpServer(app);

  let subscriptions: Subscription[] = [];
  let presence: AppPresence | undefined;
  let poll: NodeJS.Timeout | undefined;
  let stopping = false;
  let started: Promise<{ url: string }> | undefined;
  let stopped: Promise<void> | undefined;
  let unwatchBus: (() => void) | undefined;

  /** Stored before the bus hears the ack: an event is owed to its receivers from here on, whatever happens to this process. */
  async function intake(env: AnyEventEnvelope): Promise<void> {
    try {
      queued.inc(await webhooks.intake(env));
      await telegram.intake(env);
    } catch (err) {
      logger.error({ err, eventId: env.eventId, event: env.type }, 'event not queued; the bus will redeliver');
      throw err;
    }
  }

  async function doStart(): Promise<{ url: string }> {
    unwatchBus = logBusConnection({ bus, logger: logger.child({ component: 'bus' }) });
    await webhooks.load();
    await telegram.load();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.NOTIFIER_PORT, config.NOTIFIER_HOST, () => resolve());
    });
    subscriptions = [
      await bus.subscribe(DELIVERABLE_EVENTS, (env) => intake(env as AnyEventEnvelope), {
        durable: durableName(appKey),
      }),
      // App down/up notices are live-only on the bus: a chat hears them while the notifier runs.
      await bus.subscribe(LIVE_NOTICES, (env) => telegram.intake(env as AnyEventEnvelope)),
    ];
    poll = setInterval(() => {
      void worker.runAll();
      void telegram.tick();
    }, config.NOTIFIER_POLL_MS);
    poll.unref();
    telegram.start();
    wake();
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.NOTIFIER_PORT;
    // With port 0 the registered URL must carry the port actually bound.
    const baseUrl =
      config.NOTIFIER_PORT === 0
        ? config.NOTIFIER_PUBLIC_URL.replace(/:0(?=\/|$)/, `:${port}`)
        : config.NOTIFIER_PUBLIC_URL;
    presence = createAppPresence({
      provider: deps.provider,
      app: {
        appType: 'notifier',
        appKey,
        baseUrl,
        name: 'Barfinex Notifier',
        version: NOTIFIER_VERSION,
        meta: { apiToken, channels: telegram.enabled ? ['webhook', 'telegram'] : ['webhook'] },
      },
      heartbeatMs: config.NOTIFIER_HEARTBEAT_MS,
      onError: (err, phase) => logger.warn({ err, phase }, 'provider registry unreachable; retrying'),
      onRegistered: () => logger.info({ appKey, baseUrl }, 'registered with the provider'),
    });
    await presence.start();
    return { url: `http://127.0.0.1:${port}` };
  }

  async function doStop(): Promise<void> {
    stopping = true;
    unwatchBus?.();
    if (poll) clearInterval(poll);
    await presence?.stop('shutdown');
    await Promise.all(subscriptions.map((s) => s.unsubscribe()));
    await telegram.stop();
    await worker.idle();
    sender.close();
    await closeServer(server);
  }

  return {
    app,
    server,
    metrics,
    apiToken,
    webhooks,
    worker,
    telegram,
    start: (): Promise<{ url: string }> => (started ??= doStart()),
    stop: (): Promise<void> => (stopped ??= doStop()),
  };
}
export type NotifierApp = Awaited<ReturnType<typeof createNotifierApp>>;
