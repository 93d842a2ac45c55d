import { createMemoryBus } from '@barfinex/bus';
import type { AuditRecord, Order } from '@barfinex/contracts';
import { createTestPglite } from '@barfinex/db/testing';
import type { Database } from '@barfinex/db';
import { startProvider } from '../../testing/harness';
import type { Harness } from '../../testing/harness';

let db: Database;
let h: Harness;

async function api<T>(
  method: string,
  path: string,
  token: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${h.baseUrl}/api${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as T };
}
const admin = () => h.auth.Authorization.slice('Bearer '.length);

async function token(name: string): Promise<{ id: string; secret: string }> {
  const res = await api<{ id: string; secret: string }>('POST', '/auth/tokens', admin(), {
    name,
    scopes: ['read', 'trade'],
  });
  expect(res.status).toBe(201);
  return res.body;
}

beforeAll(async () => {
  db = await createTestPglite();
  h = await startProvider({ db, bus: createMemoryBus(), env: { AUDIT_FLUSH_MS: '50ms' } });
});
afterAll(async () => {
  await h.stop();
  await db.close();
});

describe('orders carry the token that placed them', () => {
  it('a replacement carries the token that replaced it, and the audit record names the new order', async () => {
    const placer = await token('placer');
    const replacer = await token('replacer');
    // Far below the market: the order rests, so it can be replaced.
    const placed = await api<Order>('POST', '/orders', placer.secret, {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      timeInForce: 'GTC',
      price: '1000',
      quantity: '0.01',
      connectorType: 'sim',
      marketType: 'spot',
    });
    expect(placed).toMatchObject({ status: 201, body: { status: 'NEW', tokenId: placer.id } });

    const replaced = await api<{ canceled: Order; order: Order }>('PUT', `/orders/${placed.body.id}`, replacer.secret, {
      price: '1100',
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.canceled).toMatchObject({ id: placed.body.id, status: 'CANCELED', tokenId: placer.id });
    expect(replaced.body.order).toMatchObject({ price: '1100', tokenId: replacer.id });
    expect((await api<Order>('GET', `/orders/${replaced.body.order.id}`, admin())).body.tokenId).toBe(replacer.id);

    const audit = await api<{ data: AuditRecord[] }>('GET', `/audit?operationId=replaceOrder`, admin());
    expect(audit.body.data).toEqual([
      expect.objectContaining({
        tokenId: replacer.id,
        tokenName: 'replacer',
        status: 200,
        targetIds: expect.objectContaining({ orderId: placed.body.id, replacementOrderId: replaced.body.order.id }),
      }),
    ]);
  });
});
