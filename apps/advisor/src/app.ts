import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import express from 'express';
import type { Logger } from 'pino';
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
import type { AdvisorConfig } from './config';
import { createDecisionsRepository } from './decisions/decisions.repository';
import { createDecisionsService } from './decisions/decisions.service';
import { createSignalGate } from './decisions/signal-gate';
import { advisorRoutes } from './http/routes';
import { createConfiguredSynthesizer } from './llm/configured-synthesizer';
import { createMarketFeed } from './pipeline/market-feed';
import { runPipeline } from './pipeline/pipeline';
import { createPipelineConfigService } from './pipeline/pipeline-config.service';
import type { Synthesizer } from './pipeline/stages/synthesis';

export const ADVISOR_VERSION = '0.1.0';

export interface AdvisorDeps {
  config: AdvisorConfig;
  logger: Logger;
  bus: Bus;
  db: Database;
  provider: ProviderClient;
  now?: () => number;
  /** Replaces the OpenAI-compatible client (tests, other model back-ends). */
  synthesizer?: Synthesizer;
}

const durableName = (appKey: string, what: string) =>
  `advisor_${appKey.replace(/[^A-Za-z0-9_-]/g, '_')}_${what}`.slice(0, 100);

/** Builds the advisor without side effects; `start()` listens, subscribes and registers. */
export async function createAdvisorApp(deps: AdvisorDeps) {
  const now = deps.now ?? Date.now;
  const { config, logger, bus } = deps;
  const appKey = config.ADVISOR_APP_KEY;
  const apiToken = config.ADVISOR_API_TOKEN ?? randomBytes(24).toString('base64url');
  const metrics = createMetrics({ service: 'advisor' });
  const decided = metrics.counter({
    name: 'bfx_advisor_decisions_total',
    help: 'Decisions made, by outcome',
    labelNames: ['outcome'] as const,
  });
  const failures = metrics.counter({
    name: 'bfx_advisor_failures_total',
    help: 'Signals or requests whose handling failed (redelivered by the bus)',
  });

  // Stored decisions or a pipeline config that no longer validate are moved here instead of failing the advisor.
  const quarantine = createQuarantine({
    prisma: deps.db.prisma,
    app: 'advisor',
    now,
    onQuarantined: logQuarantined(logger.child({ component: 'quarantine' })),
  });
  const repo = createDecisionsRepository(deps.db.prisma, appKey, quarantine);
  const pipelineConfig = createPipelineConfigService({ repo, now });
  const ownSynthesizer = deps.synthesizer
    ? undefined
    : createConfiguredSynthesizer(() => pipelineConfig.current().synthesis, config.ADVISOR_LLM_API_KEY);
  const synthesizer = deps.synthesizer ?? ownSynthesizer;
  // Candles, books and prices arrive on the bus; the provider's REST only warms the feed up.
  const market = createMarketFeed({ bus, provider: deps.provider, now });
  const decisions = createDecisionsService({
    advisorKey: appKey,
    repo,
    bus,
    gate: createSignalGate(now),
    pipeline: (idea, cfg) =>
      runPipeline(idea, cfg, { loadMarket: market.load, now, ...(synthesizer ? { synthesizer } : {}) }),
    config: pipelineConfig.current,
    now,
    logger: logger.child({ component: 'decisions' }),
    onDecided: (record) => decided.inc({ outcome: record.outcome }),
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(requestContext({ logger }));
  app.use(metrics.httpMetricsMiddleware());
  const health = healthRouter({
    service: 'advisor',
    version: ADVISOR_VERSION,
    startedAt: now(),
    now,
    checks: {
      database: databaseCheck(deps.db),
      bus: busCheck(bus),
      quarantine: quarantineCheck({ quarantine, metrics }),
    },
  });
  app.use(health);
  app.get('/ready', (req, res, next) => {
    req.url = '/health/ready';
    health(req, res, next);
  });
  app.get('/metrics', metrics.metricsHandler);
  app.use(tokenAuth({ token: apiToken }), jsonBody({ limit: '256kb' }), advisorRoutes({ repo, pipelineConfig }));
  app.use(notFoundHandler);
  app.use(errorMiddleware({ logger }));
  const server: Server = createHttpServer(app);

  let subscriptions: Subscription[] = [];
  let presence: AppPresence | undefined;
  let started: Promise<{ url: string }> | undefined;
  let stopped: Promise<void> | undefined;
  let unwatchBus: (() => void) | undefined;

  const guarded =
    <E extends { eventId: string; correlationId?: string }>(what: string, handle: (env: E) => Promise<unknown>) =>
    async (env: E) => {
      try {
        await handle(env);
      } catch (err) {
        failures.inc();
        logger.error(
          { err, eventId: env.eventId, correlationId: env.correlationId ?? env.eventId },
          `${what} failed; the bus will redeliver`,
        );
        throw err;
      }
    };

  async function doStart(): Promise<{ url: string }> {
    unwatchBus = logBusConnection({ bus, logger: logger.child({ component: 'bus' }) });
    await pipelineConfig.load();
    await market.start();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.ADVISOR_PORT, config.ADVISOR_HOST, () => resolve());
    });
    subscriptions = [
      await bus.subscribe('DETECTOR_SIGNAL_GENERATED', guarded('signal', decisions.handleSignal), {
        durable: durableName(appKey, 'signals'),
      }),
      await bus.subscribe('ADVISOR_DECISION_REQUEST', guarded('decision request', decisions.handleRequest), {
        durable: durableName(appKey, 'requests'),
      }),
    ];
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.ADVISOR_PORT;
    // With port 0 the registered URL must carry the port actually bound.
    const baseUrl =
      config.ADVISOR_PORT === 0
        ? config.ADVISOR_PUBLIC_URL.replace(/:0(?=\/|$)/, `:${port}`)
        : config.ADVISOR_PUBLIC_URL;
    presence = createAppPresence({
      provider: deps.provider,
      app: {
        appType: 'advisor',
        appKey,
        baseUrl,
        name: 'Barfinex Advisor',
        version: ADVISOR_VERSION,
        meta: {
          apiToken,
          stages: [
            'market-context',
            'data-quality',
            'scoring',
            'conviction',
            'regime',
            'synthesis',
            'confidence-floor',
            'execution',
          ],
        },
      },
      heartbeatMs: config.ADVISOR_HEARTBEAT_MS,
      onError: (err, phase) => logger.warn({ err, phase }, 'provider registry unreachable; retrying'),
      onRegistered: () => logger.info({ appKey, baseUrl }, 'registered with the provider'),
    });
    await presence.start();
    return { url: `http://127.0.0.1:${port}` };
  }

  async function doStop(): Promise<void> {
    unwatchBus?.();
    await presence?.stop('shutdown');
    await Promise.all(subscriptions.map((s) => s.unsubscribe()));
    subscriptions = [];
    await decisions.idle();
    await market.stop();
    ownSynthesizer?.close();
    await closeServer(server);
  }

  return {
    app,
    server,
    metrics,
    apiToken,
    decisions,
    start: (): Promise<{ url: string }> => (started ??= doStart()),
    stop: (): Promise<void> => (stopped ??= doStop()),
  };
}
export type AdvisorApp = Awaited<ReturnType<typeof createAdvisorApp>>;
