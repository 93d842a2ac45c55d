// End to end through the real provider: orders placed over HTTP while NATS is down are answered
// 201 as always, and every PROVIDER_ORDER_CREATE reaches the bus once it is back, in order, also
// across a provider restart.
import { createTestPglite } from '@barfinex/db/testing';
import type { Database } from '@barfinex/db';
import type { EventEnvelope } from '@barfinex/events';
import { startProvider } from '../testing/harness';
import type { Harness } from '../testing/harness';
import { createFlakyBus } from './flaky-bus.fixture';
import type { FlakyBus } from './flaky-bus.fixture';

// Response bodies are read loosely here; their shapes are checked by the assertions.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;

let db: Database;

beforeAll(async () => {
  db = await createTestPglite();
}, 60_000);
afterAll(() => db.close());

/** What the inspector does: a durable consumer of order creations. Resolves `until(n)` once n arrived. */
async function orderCreations(bus: FlakyBus) {
  const received: Array<EventEnvelope<'PROVIDER_ORDER_CREATE'>> = [];
  let waiters: Array<{ n: number; resolve: () => void }> = [];
  await bus.inner.subscribe(
    'PROVIDER_ORDER_CREATE',
    (env) => {
      received.push(env);
      const ready = waiters.filter((w) => received.length >= w.n);
      waiters = waiters.filter((w) => received.length < w.n);
      for (const w of ready) w.resolve();
    },
    { durable: 'inspector' },
  );
  return {
    received,
    clientOrderIds: () => received.map((e) => e.payload.clientOrderId),
    until: (n: number) =>
      received.length >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve })),
  };
}

async function call(
  h: Harness,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Loose }> {
  const res = await fetch(`${h.baseUrl}${path}`, {
    method,
    headers: { ...h.auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Loose };
}

const placeMarket = (h: Harness, clientOrderId: string) =>
  call(h, 'POST', '/api/orders', {
    symbol: 'BTCUSDT',
    side: 'BUY',
    type: 'MARKET',
    quantity: '0.001',
    connectorType: 'sim',
    marketType: 'spot',
    clientOrderId,
  });

describe('orders placed while the bus is down', () => {
  it('reach every subscriber once the bus is back, in the order they were placed, each once', async () => {
    const bus = createFlakyBus();
    const inspector = await orderCreations(bus);
    const h = await startProvider({ db, bus });
    try {
      expect((await placeMarket(h, 'up-1')).status).toBe(201);
      await inspector.until(1);

      bus.down();
      const during = Array.from({ length: 8 }, (_, i) => `down-${i}`);
      for (const cid of during)
        expect((await placeMarket(h, cid)).body).toMatchObject({ clientOrderId: cid, status: 'FILLED' });
      await h.provider.orders.idle();
      const ready = await call(h, 'GET', '/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body['checks'].bus.details).toMatchObject({ connected: false, outboxDepth: expect.any(Number) });
      expect(ready.body['checks'].bus.details.outboxDepth).toBeGreaterThanOrEqual(during.length);
      expect(inspector.clientOrderIds()).toEqual(['up-1']);

      bus.up();
      await inspector.until(1 + during.length);
      expect(inspector.clientOrderIds()).toEqual(['up-1', ...during]);
      expect(new Set(inspector.received.map((e) => e.eventId)).size).toBe(inspector.received.length);

      // Once drained, orders go straight to the bus again.
      expect((await placeMarket(h, 'up-2')).status).toBe(201);
      await inspector.until(2 + during.length);
      expect(inspector.clientOrderIds().at(-1)).toBe('up-2');
      expect(await db.prisma.eventOutbox.count()).toBe(0);
      const metrics = await fetch(`${h.baseUrl}/metrics`).then((r) => r.text());
      expect(metrics).toMatch(/^bfx_event_outbox_depth\{[^}]*\} 0$/m);
    } finally {
      await h.stop();
    }
  }, 60_000);

  it('are delivered by the next provider when the first stopped before the bus came back', async () => {
    const first = createFlakyBus();
    const h1 = await startProvider({ db, bus: first });
    first.down();
    const placed = ['restart-0', 'restart-1', 'restart-2'];
    for (const cid of placed) expect((await placeMarket(h1, cid)).status).toBe(201);
    await h1.stop();
    expect(await db.prisma.eventOutbox.count()).toBeGreaterThanOrEqual(placed.length);

    const second = createFlakyBus();
    const inspector = await orderCreations(second);
    const h2 = await startProvider({ db, bus: second });
    try {
      await inspector.until(placed.length);
      expect(inspector.clientOrderIds()).toEqual(placed);
      await h2.provider.orders.idle();
      expect((await placeMarket(h2, 'restart-after')).status).toBe(201);
      await inspector.until(placed.length + 1);
      expect(inspector.clientOrderIds()).toEqual([...placed, 'restart-after']);
    } finally {
      await h2.stop();
    }
  }, 60_000);
});
