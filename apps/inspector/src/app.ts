import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Bus, Subscription } from '@barfinex/bus';
import { createQuarantine } from '@barfinex/db';
import type { Database } from '@barfinex/db';
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
  logQuarantined,
  notFoundHandler,
  quarantineCheck,
  requestContext,
  tokenAuth,
} from '@barfinex/service-kit';
import type { Logger } from 'pino';
import type { InspectorAppConfig } from './config';
import { createInspectorCore } from './core';
import { inspectorRouter } from './http/inspector.routes';

export const INSPECTOR_APP_VERSION = '0.1.0';

export interface InspectorAppDeps {
  config: InspectorAppConfig;
  logger: Logger;
  bus: Bus;
  db: Database;
  provider: ProviderClient;
  now?: () => number;
}

/** The inspector app: builds everything, touches nothing until `start()`. */
export async function createInspectorApp(deps: InspectorAppDeps) {
  const { config, logger, bus, provider } = deps;
  const now = deps.now ?? Date.now;
  const startedAt = now();
  const appKey = config.INSPECTOR_APP_KEY;
  const apiToken = config.INSPECTOR_API_TOKEN ?? randomBytes(24).toString('base64url');
  const metrics = createMetrics({ service: 'inspector' });
  const decisions = metrics.counter({
    name: 'bfx_inspector_decisions_total',
    help: 'Risk decisions made, by kind, action and deciding policy',
    labelNames: ['kind', 'action', 'policy'] as const,
  });
  const quarantine = createQuarantine({
    prisma: deps.db.prisma,
    app: 'inspector',
    now,
    onQuarantined: logQuarantined(logger.child({ component: 'quarantine' })),
  });
  const core = createInspectorCore({
    prisma: deps.db.prisma,
    quarantine,
    bus,
    provider,
    logger,
    now,
    appKey,
    account: {
      connectorType: config.INSPECTOR_CONNECTOR_TYPE,
      marketType: config.INSPECTOR_MARKET_TYPE,
      quoteAsset: config.INSPECTOR_QUOTE_ASSET,
    },
    onDecision: (entry) => decisions.inc({ kind: entry.kind, action: entry.action, policy: entry.policy ?? 'none' }),
  });

  let ready = false;
  let subscriptions: Subscription[] = [];
  let presence: AppPresence | undefined;
  let timer: NodeJS.Timeout | undefined;
  let started: Promise<{ url: string }> | undefined;
  let stopping: Promise<void> | undefined;
  let unwatchBus: (() => void) | undefined;

  const app = express();
  app.disable('x-powered-by');
  app.use(requestContext({ logger }));
  app.use(metrics.httpMetricsMiddleware());
  app.use(
    healthRouter({
      service: 'inspector',
      version: INSPECTOR_APP_VERSION,
      startedAt,
      now,
      checks: {
        database: databaseCheck(deps.db),
        bus: busCheck(bus),
        reconciled: async () => ({ ok: ready }),
        quarantine: quarantineCheck({ quarantine, metrics }),
      },
    }),
  );
  app.get('/ready', (_req, res) => {
    const ok = ready && bus.status().connected;
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'not_ready' });
  });
  app.get('/metrics', metrics.metricsHandler);
  const router = inspectorRouter({ ...core });
  app.use(
    tokenAuth({
      token: apiToken,
      publicPaths: [/^\/health(\/|$)/, /^\/inspector\/health$/, /^\/ready$/, /^\/metrics$/],
    }),
    jsonBody({ limit: '64kb' }),
  );
  app.use('/inspector', router);
  app.use(router);
  app.use(notFoundHandler);
  app.use(errorMiddleware({ logger }));
  const server: Server = createHttpServer(app);

  const reconcile = () => core.manager.reconcile(core.killSwitch.isActive() ? { closeOpen: 'kill_switch' } : {});

  async function doStart(): Promise<{ url: string }> {
    unwatchBus = logBusConnection({ bus, logger: logger.child({ component: 'bus' }) });
    await core.state.load();
    // Subscribed first so nothing published meanwhile is missed; handlers wait for reconciliation.
    let markReady: () => void = () => undefined;
    const reconciled = new Promise<void>((resolve) => (markReady = resolve));
    subscriptions = await core.subscribe(reconciled);
    const checked = await reconcile();
    ready = true;
    markReady();
    timer = setInterval(
      () => void reconcile().catch((err: unknown) => logger.warn({ err }, 'periodic reconcile failed')),
      config.INSPECTOR_RECONCILE_MS,
    );
    timer.unref();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.INSPECTOR_PORT, config.INSPECTOR_HOST, () => resolve());
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    presence = createAppPresence({
      provider,
      app: {
        appType: 'inspector',
        appKey,
        baseUrl: config.INSPECTOR_PUBLIC_URL ?? url,
        name: 'inspector',
        version: INSPECTOR_APP_VERSION,
        meta: { apiToken },
      },
      heartbeatMs: config.INSPECTOR_HEARTBEAT_MS,
      onError: (err, phase) => logger.warn({ err, phase }, 'provider registry unreachable; retrying'),
    });
    await presence.start();
    logger.info(
      { url, appKey, reconciled: checked, killSwitch: core.state.killSwitch().active },
      'inspector listening',
    );
    return { url };
  }

  async function doStop(): Promise<void> {
    unwatchBus?.();
    if (timer) clearInterval(timer);
    await presence?.stop('shutdown');
    await Promise.allSettled(subscriptions.map((s) => s.unsubscribe()));
    subscriptions = [];
    await core.manager.idle();
    await closeServer(server);
  }

  return {
    app,
    server,
    metrics,
    apiToken,
    core,
    start: (): Promise<{ url: string }> => (started ??= doStart()),
    stop: (): Promise<void> => (stopping ??= doStop()),
  };
}

export type InspectorApp = Awaited<ReturnType<typeof createInspectorApp>>;
