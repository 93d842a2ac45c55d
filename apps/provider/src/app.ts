import type { Server } from 'node:http';
import express from 'express';
import swaggerUi from 'swagger-ui-express';
import type { Logger } from 'pino';
import type { Bus, Subscription } from '@barfinex/bus';
import type { EventEnvelope } from '@barfinex/events';
import { buildOpenApiDocument } from '@barfinex/contracts';
import { createQuarantine } from '@barfinex/db';
import type { Database } from '@barfinex/db';
import {
  closeServer,
  createHttpServer,
  createMetrics,
  databaseCheck,
  errorMiddleware,
  healthRouter,
  jsonBody,
  logQuarantined,
  notFoundHandler,
  quarantineCheck,
  requestContext,
} from '@barfinex/service-kit';
import type { ProviderConfig } from './config';
import type { ExchangeConnector } from './connectors/connector';
import { createConnectorRegistry } from './connectors/connector-registry';
import { createVenueRuntime } from './connectors/shared/venue-runtime';
import { createEventOutboxRepository } from './bus/outbox.repository';
import { createEventPublisher } from './bus/publisher';
import { createTypedRouter } from './http/typed-router';
import type { TypedRouter } from './http/typed-router';
import type { OrderCrashPoint } from './areas/orders/orders.service';
import { createAccess } from './areas/auth/access.module';
import { mcpRouter } from './areas/mcp/mcp.routes';
import { composeAreas } from './composition';
import { createStudioRouter, findStudioDir } from './http/studio';
import { createUpstreamClient } from './areas/proxy/forward';
import { createProxyRouter, proxyPseudonym } from './areas/proxy/proxy';
import { createProxyFastPath } from './areas/proxy/fast-path';
import { createWsBridge } from './ws/ws.bridge';
import type { WsBridge } from './ws/ws.bridge';

export const PROVIDER_VERSION = '0.1.0';

export interface ExtraRoutesContext {
  /** Resolves once every event emitted so far is handed on: backpressure for long-running work. */
  drain(): Promise<void>;
}

export interface ProviderDeps {
  config: ProviderConfig;
  logger: Logger;
  db: Database;
  bus: Bus;
  connectors: readonly ExchangeConnector[];
  /** Extra routes owned by a connector (the simulator's control API). */
  extraRoutes?: (t: TypedRouter, ctx: ExtraRoutesContext) => void;
  now?: () => number;
}

/** Builds the provider without side effects; `start()` opens the port and the streams. */
/** The crash tests' hook (`PROVIDER_TEST_CRASH_AT`): dies at once, as a power cut or an OOM kill would. */
function crashHook(spec: string): (point: OrderCrashPoint, clientOrderId: string) => void {
  const at = spec.indexOf(':');
  const [point, prefix] = [spec.slice(0, at), spec.slice(at + 1)];
  return (p, clientOrderId) => {
    if (p === point && clientOrderId.startsWith(prefix)) process.kill(process.pid, 'SIGKILL');
  };
}

