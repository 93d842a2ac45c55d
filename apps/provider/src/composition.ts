/**
 * The provider's composition: every REST area is built and mounted here, and only here. To find
 * the code behind a route, look up its area below (each lives in `areas/<name>/`); the
 * infrastructure the areas are given (connectors, the bus edge, the typed router, the WebSocket
 * bridge) is wired by `app.ts`.
 */
import { resolve } from 'node:path';
import type { Bus, Subscription } from '@barfinex/bus';
import { createTableCare } from '@barfinex/db';
import type { Database, Quarantine } from '@barfinex/db';
import type { Metrics } from '@barfinex/service-kit';
import type { Logger } from 'pino';
import { registerAccountRoutes } from './areas/accounts/accounts.routes';
import type { Access } from './areas/auth/access.module';
import { registerBackfillRoutes } from './areas/backfill/backfill.routes';
import { createBackfillService } from './areas/backfill/backfill.service';
import { createBacktestRepository } from './areas/backtest/backtest.repository';
import { registerBacktestRoutes } from './areas/backtest/backtest.routes';
import { createBacktestService } from './areas/backtest/backtest.service';
import { createDetectorCatalog } from './areas/backtest/detectors';
import { createCandlesRepository } from './areas/candles/candles.repository';
import { registerCandleRoutes } from './areas/candles/candles.routes';
import { registerCatalogRoutes } from './areas/catalog/catalog.routes';
import { createConfigsRepository } from './areas/configs/configs.repository';
import { registerConfigRoutes } from './areas/configs/configs.routes';
import { createConfigsService } from './areas/configs/configs.service';
import { createProviderDashboard, registerDashboardRoutes } from './areas/dashboard/dashboard.routes';
import { createEventSinkModule } from './areas/eventsink/eventsink.module';
import { registerEventSinkRoutes } from './areas/eventsink/eventsink.routes';
import { createIntegrityRepository } from './areas/integrity/integrity.repository';
import { hookAlertRouter, registerHookRoutes } from './areas/hooks/hooks.routes';
import { createHooksRepository } from './areas/hooks/hooks.repository';
import { createHooksService, trackHookOutcomes } from './areas/hooks/hooks.service';
import { registerIntegrityRoutes } from './areas/integrity/integrity.routes';
import { createIntegrityService } from './areas/integrity/integrity.service';
import { registerMarketRoutes } from './areas/market/market.routes';
import { createMarketDataHub } from './areas/market-data/market-data.hub';
import { createParamsApplier } from './areas/optimizations/apply';
import { createBatchRunner } from './areas/optimizations/batch';
import { createOptimizationRepository } from './areas/optimizations/optimization.repository';
import { registerOptimizationRoutes } from './areas/optimizations/optimization.routes';
import { createOptimizationService } from './areas/optimizations/optimization.service';
import { createTrialPool } from './areas/optimizations/pool';
import type { TrialPool } from './areas/optimizations/pool';
import { registerOptionsRoutes } from './areas/options/options.routes';
import { createOrdersRepository } from './areas/orders/orders.repository';
import { registerOrderRoutes } from './areas/orders/orders.routes';
import { createOrdersService } from './areas/orders/orders.service';
import type { OrderCrashPoint } from './areas/orders/orders.service';
import { registerProxyRoutes } from './areas/proxy/proxy.routes';
import { createRegistryRepository } from './areas/registry/registry.repository';
import { registerRegistryRoutes } from './areas/registry/registry.routes';
import { createRegistryService } from './areas/registry/registry.service';
import { createTargetPolicy } from './areas/registry/target-policy';
import { registerReplayRoutes } from './areas/replay/replay.routes';
import { createReplayService } from './areas/replay/replay.service';
import { registerSignalsRoutes, sinkTrades } from './areas/signals/signals.routes';
import { createSignalsService } from './areas/signals/signals.service';
import type { EventPublisher } from './bus/publisher';
import type { ProviderConfig } from './config';
import type { ConnectorRegistry } from './connectors/connector-registry';
import { createReconciler } from './connectors/shared/reconciler';
import { registerReconciliationRoutes } from './connectors/shared/reconciliation.routes';
import type { TypedRouter } from './http/typed-router';

export interface CompositionDeps {
  config: ProviderConfig;
  logger: Logger;
  db: Database;
  bus: Bus;
  metrics: Metrics;
  quarantine: Quarantine;
  events: EventPublisher;
  connectors: ConnectorRegistry;
  /** Tokens, whoami and the audit trail (access control itself is wired by app.ts). */
  access?: Access;
  /** Routes a connector owns (the simulator's controls); mounted first so they win over `/connectors/:connectorType/:marketType`. */
  connectorRoutes?: (t: TypedRouter) => void;
  /** The port the server listens on (known once it listens; apps register after that). */
  listeningPort: () => number;
  crashAt?: (point: OrderCrashPoint, clientOrderId: string) => void;
  now: () => number;
  startedAt: number;
  version: string;
}

