import { Money } from '@barfinex/contracts';
import type { AppRegistration, DashboardOverview } from '@barfinex/contracts';
import type { BusStatus } from '@barfinex/bus';
import { APP_TYPE_VALUES } from '@barfinex/enums';
import type { EventSinkStats } from '../eventsink/event-sink';
import type { AccountState } from './trading-summary';
import { summarizeTrading } from './trading-summary';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** Notional exposure above this multiple of the valued wallet balance raises HIGH_EXPOSURE. */
export const HIGH_EXPOSURE_RATIO = 5;

export interface DashboardDeps {
  now: () => number;
  startedAt: number;
  version: string;
  infrastructure: {
    bus: () => BusStatus;
    database: () => Promise<{ kind: string; ok: boolean }>;
    eventSink: () => EventSinkStats & { enabled: boolean };
  };
  /** Registered apps, active or not; detector configs with status; inspector configs. */
  apps: {
    registry: () => Promise<AppRegistration[]>;
    detectors: () => Promise<Array<{ status?: string }>>;
    inspectors: () => Promise<unknown[]>;
  };
  connectors: () => Array<{ active: boolean }>;
  accounts: () => Promise<AccountState[]>;
  /** Stored events per category with event time at or after `from`. */
  eventCounts: (from: number) => Promise<Record<string, number>>;
}

type Alert = DashboardOverview['alerts'][number];

/** One call for the operator's overview; every section is computed from live sources. */
export function createDashboardService(deps: DashboardDeps) {
  let dayOpen: { day: number; equity: Money } | undefined;
  const dayOpenEquity = (equity: Money) => {
    const day = Math.floor(deps.now() / DAY);
    if (dayOpen?.day !== day) dayOpen = { day, equity };
    return dayOpen.equity;
  };

  return {
    async overview(windowMinutes: number): Promise<DashboardOverview> {
      const now = deps.now();
      const [database, apps, detectors, inspectors, accounts, windowCounts, minuteCounts] = await Promise.all([
        deps.infrastructure.database(),
        deps.apps.registry(),
        deps.apps.detectors(),
        deps.apps.inspectors(),
        deps.accounts(),
        deps.eventCounts(now - windowMinutes * MINUTE),
        deps.eventCounts(now - MINUTE),
      ]);
      const bus = deps.infrastructure.bus();
      const sink = deps.infrastructure.eventSink();

      const byType = Object.fromEntries(APP_TYPE_VALUES.map((type) => [type, { active: 0, total: 0 }]));
      for (const app of apps) {
        const slot = byType[app.appType] ?? (byType[app.appType] = { active: 0, total: 0 });
        slot.total += 1;
        if (app.isActive) slot.active += 1;
      }
      const activeApps = apps.filter((a) => a.isActive).length;
      const connectors = deps.connectors();

      const total = Object.values(windowCounts).reduce((a, b) => a + b, 0);
      const lastMinute = Object.values(minuteCounts).reduce((a, b) => a + b, 0);
      const perMinute = (n: number) => Math.round((n / windowMinutes) * 100) / 100;
      const byCategory = Object.fromEntries(
        Object.entries(windowCounts).map(([category, count]) => [category, { count, perMinute: perMinute(count) }]),
      );
      const trading = summarizeTrading(accounts, dayOpenEquity);

      const alerts: Alert[] = [];
      for (const type of APP_TYPE_VALUES) {
        if ((byType[type]?.active ?? 0) === 0)
          alerts.push({
            severity: 'warning',
            code: `${type.toUpperCase()}_INACTIVE`,
            message: `no active ${type} is registered`,
          });
      }
      if (!bus.connected)
        alerts.push({
          severity: 'critical',
          code: 'BUS_DISCONNECTED',
          message: `the ${bus.transport} bus is not connected`,
        });
      if (!database.ok)
        alerts.push({ severity: 'critical', code: 'DATABASE_DOWN', message: 'the database does not answer' });
      if (sink.enabled && lastMinute === 0)
        alerts.push({ severity: 'warning', code: 'EVENT_FLOW_LOW', message: 'no events stored in the last minute' });
      if (sink.dropped > 0)
        alerts.push({
          severity: 'warning',
          code: 'EVENT_SINK_DROPPED',
          message: `${sink.dropped} market-data events were dropped while the database was unavailable`,
        });
      if (trading.exposureRatio !== null && trading.exposureRatio > HIGH_EXPOSURE_RATIO) {
        alerts.push({
          severity: 'warning',
          code: 'HIGH_EXPOSURE',
          message: `notional exposure is ${trading.exposureRatio}× the wallet balance (limit ${HIGH_EXPOSURE_RATIO}×)`,
        });
      }
      if (alerts.length === 0) alerts.push({ severity: 'info', code: 'SYSTEM_OK', message: 'all checks passed' });

      return {
        generatedAt: now,
        windowMinutes,
        infrastructure: {
          provider: {
            now,
            uptimeSec: Math.round((now - deps.startedAt) / 1000),
            nodeVersion: process.version,
            version: deps.version,
          },
          bus: {
            transport: bus.transport,
            connected: bus.connected,
            published: bus.published,
            received: bus.received,
            dropped: bus.dropped,
          },
          database,
          eventSink: sink,
        },
        registry: { total: apps.length, active: activeApps, inactive: apps.length - activeApps, byType },
        connectors: { total: connectors.length, active: connectors.filter((c) => c.active).length },
        detectors: { total: detectors.length, active: detectors.filter((d) => d.status === 'active').length },
        inspectors: { total: inspectors.length },
        events: { lastMinute, window: total, perMinute: perMinute(total), byCategory },
        trading,
        alerts,
      };
    },
  };
}

export type DashboardService = ReturnType<typeof createDashboardService>;