export function createProvider(deps: ProviderDeps) {
  const now = deps.now ?? Date.now;
  const { config, logger, bus } = deps;
  const metrics = createMetrics({ service: 'provider' });
  const publishCounter = metrics.counter({
    name: 'bfx_bus_published_total',
    help: 'Events handed to the bus',
    labelNames: ['event', 'ok'] as const,
  });
  const consumedCounter = metrics.counter({
    name: 'bfx_bus_consumed_total',
    help: 'Events received from the bus',
    labelNames: ['event'] as const,
  });
  const lostCounter = metrics.counter({
    name: 'bfx_events_lost_total',
    help: 'Durable events neither the bus nor the event outbox took (database down too)',
    labelNames: ['event'] as const,
  });
  // Stored records that no longer validate are moved here instead of failing a start (or a relay).
  const quarantine = createQuarantine({
    prisma: deps.db.prisma,
    app: 'provider',
    now,
    onQuarantined: logQuarantined(logger.child({ component: 'quarantine' })),
  });
  const events = createEventPublisher({
    bus,
    outbox: createEventOutboxRepository(deps.db.prisma, quarantine),
    logger: logger.child({ component: 'events' }),
    key: config.PROVIDER_KEY,
    onPublished: (event, ok) => publishCounter.inc({ event, ok: String(ok) }),
    onLost: (event) => lostCounter.inc({ event }),
    // Bound late: the event sink is built further down, from areas that need this publisher.
    onDurable: (env) => sinkTap(env),
  });
  let sinkTap: (env: EventEnvelope) => void = () => undefined;
  metrics.gauge({
    name: 'bfx_event_outbox_depth',
    help: 'Durable events waiting in the event outbox for the bus',
    collect() {
      this.set(events.outboxDepth());
    },
  });
  const connectors = createConnectorRegistry(deps.connectors);
  const startedAt = now();
  const access = createAccess({ config, prisma: deps.db.prisma, pool: deps.db.pool, events, metrics, logger, now });
  const t = createTypedRouter(access.routeGuard);
  const areas = composeAreas(t, {
    config,
    logger,
    db: deps.db,
    bus,
    metrics,
    quarantine,
    events,
    connectors,
    access,
    ...(deps.extraRoutes
      ? { connectorRoutes: (router: TypedRouter) => deps.extraRoutes?.(router, { drain: () => events.settled() }) }
      : {}),
    listeningPort: () => listeningPort(),
    ...(config.PROVIDER_TEST_CRASH_AT ? { crashAt: crashHook(config.PROVIDER_TEST_CRASH_AT) } : {}),
    now,
    startedAt,
    version: PROVIDER_VERSION,
  });
  const { orders, ordersRepo, reconciler, marketData, registry } = areas;
  sinkTap = (env) => areas.eventSink.tap(env);
  metrics.gauge({
    name: 'bfx_orders',
    help: 'Stored orders by status (read at scrape time)',
    labelNames: ['status'] as const,
    async collect() {
      const rows = await ordersRepo.countByStatus().catch(() => undefined);
      if (!rows) return;
      this.reset();
      for (const r of rows) this.set({ status: r.status }, r.count);
    },
  });
  /** Venue markets that are up but cannot trade (user data or trading gate not open), with the reason. */
  const degradedMarkets = () =>
    deps.connectors.flatMap((c) =>
      (c.degraded?.() ?? []).map((d) => ({ connectorType: c.type, marketType: d.market, reason: d.reason })),
    );
  metrics.gauge({
    name: 'bfx_connector_degraded',
    help: 'Venue markets that cannot trade (1 per market, with the reason), read at scrape time',
    labelNames: ['connector', 'market', 'reason'] as const,
    collect() {
      this.reset();
      for (const d of degradedMarkets())
        this.set({ connector: d.connectorType, market: d.marketType, reason: d.reason }, 1);
    },
  });
  const consumeLag = metrics.histogram({
    name: 'bfx_bus_consume_lag_seconds',
    help: 'Event age when the provider receives it from the bus (publish timestamp to receipt)',
    labelNames: ['source'] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 300],
  });

  const openApi = buildOpenApiDocument({
    title: 'Barfinex Provider API',
    version: PROVIDER_VERSION,
    description:
      'REST gateway of the Barfinex platform. Send the token as `Authorization: Bearer <token>` or `x-api-token`.',
    servers: [{ url: '/api' }],
    routes: t.definitions,
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(requestContext({ logger }));
  app.use(metrics.httpMetricsMiddleware());
  const health = healthRouter({
    service: 'provider',
    version: PROVIDER_VERSION,
    startedAt,
    now,
    checks: {
      database: databaseCheck(deps.db),
      quarantine: quarantineCheck({ quarantine, metrics }),
      bus: async () => {
        const status = bus.status();
        return { ok: status.connected, details: { ...status, outboxDepth: events.outboxDepth() } };
      },
      // A venue market that cannot trade is reported with its reason; the provider itself still serves.
      connectors: async () => {
        const degraded = degradedMarkets();
        return { ok: true, details: { status: degraded.length > 0 ? 'degraded' : 'ok', degraded } };
      },
    },
  });
  app.use(health);
  app.use('/api', health);
  app.get('/metrics', metrics.metricsHandler);
  app.get('/docs-json', (_req, res) => void res.json(openApi));
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(openApi, { customSiteTitle: 'Barfinex Provider API' }));
  // The proxy sits between auth and the JSON parser so proxied bodies stream through unparsed.
  // One pool of connections to the apps, for the fast path and the Express router alike.
  const proxyUpstream = createUpstreamClient({
    timeoutMs: config.PROVIDER_PROXY_TIMEOUT_MS,
    allowMetadataAddresses: config.PROVIDER_APP_ALLOW_METADATA_ADDRESSES,
    ...(config.PROVIDER_PROXY_CLIENT === 'auto' ? {} : { kind: config.PROVIDER_PROXY_CLIENT }),
  });
  const via = proxyPseudonym();
  // Inbound signal hooks authenticate by their own secret and read the raw body (signatures, text alerts).
  app.use('/api', areas.hookAlerts);
  app.use(
    '/api',
    access.auditHook,
    access.tokenGuard,
    access.proxyGuard,
    createProxyRouter({ registry, timeoutMs: config.PROVIDER_PROXY_TIMEOUT_MS, upstream: proxyUpstream, via }),
    jsonBody({ limit: '256kb' }),
    t.router,
  );
  // MCP for AI agents: tools generated from the same route definitions, called with the agent's token.
  app.use('/mcp', mcpRouter({ access, openApi, version: PROVIDER_VERSION, selfUrl: () => selfUrl() }));
  // Studio, the web front end, on the same origin: `/` and `/studio/*`.
  app.use(createStudioRouter({ dir: findStudioDir(config.PROVIDER_STUDIO_DIR) }));
  app.use(notFoundHandler);
  app.use(errorMiddleware({ logger }));

  const proxyErrors = metrics.counter({
    name: 'bfx_proxy_errors_total',
    help: 'Proxied calls answered 5xx by the provider (app unreachable, inactive, timed out)',
    labelNames: ['appType', 'code'] as const,
  });
  const fastProxy = createProxyFastPath({
    registry,
    timeoutMs: config.PROVIDER_PROXY_TIMEOUT_MS,
    upstream: proxyUpstream,
    via,
    access: access.fastPath,
    logger,
    httpDuration: metrics.httpDuration,
    proxyErrors,
  });
  const server: Server = createHttpServer((req, res) => {
    if (!fastProxy(req, res)) app(req, res);
  });
  let ws: WsBridge | undefined;
  let busSub: Subscription | undefined;
  let flushTimer: NodeJS.Timeout | undefined;
  let expiryTimer: NodeJS.Timeout | undefined;
  const venues = createVenueRuntime({
    connectors: deps.connectors,
    orders,
    marketData,
    reconciler,
    events,
    logger,
    reconcileMs: config.PROVIDER_RECONCILE_MS,
  });

  const wsClients = metrics.gauge({ name: 'bfx_ws_clients', help: 'Connected Socket.IO clients' });

  async function start(): Promise<{ port: number }> {
    ws = createWsBridge({
      httpServer: server,
      authenticate: access.socketAuth,
      corsOrigins: config.CORS_ORIGINS.includes('*') ? '*' : config.CORS_ORIGINS,
      maxBufferedPackets: config.WS_MAX_BUFFERED,
      now,
      onSlowClient: (id, buffered) => logger.warn({ socket: id, buffered }, 'disconnected a slow WebSocket client'),
      persistedSinkFeed: areas.eventSink.enabled,
      ...(areas.eventSink.enabled ? { history: areas.eventSink.history } : {}),
    });
    const bridge = ws;
    access.onRevoked((tokenId) => {
      const dropped = bridge.dropToken(tokenId);
      if (dropped > 0) logger.info({ tokenId, dropped }, 'closed the sockets of a revoked token');
    });
    await access.start();
    await areas.start();
    // Before anything can emit: events an earlier run left in the outbox go out first.
    // The sink first: it stores the provider's own durable events as they are handed over,
    // including what the outbox relays below.
    await areas.eventSink.start((record) => bridge.emitSinkRecord(record));
    await events.start();
    busSub = await bus.subscribeAll((env) => {
      consumedCounter.inc({ event: env.type });
      consumeLag.observe({ source: env.source }, Math.max(0, Date.now() - env.timestamp) / 1000);
      // A revocation on any instance (this one included) closes the token's sockets here too.
      if (env.type === 'PROVIDER_TOKEN_REVOKED') access.store.revoked((env.payload as { tokenId: string }).tokenId);
      bridge.dispatch(env);
    });
    await venues.start();
    flushTimer = setInterval(() => {
      wsClients.set(bridge.clients());
      void marketData.flush();
    }, config.CANDLE_FLUSH_MS);
    flushTimer.unref();
    expiryTimer = setInterval(
      () => void registry.sweepExpired().catch((err: unknown) => logger.warn({ err }, 'registry expiry sweep failed')),
      Math.min(15_000, Math.max(250, Math.floor(config.PROVIDER_APP_ACTIVE_TTL_MS / 4))),
    );
    expiryTimer.unref();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.PROVIDER_PORT, config.PROVIDER_HOST, () => resolve());
    });
    return { port: listeningPort() };
  }

  /** This provider's own address, for the MCP tools' REST calls (a wildcard host is reached on loopback). */
  function selfUrl(): string {
    const host = ['0.0.0.0', '::', ''].includes(config.PROVIDER_HOST) ? '127.0.0.1' : config.PROVIDER_HOST;
    return `http://${host.includes(':') ? `[${host}]` : host}:${listeningPort()}`;
  }

  /** The port the server listens on: PROVIDER_PORT, or the one the system picked for port 0. */
  function listeningPort(): number {
    const address = server.address();
    return typeof address === 'object' && address ? address.port : config.PROVIDER_PORT;
  }

  async function stop(): Promise<void> {
    if (flushTimer) clearInterval(flushTimer);
    if (expiryTimer) clearInterval(expiryTimer);
    await venues.stop();
    await orders.idle();
    await marketData.flush();
    await areas.stop();
    await access.stop();
    await busSub?.unsubscribe();
    await events.stop();
    await areas.eventSink.stop();
    await ws?.close();
    await fastProxy.close();
    await closeServer(server);
    await proxyUpstream.close();
  }

  return {
    app,
    server,
    start,
    stop,
    openApi,
    orders,
    marketData,
    metrics,
    connectors,
    registry,
    areas,
    access,
    reconciler,
    reconcileAll: venues.reconcileAll,
    proxyClient: proxyUpstream.kind,
  };
}

export type Provider = ReturnType<typeof createProvider>;
