import { createMetrics } from './metrics';
import { logQuarantined, quarantineCheck } from './quarantine-check';

describe('quarantineCheck', () => {
  it('reports the quarantined records by source on readiness (still ok) and on /metrics', async () => {
    const metrics = createMetrics({ service: 'advisor' });
    let rows = [
      { source: 'advisor_decisions', count: 2 },
      { source: 'advisor_pipeline_configs', count: 1 },
    ];
    const check = quarantineCheck({ quarantine: { counts: async () => rows }, metrics });
    expect(await check()).toEqual({ ok: true, details: { records: 3, bySource: rows } });
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/bfx_quarantined_records\{[^}]*source="advisor_decisions"[^}]*\} 2/);
    expect(text).toMatch(/bfx_quarantined_records\{[^}]*source="advisor_pipeline_configs"[^}]*\} 1/);
    rows = [];
    expect(await check()).toEqual({ ok: true, details: { records: 0, bySource: [] } });
    expect(await metrics.registry.metrics()).not.toMatch(/bfx_quarantined_records\{/);
  });

  it('logs each move once at error level with source, key and reason, not the value', () => {
    const lines: Array<[object, string]> = [];
    logQuarantined({ error: (obj, msg) => lines.push([obj, msg]) })([
      { source: 'inspector_states', key: 'ins', reason: 'peaks: expected record', value: { secret: 'x' } },
    ]);
    expect(lines).toEqual([
      [
        { records: [{ source: 'inspector_states', key: 'ins', reason: 'peaks: expected record' }] },
        expect.stringContaining('quarantined_records'),
      ],
    ]);
  });
});
