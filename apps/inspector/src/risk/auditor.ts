import type { EntryDeclined, RiskBreach } from '@barfinex/contracts';
import type { Bus } from '@barfinex/bus';
import type { Logger } from 'pino';
import type { AuditRecord } from '../store/audit-record';
import type { InspectorRepository } from '../store/inspector.repository';
import { createTradeEvents } from './trade-events';

export interface EventMeta {
  correlationId?: string;
  causationId?: string;
}

export interface AuditorDeps {
  repo: InspectorRepository;
  bus: Bus;
  appKey: string;
  logger: Logger;
  /** Each new decision (not a redelivery), for the outcome counters. */
  onDecision?: (entry: AuditRecord) => void;
}

/** What a declined entry was, beyond its audit record: side, venue, size and where it came from. */
export type DeclinedEntry = Omit<EntryDeclined, 'action' | 'policy' | 'reason' | 'symbol'>;

/** Persists each decision once and announces the ones that are not ALLOW on the bus. */
export function createAuditor(deps: AuditorDeps) {
  const meta = (m: EventMeta) => ({
    key: deps.appKey,
    ...(m.correlationId ? { correlationId: m.correlationId } : {}),
    ...(m.causationId ? { causationId: m.causationId } : {}),
  });
  const events = createTradeEvents({ bus: deps.bus, logger: deps.logger, meta });
  return {
    meta,
    events,
    /**
     * Returns the stored record; `created` is false when this decision was already made (a redelivery).
     * With `entry` (the decision was about an entry), a decision not to act is also announced as
     * INSPECTOR_ENTRY_DECLINED, once, with the side and venue a trace of the trade needs.
     */
    async record(
      entry: AuditRecord,
      m: EventMeta = {},
      declined?: DeclinedEntry,
    ): Promise<{ record: AuditRecord; created: boolean }> {
      const result = await deps.repo.insertAudit(entry);
      if (result.created) deps.onDecision?.(entry);
      if (!result.created || entry.action === 'ALLOW' || entry.kind === 'kill_switch') return result;
      const decisive = entry.checks.find((c) => c.policy === entry.policy && !c.passed);
      const breach: RiskBreach = {
        policy: entry.policy ?? 'unknown',
        current: decisive?.current ?? '0',
        limit: decisive?.limit ?? '0',
        reason: entry.reason,
        action: entry.action,
        detectorKey: deps.appKey,
        ...(entry.symbol ? { symbol: entry.symbol } : {}),
        ...(entry.intentId ? { intentId: entry.intentId } : {}),
      };
      await deps.bus.publish('INSPECTOR_RISK_LIMIT_BREACH', breach, meta(m));
      deps.logger.warn({ ...breach, correlationId: m.correlationId }, 'risk limit breach');
      if (declined && entry.symbol) {
        await events.declined(
          {
            ...declined,
            symbol: entry.symbol,
            action: entry.action,
            policy: entry.policy ?? 'unknown',
            reason: entry.reason,
          },
          m,
        );
      }
      return result;
    },
  };
}

export type Auditor = ReturnType<typeof createAuditor>;
