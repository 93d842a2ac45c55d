import Decimal from 'decimal.js';
import { createMemoryBus } from '@barfinex/bus';
import { createTestPglite } from '@barfinex/db';
import type { Database } from '@barfinex/db';
import { createSimStateStore } from '../connectors/sim-snapshot.store';
import type { SimStateStore, SimStateStoreDeps } from '../connectors/sim-snapshot.store';
import { startProvider } from '../testing/harness';
import type { Harness } from '../testing/harness';

let db: Database;
let h: Harness;
/** How many of the simulator's next state saves fail (a database outage after the exchange accepted an order). */
let failingSaves = 0;
function failingStore(deps: SimStateStoreDeps): SimStateStore {
  const real = createSimStateStore(deps);
  return {
    ...real,
    save: (options) => {
      if (failingSaves === 0) return real.save(options);
      failingSaves -= 1;
      return Promise.reject(new Error('connection to the database lost'));
    },
  };
}

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${h.baseUrl}${path}`, {
    method,
    headers: { ...h.auth, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const order = (o: Record<string, unknown>): Record<string, unknown> => ({ symbol: 'BTCUSDT', side: 'BUY', connectorType: 'sim', marketType: 'spot', ...o });

beforeAll(async () => {
  db = await createTestPglite();
  h = await startProvider({ db, bus: createMemoryBus(), sim: { createStore: failingStore } });
  await call('POST', '/api/connectors/sim/price', { symbol: 'BTCUSDT', price: '60000' });
});
afterAll(async () => {
  await h.stop();
  await db.close();
});

describe('replacing an order', () => {
  it('keeps the original working when the new terms would be refused', async () => {
    const placed = await call('POST', '/api/orders', order({ type: 'LIMIT', quantity: '0.01', price: '50000', clientOrderId: 'rep-bad-terms' }));
    expect(placed.body.status).toBe('NEW');
    const badPrice = await call('PUT', `/api/orders/${placed.body.id}`, { price: '50000.001' });
    expect(badPrice.status).toBe(400);
    const tooBig = await call('PUT', `/api/orders/${placed.body.id}`, { quantity: '100000' });
    expect(tooBig.status).toBe(400);
    expect((await call('GET', `/api/orders/${placed.body.id}`)).body.status).toBe('NEW');
  });

  it('refuses a clientOrderId that is already taken instead of answering with that other order', async () => {
    const other = await call('POST', '/api/orders', order({ type: 'MARKET', quantity: '0.001', clientOrderId: 'rep-taken' }));
    expect(other.body.status).toBe('FILLED');
    const placed = await call('POST', '/api/orders', order({ type: 'LIMIT', quantity: '0.01', price: '50000', clientOrderId: 'rep-original' }));
    const res = await call('PUT', `/api/orders/${placed.body.id}`, { price: '50001', clientOrderId: 'rep-taken' });
    expect(res.status).toBe(409);
    expect((await call('GET', `/api/orders/${placed.body.id}`)).body.status).toBe('NEW');
  });

  it('replaces only what is left of a partially filled order', async () => {
    // A buy at the best ask for more than that level holds takes the level and rests with the rest.
    const level = h.sim.orderBook('spot', 'BTCUSDT', 1)?.asks[0];
    if (!level) throw new Error('the simulator has no asks');
    const quantity = new Decimal(level.volume).plus('0.01').toFixed();
    const buy = await call('POST', '/api/orders', order({ type: 'LIMIT', quantity, price: level.price, clientOrderId: 'rep-partial' }));
    expect(buy.body).toMatchObject({ status: 'PARTIALLY_FILLED', quantityExecuted: level.volume });
    const res = await call('PUT', `/api/orders/${buy.body.id}`, { price: '50000' });
    expect(res.status).toBe(200);
    expect(res.body.canceled.quantityExecuted).toBe(level.volume);
    expect(res.body.order.quantity).toBe('0.01');
  });

  it('carries the correlationId over to the replacement', async () => {
    const placed = await call('POST', '/api/orders', order({ type: 'LIMIT', quantity: '0.01', price: '50000', correlationId: 'signal-7' }));
    const res = await call('PUT', `/api/orders/${placed.body.id}`, { price: '50001' });
    expect(res.status).toBe(200);
    expect(res.body.order.correlationId).toBe('signal-7');
  });
});

describe('requests the venue finds invalid', () => {
  it.each([
    ['reduceOnly on spot', order({ side: 'SELL', type: 'MARKET', quantity: '0.001', reduceOnly: true, clientOrderId: 'inv-1' })],
    ['a callbackRate off the 0.1 grid', order({ symbol: 'ETHUSDT', marketType: 'futures', type: 'TRAILING_STOP_MARKET', quantity: '0.1', callbackRate: '0.15', clientOrderId: 'inv-2' })],
  ])('answers %s with 400 and stores nothing', async (_name, body) => {
    const res = await call('POST', '/api/orders', body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_ERROR');
    expect((await call('GET', `/api/orders/${String(body['clientOrderId'])}`)).status).toBe(404);
    // The id is free again: the corrected order goes through under it.
    const fixed = await call('POST', '/api/orders', { ...body, reduceOnly: false, callbackRate: body['callbackRate'] ? '0.2' : undefined });
    expect(fixed.status).toBe(201);
  });
});

describe('cancelling every order of a detector', () => {
  it('cancels the rest when the venue refuses to cancel one of them', async () => {
    const source = { type: 'detector', key: 'det-cancel-all' };
    const live = await call('POST', '/api/orders', order({ type: 'LIMIT', quantity: '0.01', price: '49000', source }));
    expect(live.body.status).toBe('NEW');
    // A stored open order the venue does not know (its state was lost), created after the live one so it is cancelled first.
    await db.prisma.order.create({
      data: {
        id: 'phantom-1', clientOrderId: 'phantom-1', connectorType: 'sim', marketType: 'spot', symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', status: 'NEW',
        price: '48000', quantity: '0.01', quantityExecuted: '0', sourceType: 'detector', sourceKey: 'det-cancel-all', createdAt: BigInt(Date.UTC(2030, 0, 1)), updatedAt: BigInt(Date.UTC(2030, 0, 1)),
      },
    });
    const res = await call('DELETE', '/api/orders/detector/det-cancel-all');
    expect(res.status).toBe(200);
    expect(res.body.canceled).toBe(1);
    expect((await call('GET', `/api/orders/${live.body.id}`)).body.status).toBe('CANCELED');
  });
});

describe('order times', () => {
  it('never closes or updates an order before it was created, whatever the venue clock says', async () => {
    // The harness's simulator clock is paused at 2026-01-05, far behind the provider's clock.
    const res = await call('POST', '/api/orders', order({ type: 'MARKET', quantity: '0.001' }));
    expect(res.body.status).toBe('FILLED');
    expect(res.body.updatedAt).toBeGreaterThanOrEqual(res.body.createdAt);
    expect(res.body.closedAt).toBeGreaterThanOrEqual(res.body.createdAt);
  });
});

describe('an order the simulator accepted but could not save', () => {
  it('is answered, stored with its externalId and fills, and replayed as placed', async () => {
    failingSaves = 1;
    const res = await call('POST', '/api/orders', order({ type: 'MARKET', quantity: '0.001', clientOrderId: 'save-fails-1' }));
    expect(failingSaves).toBe(0);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'FILLED', quantityExecuted: '0.001' });
    expect(res.body.externalId).toEqual(expect.any(String));
    const fills = await db.prisma.fill.findMany({ where: { orderId: res.body.id } });
    expect(fills.map((f) => f.quantity.toString()).reduce((a, q) => a.plus(q), new Decimal(0)).toFixed()).toBe('0.001');
    const again = await call('POST', '/api/orders', order({ type: 'MARKET', quantity: '0.001', clientOrderId: 'save-fails-1' }));
    expect([again.status, again.body.id, again.body.status, again.body.externalId]).toEqual([200, res.body.id, 'FILLED', res.body.externalId]);
  });
});
