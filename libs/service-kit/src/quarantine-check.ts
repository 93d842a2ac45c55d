import type { HealthCheck } from './health';
import type { Metrics } from './metrics';

/** What the check reads: the `counts` of `createQuarantine` from @barfinex/db (kept structural, no database here). */
export interface QuarantineCounts {
  counts(): Promise<Array<{ source: string; count: number }>>;
}

/** A record moved aside, as told by the quarantine (structural, as above). */
export interface QuarantinedRecordInfo {
  source: string;
  key: string;
  reason: string;
  value: unknown;
}

/**
 * The quarantine's `onQuarantined`: one error line per move, naming each record's source, key and
 * reason (the value stays in the table: it may be large or hold what the log must not).
 */
export function logQuarantined(logger: {
  error(obj: object, msg: string): void;
}): (entries: readonly QuarantinedRecordInfo[]) => void {
  return (entries) =>
    logger.error(
      { records: entries.map(({ source, key, reason }) => ({ source, key, reason })) },
      'stored records failed validation: moved to quarantined_records, going on without them',
    );
}

/**
 * Makes the records an app moved to the quarantine visible: `bfx_quarantined_records` on
 * /metrics by source, and a readiness check whose details list them. The check stays ok: the app
 * started with the rest, and a not-ready app would only take the healthy part offline too.
 */
export function quarantineCheck(deps: { quarantine: QuarantineCounts; metrics: Metrics }): HealthCheck {
  deps.metrics.gauge({
    name: 'bfx_quarantined_records',
    help: 'Stored records that failed validation at load and were moved to quarantined_records instead of stopping the start',
    labelNames: ['source'] as const,
    async collect() {
      const rows = await deps.quarantine.counts().catch(() => undefined);
      if (!rows) return;
      this.reset();
      for (const r of rows) this.set({ source: r.source }, r.count);
    },
  });
  return async () => {
    const bySource = await deps.quarantine.counts();
    return { ok: true, details: { records: bySource.reduce((n, r) => n + r.count, 0), bySource } };
  };
}
