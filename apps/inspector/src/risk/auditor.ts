import type { RiskBreach } from '@barfinex/contracts';
import type { Bus } from '@barfinex/bus';
import type { Logger } from 'pino';
import type { AuditRecord } from '../store/audit-record';
import type { InspectorRepository } from '../store/inspector.repository';

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

/** Persists each decision once and announces the ones that are not ALLOW on the bus. */
export function createAuditor(deps: AuditorDeps) {
  const meta = (m: EventMeta) => ({ key: deps.appKey, ...(m.correlationId ? { correlationId: m.correlationId } : {}), ...(m.causationId ? { causationId: m.causationId } : {}) });
  return {
    meta,
    /** Returns the stored record; `created` is false when this decision was already made (a redelivery). */
    async record(entry: AuditRecord, m: EventMeta = {}): Promise<{ record: AuditRecord; created: boolean }> {
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
      return result;
    },
  };
}

export type Auditor = ReturnType<typeof createAuditor>;
