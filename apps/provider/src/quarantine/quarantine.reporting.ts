import type { Quarantine } from '@barfinex/db';
import type { HealthCheck, Metrics } from '@barfinex/service-kit';

/**
 * Makes the records the provider moved to the quarantine visible: `bfx_quarantined_records` on
 * /metrics by source, and a readiness check whose details list them. The check stays ok: the app
 * started with the rest, and a not-ready provider would only take the healthy part offline too.
 */
export function reportQuarantine(deps: { quarantine: Pick<Quarantine, 'counts'>; metrics: Metrics }): HealthCheck {
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
