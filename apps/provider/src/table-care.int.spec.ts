// The provider keeps its order tables where the database's autovacuum does not run: after a burst of
// orders on PostgreSQL it analyzes them, and vacuums them as their dead rows require, by itself, and
// every round succeeds (a table it names that does not exist would fail each one). Where the server
// runs autovacuum, it stays out.
import { createMemoryBus } from '@barfinex/bus';
import type { Bus } from '@barfinex/bus';
import { autovacuumRuns, createDatabase } from '@barfinex/db';
import type { Database } from '@barfinex/db';
import { createTestDatabase, describeWithPostgres, eventually } from '@barfinex/testing';
import type { TestDatabase } from '@barfinex/testing';
import { startProvider } from './testing/harness';
import type { Harness } from './testing/harness';

describeWithPostgres('provider table care (PostgreSQL)', () => {
  let pg: TestDatabase;
  let db: Database;
  let bus: Bus;
  let h: Harness;

  beforeAll(async () => {
    pg = await createTestDatabase('table_care');
    db = await createDatabase({ url: pg.url });
    bus = createMemoryBus();
    h = await startProvider({ db, bus, env: { PROVIDER_TABLE_CARE_MS: '200ms' } });
  });
  afterAll(async () => {
    await h?.stop();
    await bus?.close();
    await db?.close();
    await pg?.drop();
  });

  const rounds = async (outcome: 'done' | 'failed') => {
    const metric = await h.provider.metrics.registry.getSingleMetric('bfx_db_table_care_rounds_total')?.get();
    return metric?.values.find((v) => v.labels['outcome'] === outcome)?.value ?? 0;
  };

  it('analyzes the order tables after a burst of orders, and leaves none past the vacuum thresholds, where autovacuum does not run', async () => {
    const market = { symbol: 'ETHUSDT', connectorType: 'sim', marketType: 'spot', type: 'MARKET', quantity: '0.01' };
    for (let i = 0; i < 150; i++) {
      const res = await fetch(`${h.baseUrl}/api/orders`, {
        method: 'POST',
        headers: { ...h.auth, 'content-type': 'application/json' },
        body: JSON.stringify({ ...market, side: i % 2 === 0 ? 'BUY' : 'SELL' }),
      });
      expect(res.status).toBe(201);
    }
    if (await autovacuumRuns(db)) {
      expect(await rounds('done')).toBe(0);
      return;
    }
    // The server's counters for the burst arrive within its stats interval (10 s at most when idle).
    // Both tables are analyzed; each is vacuumed once its dead (or newly inserted) rows pass the
    // daemon's thresholds, so none is left past them. (The simulator's parts are mostly updated in
    // place, and page pruning clears their dead versions: 150 orders leave it nothing to vacuum.)
    await eventually(
      async () => {
        const tables = await db.prisma.$queryRawUnsafe<Array<{ relname: string; analyzed: boolean; overdue: boolean }>>(
          `SELECT relname, last_analyze IS NOT NULL AS analyzed,
                  (n_dead_tup > 50 + 0.2 * n_live_tup OR n_ins_since_vacuum > 1000 + 0.2 * n_live_tup) AS overdue
             FROM pg_stat_user_tables WHERE relname IN ('orders', 'sim_state_parts') ORDER BY relname`,
        );
        expect(tables).toEqual([
          { relname: 'orders', analyzed: true, overdue: false },
          { relname: 'sim_state_parts', analyzed: true, overdue: false },
        ]);
      },
      60_000,
      200,
    );
    expect(await rounds('done')).toBeGreaterThan(0);
    expect(await rounds('failed')).toBe(0);
  });
});
