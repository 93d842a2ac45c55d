import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import express from 'express';
import type { Bus, Subscription } from '@barfinex/bus';
import type { AnyDetector, Detector } from '@barfinex/detector-kit';
import { discoverDetectorModules } from '@barfinex/detector-kit/loader';
import { createAppPresence } from '@barfinex/sdk';
import type { AppPresence, ProviderClient } from '@barfinex/sdk';
import {
  busCheck,
  closeServer,
  createHttpServer,
  createMetrics,
  errorMiddleware,
  healthRouter,
  isAppError,
  jsonBody,
  logBusConnection,
  notFoundHandler,
  requestContext,
  tokenAuth,
} from '@barfinex/service-kit';
import type { Logger } from 'pino';
import { createPublisher, subscribeDetectorBus } from './bus-wiring';
import type { DetectorAppConfig } from './config';
import { loadDetectors } from './detectors/definitions';
import { createGapFill } from './detectors/gap-fill';
import { detectorsRouter } from './detectors/detectors.routes';
import { createDetectorHost } from './detectors/host';
import type { DetectorHost } from './detectors/host';
import { detectorSnapshot, resolvePlan } from './detectors/plan';

export const DETECTOR_APP_VERSION = '0.1.0';

export interface DetectorAppDeps {
  config: DetectorAppConfig;
  logger: Logger;
  bus: Bus;
  provider: ProviderClient;
  now?: () => number;
  /** Detectors to host instead of DETECTOR_DEFINITIONS/DETECTOR_MODULES (an in-process launcher, tests). */
  detectors?: readonly AnyDetector[];
}