/** Builds every area's services and mounts its routes on `t`; `start`/`stop` run the areas' own lifecycles. */
export function composeAreas(t: TypedRouter, d: CompositionDeps) {
  const { config, logger, events, connectors, now } = d;

  // Market data: stored candles, and the hub that turns connector trades, books and tickers into events and bars.
  const candles = createCandlesRepository(d.db.prisma, { pool: d.db.pool });
  const marketData = createMarketDataHub({ events, candles, logger: logger.child({ component: 'market-data' }) });

  // Where the database's autovacuum does not run, the tables the order path updates and deletes from
  // at its write rate are vacuumed and analyzed here, so dead rows and plans made for small tables
  // do not slow every order down for as long as the process runs (see libs/db table-care.ts).
  const tableRounds = d.metrics.counter({
    name: 'bfx_db_table_care_rounds_total',
    help: 'Rounds of VACUUM and ANALYZE the provider ran on its churned tables where autovacuum does not run, by outcome',
    labelNames: ['outcome'] as const,
  });
  const tableCare = createTableCare({
    db: d.db,
    // sink_events: the event sink's retention deletes from it every minute.
    tables: [
      'orders',
      'sim_state_parts',
      'event_outbox',
      'candles',
      'app_registrations',
      'webhook_deliveries',
      'sink_events',
    ],
    checkMs: config.PROVIDER_TABLE_CARE_MS,
    ...(config.PROVIDER_TABLE_CARE_MS === 0 ? { pgliteEveryMs: 0 } : {}),
    onRound: (tables, ms) => {
      tableRounds.inc({ outcome: 'done' });
      logger.debug({ tables, ms }, 'tables vacuumed');
    },
    onError: (err) => {
      tableRounds.inc({ outcome: 'failed' });
      logger.warn({ err }, 'table care round failed; the next one tries again');
    },
  });

  // Orders and their reconciliation with the venues.
  const ordersRepo = createOrdersRepository(d.db.prisma, { pool: d.db.pool });
  const orders = createOrdersService({
    repo: ordersRepo,
    connectors,
    events,
    now,
    ...(d.crashAt ? { crashAt: d.crashAt } : {}),
  });
  const reconciler = createReconciler({ repo: ordersRepo, orders, events, now });

  // The app registry (and the proxy's targets), and the detector/inspector configs it feeds.
  const registry = createRegistryService({
    repo: createRegistryRepository(d.db.prisma),
    events,
    now,
    ttlMs: config.PROVIDER_APP_ACTIVE_TTL_MS,
    targets: createTargetPolicy({
      allowedHosts: config.PROVIDER_APP_ALLOWED_HOSTS,
      allowMetadataAddresses: config.PROVIDER_APP_ALLOW_METADATA_ADDRESSES,
      self: { host: config.PROVIDER_HOST, port: d.listeningPort, publicUrl: config.PROVIDER_PUBLIC_URL },
    }),
    onStorageError: (err) => logger.error({ err }, 'app registry storage failed'),
  });
  const configs = createConfigsService({ repo: createConfigsRepository(d.db.prisma), registry, now });

  // The event sink, and the areas that read what it stored.
  const eventSink = createEventSinkModule({
    prisma: d.db.prisma,
    pool: d.db.pool,
    bus: d.bus,
    logger,
    metrics: d.metrics,
    enabled: config.EVENTSINK_ENABLED,
    durable: `${config.PROVIDER_KEY.replace(/[^A-Za-z0-9_-]/g, '_')}-eventsink`,
    batchSize: config.EVENTSINK_BATCH_SIZE,
    flushMs: config.EVENTSINK_FLUSH_MS,
    maxBuffered: config.EVENTSINK_MAX_BUFFERED,
    retention: { marketKeepMs: config.EVENTSINK_MARKET_RETENTION_MS, keepMs: config.EVENTSINK_RETENTION_MS },
  });
  const replayLog = logger.child({ component: 'replay' });
  const replay = createReplayService({
    repo: eventSink.repo,
    bus: d.bus,
    now,
    onError: (err) => replayLog.warn({ err }, 'replay problem'),
  });
  const signals = createSignalsService({
    candles,
    connectors,
    recentTrades: sinkTrades(eventSink.repo),
    now,
    ttlMs: config.SIGNALS_CONTEXT_TTL_MS,
  });
  const integrity = createIntegrityService({ repo: createIntegrityRepository(d.db.prisma), candles });
  const dashboard = createProviderDashboard({
    db: d.db,
    bus: d.bus,
    now,
    startedAt: d.startedAt,
    version: d.version,
    connectors,
    registry,
    configs,
    orders,
    eventSink,
  });

  // Long-running jobs. Backtests, batch backtests and optimisations run built-in and user detectors alike.
  const detectorsDir = resolve(config.DETECTORS_DIR);
  const detectors = createDetectorCatalog(detectorsDir);
  let pool: TrialPool | undefined;
  const researchPool = () =>
    (pool ??= createTrialPool({
      ...(config.RESEARCH_WORKERS > 0 ? { size: config.RESEARCH_WORKERS } : {}),
      detectorsDir,
    }));
  const backtests = createBacktestService({
    repo: createBacktestRepository(d.db.prisma),
    candles,
    bus: d.bus,
    detectors,
    maxBars: config.BACKTEST_MAX_BARS,
    now,
    log: logger.child({ component: 'backtest' }),
  });
  const backfill = createBackfillService({
    connectors,
    candles,
    bus: d.bus,
    now,
    log: logger.child({ component: 'backfill' }),
  });
  const optimizations = createOptimizationService({
    repo: createOptimizationRepository(d.db.prisma),
    candles,
    bus: d.bus,
    detectors,
    pool: researchPool,
    maxBars: config.BACKTEST_MAX_BARS,
    now,
    log: logger.child({ component: 'optimization' }),
  });

  // Inbound signal hooks: outside alerts become signals of a virtual detector (the alert route itself is public, see hookAlerts).
  const hooksRepo = createHooksRepository(d.db.prisma);
  const hooks = createHooksService({ repo: hooksRepo, events, connectors, now });
  let hookOutcomes: Subscription | undefined;

  // Every REST area, mounted in one place.
  d.connectorRoutes?.(t);
  registerOptionsRoutes(t, {
    connectors,
    key: config.PROVIDER_KEY,
    version: d.version,
    port: config.PROVIDER_PORT,
    detectors: () => configs.detectors.list(),
  });
  registerAccountRoutes(t, { connectors, orders });
  registerMarketRoutes(t, { connectors, marketData, now });
  registerCandleRoutes(t, { candles, connectors });
  registerOrderRoutes(t, { orders });
  registerReconciliationRoutes(t, { connectors, reconciler });
  registerCatalogRoutes(t);
  registerRegistryRoutes(t, {
    registry,
    // A snapshot that does not validate is the detector's problem, not a reason to refuse its heartbeat.
    onDetectorSnapshot: (key, snap) =>
      configs.detectors
        .upsertFromSnapshot(key, snap)
        .catch((err: unknown) => logger.warn({ err, detector: key }, 'ignored an invalid detectorSnapshot')),
  });
  registerProxyRoutes(t, { registry });
  registerConfigRoutes(t, { configs });
  registerBacktestRoutes(t, { backtests });
  registerBackfillRoutes(t, { backfill });
  registerOptimizationRoutes(t, {
    optimizations,
    backtests,
    detectors,
    batch: createBatchRunner({ candles, detectors, pool: researchPool, maxBars: config.BACKTEST_MAX_BARS }),
    apply: createParamsApplier({ registry }),
  });
  registerEventSinkRoutes(t, { repo: eventSink.repo });
  registerReplayRoutes(t, { replay });
  registerSignalsRoutes(t, { signals });
  registerDashboardRoutes(t, { dashboard });
  registerIntegrityRoutes(t, { integrity, connectors });
  registerHookRoutes(t, { hooks });
  d.access?.register(t, () => t.definitions);

  return {
    candles,
    marketData,
    ordersRepo,
    orders,
    reconciler,
    registry,
    configs,
    eventSink,
    replay,
    signals,
    integrity,
    dashboard,
    backtests,
    backfill,
    optimizations,
    hooks,
    /** `POST /hooks/:hookId[/:secret]`, for app.ts to mount under /api before the token guard and the JSON parser. */
    hookAlerts: hookAlertRouter({ hooks }),
    /** Stored records checked (quarantined if unreadable), then the jobs an earlier run left behind. */
    async start(): Promise<void> {
      const keeper = await tableCare.start();
      if (keeper === 'autovacuum') logger.info({ tableCare: 'autovacuum' }, 'the database autovacuum keeps the tables');
      else if (config.PROVIDER_TABLE_CARE_MS === 0)
        logger.warn(
          { tableCare: 'off' },
          'no autovacuum here and PROVIDER_TABLE_CARE_MS=0: dead rows in the order tables accumulate and orders slow down',
        );
      else
        logger.info(
          { tableCare: 'provider', database: d.db.kind },
          d.db.kind === 'pglite'
            ? 'no autovacuum in PGlite: the provider vacuums the tables its order path churns every 30 s'
            : 'autovacuum is off: the provider vacuums and analyzes the tables its order path churns',
        );
      await registry.checkStored(d.quarantine);
      await configs.checkStored(d.quarantine);
      const failed = await backtests.recover();
      if (failed > 0) logger.warn({ failed }, 'backtests left unfinished by the last run marked failed');
      // A user's detector that does not load is reported and left out; the built-ins still run.
      await detectors
        .load()
        .catch((err: unknown) => logger.error({ err, dir: detectorsDir }, 'user detectors not loaded'));
      const resumed = await optimizations.resume();
      if (resumed > 0) logger.info({ resumed }, 'optimisations left unfinished by the last run resumed');
      hookOutcomes = await trackHookOutcomes(d.bus, hooksRepo, (err) =>
        logger.warn({ err }, 'inbound hook outcome not recorded'),
      );
    },
    async stop(): Promise<void> {
      await tableCare.stop();
      await replay.stop();
      await hookOutcomes?.unsubscribe();
      await Promise.all([backtests.stop(), backfill.stop(), optimizations.stop(async () => pool?.close())]);
    },
  };
}

export type Areas = ReturnType<typeof composeAreas>;
