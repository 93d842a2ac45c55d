import { createMemoryBus } from '@barfinex/bus';
import { createTestPglite } from '@barfinex/db/testing';
import type { Database } from '@barfinex/db';
import request from 'supertest';
import { createFakeProvider } from '../testing/fake-provider';
import { testInspectorApp } from '../testing/test-app';

const T = BigInt(Date.UTC(2024, 5, 3, 8));
const auth = { authorization: 'Bearer secret-token' };

function position(id: string, overrides: Record<string, unknown>) {
  return {
    id,
    appKey: 'inspector',
    dedupKey: `dedup-${id}`,
    status: 'CLOSED',
    origin: 'intent',
    symbol: 'BTCUSDT',
    side: 'LONG',
    connectorType: 'sim',
    marketType: 'futures',
    quantity: '0.1',
    filledQuantity: '0.1',
    entryClientOrderId: `${id}-E`,
    protectionGen: 0,
    fees: '0',
    createdAt: T,
    updatedAt: T,
    ...overrides,
  };
}

describe('inspector: stored records that fail validation are quarantined, the inspector starts with the rest', () => {
  let db: Database;
  beforeEach(async () => {
    db = await createTestPglite();
  });
  afterEach(async () => {
    await db.close();
  });

  it('a broken state is salvaged with the kill switch engaged, broken positions and audit rows are moved aside; readiness and /metrics report them', async () => {
    await db.prisma.inspectorState.create({
      data: {
        appKey: 'inspector',
        policies: {},
        policiesVersion: 3,
        peaks: { 'sim:futures': '120000' },
        killSwitch: 'broken',
        streakResetAt: 0n,
        updatedAt: T,
      },
    });
    await db.prisma.inspectorPosition.createMany({
      data: [
        position('ins0000000000000001', {}),
        // Active, so the start-up reconciliation reads it.
        position('ins0000000000000002', { status: 'OPEN', side: 'SIDEWAYS' }),
      ],
    });
    const auditRow = { appKey: 'inspector', kind: 'intent', reason: 'r', numbers: {}, checks: [], at: T };
    await db.prisma.inspectorAudit.createMany({
      data: [
        { ...auditRow, dedupKey: 'audit-good', action: 'ALLOW' },
        { ...auditRow, dedupKey: 'audit-bad', action: 'EXPLODE' },
      ],
    });

    const bus = createMemoryBus();
    const { provider } = createFakeProvider(bus);
    const app = await testInspectorApp({ db, bus, provider });
    await app.start();
    try {
      const killSwitch = (await request(app.app).get('/kill-switch').set(auth)).body;
      expect(killSwitch).toMatchObject({ active: true, reason: expect.stringContaining('quarantined_records') });
      expect((await request(app.app).get('/policies').set(auth)).body).toMatchObject({ version: 3 });
      // The salvaged state replaced the stored one: a restart reads it as it is now.
      expect(await db.prisma.inspectorState.findUniqueOrThrow({ where: { appKey: 'inspector' } })).toMatchObject({
        peaks: { 'sim:futures': '120000' },
        killSwitch: { active: true },
      });

      const positions = (await request(app.app).get('/positions').set(auth)).body;
      expect(positions).toMatchObject({ total: 1, items: [{ id: 'ins0000000000000001' }] });
      const audit = (await request(app.app).get('/audit').set(auth)).body as { items: { dedupKey: string }[] };
      expect(audit.items.map((a) => a.dedupKey)).not.toContain('audit-bad');
      expect(audit.items.map((a) => a.dedupKey)).toContain('audit-good');

      const rows = await db.prisma.quarantinedRecord.findMany({ orderBy: { source: 'asc' } });
      expect(rows.map((r) => [r.app, r.source, r.recordKey])).toEqual([
        ['inspector', 'inspector_audit', 'inspector/audit-bad'],
        ['inspector', 'inspector_positions', 'ins0000000000000002'],
        ['inspector', 'inspector_states', 'inspector'],
      ]);
      expect(rows.find((r) => r.source === 'inspector_states')).toMatchObject({
        reason: expect.stringContaining('killSwitch'),
        value: { killSwitch: 'broken', policiesVersion: 3 },
      });
      expect(rows.find((r) => r.source === 'inspector_positions')).toMatchObject({
        reason: expect.stringContaining('side'),
        value: { side: 'SIDEWAYS', quantity: '0.1' },
      });

      const ready = await request(app.app).get('/health/ready');
      expect(ready.status).toBe(200);
      expect(ready.body.checks.quarantine).toMatchObject({ ok: true, details: { records: 3 } });
      expect((await request(app.app).get('/metrics')).text).toMatch(
        /bfx_quarantined_records\{[^}]*source="inspector_positions"[^}]*\} 1/,
      );
    } finally {
      await app.stop();
      await bus.close();
    }
  });
});
