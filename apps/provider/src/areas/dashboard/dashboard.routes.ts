import { platformRoutes as r } from '@barfinex/contracts';
import type { Bus } from '@barfinex/bus';
import type { Database } from '@barfinex/db';
import type { ConfigsService } from '../configs/configs.service';
import type { ConnectorRegistry } from '../../connectors/connector-registry';
import type { EventSinkModule } from '../eventsink/eventsink.module';
import type { TypedRouter } from '../../http/typed-router';
import type { OrdersService } from '../orders/orders.service';
import { OPEN_STATUSES } from '../orders/orders.service';
import type { RegistryService } from '../registry/registry.service';
import { createDashboardService } from './dashboard.service';
import type { DashboardService } from './dashboard.service';

export function registerDashboardRoutes(t: TypedRouter, deps: { dashboard: DashboardService }): void {
  t.add(r.dashboard, ({ query }) => deps.dashboard.overview(query.windowMinutes));
}

export interface ProviderDashboardParts {
  now: () => number;
  startedAt: number;
  version: string;
  bus: Bus;
  db: Database;
  eventSink: EventSinkModule;
  registry: RegistryService;
  configs: ConfigsService;
  connectors: ConnectorRegistry;
  orders: OrdersService;
}

/** The dashboard over the provider's own services (wiring only). */
export function createProviderDashboard(p: ProviderDashboardParts): DashboardService {
  return createDashboardService({
    now: p.now,
    startedAt: p.startedAt,
    version: p.version,
    infrastructure: {
      bus: () => p.bus.status(),
      database: async () => ({ kind: p.db.kind, ok: await p.db.ping() }),
      eventSink: () => ({ enabled: p.eventSink.enabled, ...p.eventSink.sink.stats() }),
    },
    apps: {
      registry: () => p.registry.list({ includeInactive: true }),
      detectors: () => p.configs.detectors.list(),
      inspectors: () => p.configs.inspectors.list(),
    },
    connectors: () => p.connectors.all().map((c) => ({ active: c.status() === 'ACTIVE' })),
    accounts: () =>
      Promise.all(
        p.connectors.pairs().map(async ({ connector, market }) => {
          const [snapshot, open] = await Promise.all([
            connector.account(market),
            p.orders.list(
              { connectorType: connector.type, marketType: market, statuses: OPEN_STATUSES },
              { page: 1, limit: 1 },
            ),
          ]);
          return { assets: snapshot.assets, positions: snapshot.positions, openOrders: open.total };
        }),
      ),
    eventCounts: (from) => p.eventSink.repo.countsByCategory(from),
  });
}
