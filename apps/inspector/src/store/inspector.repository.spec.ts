import { createTestPglite } from '@barfinex/db/testing';
import type { Database } from '@barfinex/db';
import type { AuditRecord } from './audit-record';
import { createInspectorRepository } from './inspector.repository';

describe('inspector repository: audit (PGlite)', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestPglite();
  });
  afterAll(async () => {
    await db.close();
  });

  const row = (n: number, symbol: string | undefined, action: AuditRecord['action'] = 'ALLOW'): AuditRecord => ({
    dedupKey: `audit-${n}`,
    kind: 'intent',
    action,
    reason: `decision ${n}`,
    ...(symbol ? { symbol } : {}),
    numbers: {},
    checks: [],
    at: 1_700_000_000_000 + n,
  });

  it('filters by symbol in the venue case whatever the case of the query, and never as a pattern', async () => {
    const repo = createInspectorRepository(db.prisma, 'audit-symbols');
    const rows = [
      row(1, 'BTCUSDT'),
      row(2, 'ETHUSDT'),
      row(3, 'BTCUSDT', 'BLOCK'),
      row(4, 'BTCUSDX'),
      row(5, undefined),
      row(6, 'btc/usd'),
    ];
    for (const r of rows) await repo.insertAudit(r);
    const keys = async (q: { symbol?: string; action?: string }) =>
      (await repo.listAudit({ page: 1, limit: 50, ...q })).items.map((a) => a.dedupKey);
    expect(await keys({ symbol: 'BTCUSDT' })).toEqual(['audit-3', 'audit-1']);
    expect(await keys({ symbol: 'btcusdt' })).toEqual(['audit-3', 'audit-1']);
    expect(await keys({ symbol: 'btcusdt', action: 'BLOCK' })).toEqual(['audit-3']);
    expect(await keys({ symbol: 'btc/usd' })).toEqual(['audit-6']);
    expect(await keys({ symbol: 'BTCUSD_' })).toEqual([]);
    expect(await keys({ symbol: 'BTC' })).toEqual([]);
    expect((await repo.listAudit({ page: 1, limit: 50, symbol: 'btcusdt' })).total).toBe(2);
    expect(
      await createInspectorRepository(db.prisma, 'someone-else').listAudit({ page: 1, limit: 50, symbol: 'btcusdt' }),
    ).toEqual({ items: [], total: 0 });
  });
});
