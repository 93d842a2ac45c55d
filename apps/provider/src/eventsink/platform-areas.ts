import type { Bus } from '@barfinex/bus';
import type { Database } from '@barfinex/db';
import type { Metrics } from '@barfinex/service-kit';
import type { Logger } from 'pino';
import type { CandlesRepository } from '../candles/candles.repository';
import type { ProviderConfig } from '../config';
import type { ConfigsService } from '../configs/configs.service';
import type { ConnectorRegistry } from '../connectors/connector-registry';
import { createProviderDashboard, registerDashboardRoutes } from '../dashboard/dashboard.routes';
import type { TypedRouter } from '../http/typed-router';
import { createIntegrityRepository } from '../integrity/integrity.repository';
import { registerIntegrityRoutes } from '../integrity/integrity.routes';
import { createIntegrityService } from '../integrity/integrity.service';
import type { OrdersService } from '../orders/orders.service';
import type { RegistryService } from '../registry/registry.service';
import { registerReplayRoutes } from '../replay/replay.routes';
import { createReplayService } from '../replay/replay.service';
import { registerSignalsRoutes, sinkTrades } from '../signals/signals.routes';
import { createSignalsService } from '../signals/signals.service';
import { registerEventSinkRoutes } from './eventsink.routes';
import { createEventSinkModule } from './eventsink.module';

export interface PlatformAreaDeps {
  config: ProviderConfig;
  logger: Logger;
  db: Database;
  bus: Bus;
  metrics: Metrics;
  now: () => number;
  startedAt: number;
  version: string;
  candles: CandlesRepository;
  connectors: ConnectorRegistry;
  registry: RegistryService;
  configs: ConfigsService;
  orders: OrdersService;
}

/**
 * The areas built on the event sink: the sink itself, replay of what it stored, signals context
 * (order flow from stored trades), the dashboard (event rates) and candle integrity (repairs
 * from stored trades). Wiring only.
 */
export function createPlatformAreas(t: TypedRouter, d: PlatformAreaDeps) {
  const { config } = d;
  const eventSink = createEventSinkModule({
    prisma: d.db.prisma,
    bus: d.bus,
    logger: d.logger,
    metrics: d.metrics,
    enabled: config.EVENTSINK_ENABLED,
    durable: `${config.PROVIDER_KEY.replace(/[^A-Za-z0-9_-]/g, '_')}-eventsink`,
    batchSize: config.EVENTSINK_BATCH_SIZE,
    flushMs: config.EVENTSINK_FLUSH_MS,
    maxBuffered: config.EVENTSINK_MAX_BUFFERED,
  });
  const replayLog = d.logger.child({ component: 'replay' });
  const replay = createReplayService({ repo: eventSink.repo, bus: d.bus, now: d.now, onError: (err) => replayLog.warn({ err }, 'replay problem') });
  const signals = createSignalsService({ candles: d.candles, connectors: d.connectors, recentTrades: sinkTrades(eventSink.repo), now: d.now, ttlMs: config.SIGNALS_CONTEXT_TTL_MS });
  const integrity = createIntegrityService({ repo: createIntegrityRepository(d.db.prisma), candles: d.candles });
  const dashboard = createProviderDashboard({ ...d, eventSink });

  registerEventSinkRoutes(t, { repo: eventSink.repo });
  registerReplayRoutes(t, { replay });
  registerSignalsRoutes(t, { signals });
  registerDashboardRoutes(t, { dashboard });
  registerIntegrityRoutes(t, { integrity, connectors: d.connectors });
  return { eventSink, replay, signals, integrity, dashboard };
}