/** The detector app: builds everything, touches nothing until `start()`. */
export async function createDetectorApp(deps: DetectorAppDeps) {
  const { config, logger, bus, provider } = deps;
  const now = deps.now ?? Date.now;
  const startedAt = now();
  const appKey = config.DETECTOR_APP_KEY;
  const apiToken = config.DETECTOR_API_TOKEN ?? randomBytes(24).toString('base64url');
  const partition = { index: config.DETECTOR_PARTITION_INDEX, count: config.DETECTOR_PARTITION_COUNT };
  const detectors: readonly Detector[] =
    (deps.detectors as readonly Detector[] | undefined) ??
    (await loadDetectors({
      names: config.DETECTOR_DEFINITIONS,
      modules: [...config.DETECTOR_MODULES, ...discoverDetectorModules(resolve(config.DETECTORS_DIR))],
    }));

  const metrics = createMetrics({ service: 'detector' });
  const candlesTotal = metrics.counter({
    name: 'bfx_detector_candles_total',
    help: 'Closed candles handled, by detector and outcome',
    labelNames: ['detector', 'outcome'] as const,
  });
  const eventsTotal = metrics.counter({
    name: 'bfx_detector_events_total',
    help: 'Detector events published, by name',
    labelNames: ['event'] as const,
  });
  const errorsTotal = metrics.counter({
    name: 'bfx_detector_errors_total',
    help: 'Detector errors (isolated), by detector and phase',
    labelNames: ['detector', 'phase'] as const,
  });
  const publisher = createPublisher({
    bus,
    appKey,
    logger,
    positionRequests: config.DETECTOR_POSITION_REQUESTS,
    onPublished: (name) => eventsTotal.inc({ event: name }),
  });

  let host: DetectorHost | undefined;
  let subscriptions: Subscription[] = [];
  let presence: AppPresence | undefined;
  let started: Promise<{ url: string }> | undefined;
  let stopping: Promise<void> | undefined;
  let unwatchBus: (() => void) | undefined;

  const app = express();
  app.disable('x-powered-by');
  app.use(requestContext({ logger }));
  app.use(metrics.httpMetricsMiddleware());
  app.use(
    healthRouter({
      service: 'detector',
      version: DETECTOR_APP_VERSION,
      startedAt,
      now,
      checks: {
        bus: busCheck(bus),
        warmup: async () => {
          const rewarming = host?.rewarming() ?? [];
          return { ok: (host?.warmupDone() ?? false) && rewarming.length === 0, details: { rewarming } };
        },
      },
    }),
  );
  // Not ready while any stream warms up or re-warms after a gap: it cannot signal until it has its bars.
  app.get('/ready', (_req, res) => {
    const rewarming = host?.rewarming() ?? [];
    const ready = host !== undefined && host.warmupDone() && rewarming.length === 0 && bus.status().connected;
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : rewarming.length > 0 ? 'rewarming' : 'not_ready', rewarming });
  });
  app.get('/metrics', metrics.metricsHandler);
  app.use(
    tokenAuth({ token: apiToken, publicPaths: [/^\/health(\/|$)/, /^\/ready$/, /^\/metrics$/] }),
    jsonBody({ limit: '64kb' }),
    detectorsRouter({ host: () => host }),
  );
  app.use(notFoundHandler);
  app.use(errorMiddleware({ logger }));
  const server: Server = createHttpServer(app);

  async function doStart(): Promise<{ url: string }> {
    const stopLogging = logBusConnection({ bus, logger: logger.child({ component: 'bus' }) });
    // Bar closes published while the bus was away are gone: every stream fetches them from the store.
    const stopResync = bus.watchConnection(({ connected }) => {
      if (connected) host?.resync();
    });
    unwatchBus = () => {
      stopLogging();
      stopResync();
    };
    const plan = await resolvePlan(
      {
        appKey,
        symbols: config.DETECTOR_SYMBOLS,
        intervals: config.DETECTOR_INTERVALS,
        connectorType: config.DETECTOR_CONNECTOR_TYPE,
        marketType: config.DETECTOR_MARKET_TYPE,
        params: config.DETECTOR_PARAMS,
      },
      provider,
      (err) =>
        logger.warn({ err, appKey }, 'could not read the detector config from the provider; using the environment'),
    );
    const gaps = createGapFill({ provider, venue: { connectorType: plan.connectorType, marketType: plan.marketType } });
    const h = createDetectorHost({
      detectors,
      plan,
      appKey,
      partition,
      warmupBars: config.DETECTOR_WARMUP_BARS,
      signalHistory: config.DETECTOR_SIGNAL_HISTORY,
      now,
      history: async ({ symbol, timeframe, from }) => {
        try {
          return await provider.candles.list({
            connectorType: plan.connectorType,
            marketType: plan.marketType,
            symbol,
            interval: timeframe,
            from,
          });
        } catch (err) {
          if (isAppError(err) && err.code === 'NOT_FOUND') return [];
          throw err;
        }
      },
      publish: (emission) => publisher.publish(emission),
      onError: (err, where) => {
        errorsTotal.inc({ detector: String(where['detector'] ?? ''), phase: String(where['phase'] ?? 'evaluate') });
        logger.warn({ err, ...where }, 'detector error (isolated)');
      },
      onOutcome: (detector, outcome) => candlesTotal.inc({ detector, outcome }),
      refill: (gap) => gaps.fill(gap),
      onRewarm: (outcome) => logger.info(outcome, 'stream re-warmed from stored candles after a gap'),
    });
    host = h;
    // Subscribe before fetching history: bars closing meanwhile are held by the slots, not lost.
    subscriptions = await subscribeDetectorBus({ bus, host: h, publisher, appKey, partition, logger });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.DETECTOR_PORT, config.DETECTOR_HOST, () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    const url = `http://127.0.0.1:${port}`;
    const baseUrl = config.DETECTOR_PUBLIC_URL ?? url;
    const names = detectors.map((d) => d.name);
    // The provider keeps its /api/detectors row of this app's key from the snapshot (plan.ts).
    const snapshot = detectorSnapshot(plan, {
      restApiUrl: baseUrl,
      version: DETECTOR_APP_VERSION,
      detectors: names,
      partition,
      envIntervals: config.DETECTOR_INTERVALS.length > 0,
    });
    presence = createAppPresence({
      provider,
      app: {
        appType: 'detector',
        appKey,
        baseUrl,
        name: 'detector',
        version: DETECTOR_APP_VERSION,
        meta: { apiToken, detectors: names, partition, detectorSnapshot: snapshot },
      },
      heartbeatMs: config.DETECTOR_HEARTBEAT_MS,
      onError: (err, phase) => logger.warn({ err, phase }, 'provider registry unreachable; retrying'),
    });
    await presence.start();
    void h
      .warmUp()
      .then(() =>
        logger.info({ detectors: h.list().map((d) => ({ name: d.name, warmup: d.warmup })) }, 'warm-up finished'),
      );
    logger.info(
      { url, appKey, detectors: detectors.map((d) => d.name), plan: { ...plan, params: undefined }, partition },
      'detector listening',
    );
    return { url };
  }

  async function doStop(): Promise<void> {
    unwatchBus?.();
    await presence?.stop('shutdown');
    await Promise.allSettled(subscriptions.map((s) => s.unsubscribe()));
    subscriptions = [];
    await host?.settled();
    await publisher.idle();
    await closeServer(server);
  }

  return {
    app,
    server,
    metrics,
    apiToken,
    host: () => host,
    publisher,
    start: (): Promise<{ url: string }> => (started ??= doStart()),
    stop: (): Promise<void> => (stopping ??= doStop()),
  };
}

export type DetectorApp = Awaited<ReturnType<typeof createDetectorApp>>;
