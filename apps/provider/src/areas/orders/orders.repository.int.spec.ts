import type { Fill, Order } from '@barfinex/contracts';
import { describeOnBothDatabases } from '../../testing/both-databases';
import { createOrdersRepository } from './orders.repository';
import { APPLY_VENUE_UPDATES_SQL } from './orders.sql';

const T0 = Date.UTC(2026, 0, 5);

function order(i: number): Order {
  return {
    id: `o-${i}`,
    clientOrderId: `c-${i}`,
    symbol: 'ETHUSDT',
    side: i % 2 === 0 ? 'BUY' : 'SELL',
    type: 'MARKET',
    status: 'NEW',
    quantity: '0.01',
    quantityExecuted: '0',
    connectorType: 'sim',
    marketType: 'spot',
    source: { type: 'provider' },
    createdAt: T0 + i,
    updatedAt: T0 + i,
  };
}

function fill(i: number, tradeId: string): Fill {
  return {
    fillId: `o-${i}:${tradeId}`,
    orderId: `o-${i}`,
    clientOrderId: `c-${i}`,
    tradeId,
    symbol: 'ETHUSDT',
    side: 'BUY',
    price: '2500.5',
    quantity: '0.01',
    fee: '0.00001',
    feeAsset: 'ETH',
    isMaker: false,
    time: T0 + i,
    connectorType: 'sim',
    marketType: 'spot',
    source: { type: 'provider' },
  };
}

describeOnBothDatabases('orders repository', (db) => {
  it("applies concurrent venue updates with their fills, each order's alone, a repeated trade once", async () => {
    const repo = createOrdersRepository(db().prisma, { pool: db().pool });
    for (let i = 0; i < 30; i++) expect(await repo.insert(order(i))).toBeDefined();
    // Thirty updates at once share statements (group commit); each answers its own fills.
    const stored = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        repo.applyVenueUpdate(
          `o-${i}`,
          { status: 'FILLED', externalId: `x-${i}`, quantityExecuted: '0.01', updatedAt: T0 + 100, closedAt: T0 + 100 },
          [fill(i, `t-${i}`)],
        ),
      ),
    );
    expect(stored).toEqual(Array.from({ length: 30 }, (_, i) => [`t-${i}`]));
    const o7 = await repo.findById('o-7');
    expect(o7).toMatchObject({ status: 'FILLED', externalId: 'x-7', quantityExecuted: '0.01', closedAt: T0 + 100 });
    // The same trade again stores nothing and answers no fill; the order's state still applies.
    expect(
      await repo.applyVenueUpdate('o-7', { status: 'FILLED', quantityExecuted: '0.01', updatedAt: T0 + 200 }, [
        fill(7, 't-7'),
      ]),
    ).toEqual([]);
    expect(await repo.fillsOf('o-7')).toHaveLength(1);
    expect((await repo.findById('o-7'))?.updatedAt).toBe(T0 + 200);
    // An order that does not exist fails alone, and its fill is not stored.
    await expect(
      repo.applyVenueUpdate('o-missing', { status: 'FILLED', updatedAt: T0 }, [fill(99, 't-99')]),
    ).rejects.toThrow('o-missing does not exist');
    expect(await repo.fillsOf('o-missing')).toEqual([]);
  });

  it('finds the updated orders by index, never by scanning every order ever placed', async () => {
    // One session (a pooled connection on PostgreSQL; PGlite has only one), as the pool's named
    // statement runs: prepared once, then with the generic plan it settles on after a few runs.
    const pool = db().pool;
    const client = pool ? await pool.connect() : undefined;
    // (the client is held by this test, so the inserts below go over the pool's other connections)
    const run = async (text: string): Promise<Array<Record<string, unknown>>> =>
      client ? (await client.query(text)).rows : db().prisma.$queryRawUnsafe(text);
    try {
      // A table of a few thousand orders: at 30 rows one page is read either way.
      const repo = createOrdersRepository(db().prisma, { pool });
      await Promise.all(Array.from({ length: 3000 }, (_, i) => repo.insert(order(1000 + i))));
      await run('ANALYZE orders');
      await run('SET plan_cache_mode = force_generic_plan');
      await run(`PREPARE venue_update(jsonb, jsonb, text[]) AS ${APPLY_VENUE_UPDATES_SQL}`);
      const update = JSON.stringify([{ id: 'o-1', status: 'FILLED', updated_at: String(T0) }]);
      const rows = await run(`EXPLAIN (FORMAT JSON) EXECUTE venue_update('${update}', '[]', ARRAY['o-1'])`);
      const plan = rows[0]?.['QUERY PLAN'];
      const root = (typeof plan === 'string' ? JSON.parse(plan) : plan) as Array<{ Plan: Record<string, unknown> }>;
      const scans: string[] = [];
      const walk = (node: Record<string, unknown>): void => {
        if (node['Relation Name'] === 'orders') scans.push(String(node['Operation'] ?? node['Node Type']));
        for (const child of (node['Plans'] as Record<string, unknown>[] | undefined) ?? []) walk(child);
      };
      const top = root[0];
      if (!top) throw new Error('EXPLAIN answered no plan');
      walk(top.Plan);
      expect(scans).toContain('Update');
      expect(scans).not.toContain('Seq Scan');
    } finally {
      await run('DEALLOCATE venue_update').catch(() => undefined);
      await run('RESET plan_cache_mode');
      client?.release();
    }
  });
});
