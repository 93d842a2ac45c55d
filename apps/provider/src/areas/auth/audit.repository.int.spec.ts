import { describeOnBothDatabases } from '../../testing/both-databases';
import { createAuditRepository } from './audit.repository';
import type { NewAuditRecord } from './audit.repository';

const T0 = Date.UTC(2026, 0, 5);

/** A batch with every nullable column both set and null, and ids that must come back in order. */
function batch(n: number, offset = 0): NewAuditRecord[] {
  return Array.from({ length: n }, (_, k) => {
    const i = k + offset;
    const anonymous = i % 3 === 0;
    const targetIds: Record<string, string> = anonymous ? {} : { clientOrderId: `c-${i}`, symbol: 'ETH,USDT' };
    return {
      at: T0 + i,
      tokenId: anonymous ? null : `tok-${i % 4}`,
      tokenName: anonymous ? null : `name "quoted" {${i}}`,
      method: i % 2 === 0 ? 'POST' : 'PUT',
      route: i % 2 === 0 ? 'POST /orders' : 'PUT /orders/:orderId',
      operationId: anonymous ? null : 'placeOrder',
      path: `/orders/${i}`,
      targetIds,
      bodyDigest: anonymous ? null : 'ab'.repeat(32),
      status: anonymous ? 401 : 201,
      outcome: anonymous ? 'denied' : 'ok',
      correlationId: anonymous ? null : `corr-${i}`,
      clientAddress: i % 5 === 0 ? null : '127.0.0.1',
    };
  });
}

describeOnBothDatabases('audit repository', (db) => {
  it('stores a batch in one statement and answers each record with its id, in the batch order', async () => {
    const repo = createAuditRepository(db().prisma, { pool: db().pool });
    const first = await repo.insert(batch(250));
    const second = await repo.insert(batch(7, 250));
    expect(await repo.insert([])).toEqual([]);

    const all = [...first, ...second];
    const ids = all.map((r) => Number(r.id));
    expect(new Set(ids).size).toBe(257);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(all.map(({ id: _id, ...rest }) => rest)).toEqual(batch(257));

    // What the audit route reads back is exactly what was answered at insert, ids included.
    const page = await repo.page({ page: 1, limit: 500 });
    expect(page.total).toBe(257);
    expect([...page.items].reverse()).toEqual(all);
  });
});
