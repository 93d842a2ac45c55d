import { createMemoryBus } from '@barfinex/bus';
import { createTestPglite } from '@barfinex/db/testing';
import type { Database } from '@barfinex/db';
import { findOpenApiProblems } from '@barfinex/contracts';
import { startProvider } from './testing/harness';
import type { Harness } from './testing/harness';

let db: Database;
let h: Harness;
let bus: ReturnType<typeof createMemoryBus>;

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = h.auth) {
  const res = await fetch(`${h.baseUrl}${path}`, {
    method,
    headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

const order = (o: Record<string, unknown>) => ({
  symbol: 'BTCUSDT',
  side: 'BUY',
  connectorType: 'sim',
  marketType: 'spot',
  ...o,
});

beforeAll(async () => {
  db = await createTestPglite();
  bus = createMemoryBus();
  h = await startProvider({ db, bus });
});
afterAll(async () => {
  await h.stop();
  await db.close();
});

describe('auth and errors', () => {
  it('rejects a missing or wrong token with 401 and the error body', async () => {
    const missing = await call('GET', '/api/options', undefined, {});
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('UNAUTHORIZED');
    expect((await call('GET', '/api/options', undefined, { 'x-api-token': 'nope' })).status).toBe(401);
    expect(
      (await call('GET', '/api/options', undefined, { 'x-api-token': h.auth.Authorization.slice(7) })).status,
    ).toBe(200);
  });
  it('answers unknown routes, malformed JSON and bad params with 4xx', async () => {
    expect((await call('GET', '/api/nope')).status).toBe(404);
    const bad = await call('POST', '/api/orders', '{"symbol":');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID_JSON');
    expect((await call('GET', '/api/symbols/nasdaq/spot')).status).toBe(400);
    expect((await call('GET', '/api/symbols/binance/spot')).status).toBe(404);
  });
  it('serves health without a token and OpenAPI docs covering every route', async () => {
    expect((await call('GET', '/health', undefined, {})).status).toBe(200);
    const doc = await call('GET', '/docs-json', undefined, {});
    expect(doc.body.openapi).toMatch(/^3\.1/);
    expect(findOpenApiProblems(doc.body)).toEqual([]);
    for (const p of [
      '/orders',
      '/orders/{orderId}',
      '/orders/close',
      '/candles/{connectorType}/{marketType}/{symbol}/{interval}',
      '/accounts/leverage',
      '/connectors/sim/step',
    ]) {
      expect(Object.keys(doc.body.paths)).toContain(p);
    }
  });
});

describe('market data areas', () => {
  it('lists options, connectors, symbols with filters, subscriptions and the event catalog', async () => {
    expect((await call('POST', '/api/detectors', { key: 'options-check', name: 'Options check' })).status).toBe(201);
    const options = await call('GET', '/api/options');
    expect(options.body.connectors.map((c: { marketType: string }) => c.marketType)).toEqual(['spot', 'futures']);
    expect(options.body.detectors).toEqual((await call('GET', '/api/detectors')).body);
    expect(options.body.detectors).toEqual(
      expect.arrayContaining([expect.objectContaining({ key: 'options-check', name: 'Options check' })]),
    );
    expect((await call('DELETE', '/api/detectors/options-check')).status).toBe(200);
    const symbols = await call('GET', '/api/symbols/sim/spot');
    expect(symbols.body.find((s: { symbol: string }) => s.symbol === 'BTCUSDT')).toMatchObject({
      tickSize: '0.01',
      stepSize: '0.00001',
      minNotional: '5',
    });
    expect((await call('GET', '/api/symbols/sim/perpetual')).body.length).toBeGreaterThan(0);
    expect((await call('GET', '/api/connectors/sim/futures')).body.status).toBe('ACTIVE');
    expect((await call('GET', '/api/subscriptions')).body.length).toBeGreaterThan(0);
    const catalog = await call('GET', '/api/ws/events/catalog');
    const names = catalog.body.items.map((i: { systemName: string }) => i.systemName);
    expect(names).toEqual(
      expect.arrayContaining(['PROVIDER_ORDER_CREATE', 'DETECTOR_SIGNAL_GENERATED', 'health', 'event']),
    );
  });
  it('aggregates trades into stored candles and answers range queries', async () => {
    await call('POST', '/api/connectors/sim/step', { ms: 5 * 60_000 });
    await h.provider.marketData.flush();
    const res = await call('GET', '/api/candles/sim/spot/btcusdt/1m?days=1');
    expect(res.status).toBe(200);
    expect(res.body.length).toBeGreaterThanOrEqual(5);
    const bar = res.body[0];
    expect(Number(bar.high)).toBeGreaterThanOrEqual(Number(bar.low));
    expect((await call('GET', '/api/candles/sim/spot/BTCUSDT/7x')).status).toBe(400);
    expect((await call('GET', '/api/candles/sim/spot/BTCUSDT/min1?from=2026-01-06&to=2026-01-05')).status).toBe(400);
    expect((await call('GET', '/api/candles/sim/spot/BTCUSDT/min1?days=-1')).status).toBe(400);
    expect((await call('GET', '/api/candles/sim/spot/DOGEUSDT/min1')).status).toBe(404);
  });
});

describe('orders', () => {
  it('places a market order, fills it and is idempotent by clientOrderId and idempotencyKey', async () => {
    const first = await call(
      'POST',
      '/api/orders',
      order({ type: 'MARKET', quantity: '0.01', clientOrderId: 'cid-1' }),
    );
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'FILLED', quantityExecuted: '0.01', clientOrderId: 'cid-1' });
    const again = await call('POST', '/api/orders', {
      order: order({ type: 'MARKET', quantity: 0.01, clientOrderId: 'cid-1' }),
    });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    const k1 = await call('POST', '/api/orders', order({ type: 'MARKET', quantity: '0.01', idempotencyKey: 'key-1' }));
    const k2 = await call('POST', '/api/orders', order({ type: 'MARKET', quantity: '0.01', idempotencyKey: 'key-1' }));
    expect(k2.body.id).toBe(k1.body.id);
    // A retry is answered with the first order even when its checks would fail now (here: a quantity below the lot size).
    const late = await call(
      'POST',
      '/api/orders',
      order({ type: 'MARKET', quantity: '0.0000001', clientOrderId: 'cid-1' }),
    );
    expect([late.status, late.body.id]).toEqual([200, first.body.id]);
    const fresh = await call(
      'POST',
      '/api/orders',
      order({ type: 'MARKET', quantity: '0.0000001', clientOrderId: 'cid-new' }),
    );
    expect(fresh.status).toBe(400);
    expect((await call('GET', `/api/orders/${first.body.id}`)).body.status).toBe('FILLED');
  });
  it('rests a limit order, fills it when the price crosses, and cancels another', async () => {
    const price = Number((await call('GET', '/api/connectors/sim/status')).body.prices.spot.BTCUSDT);
    const below = (Math.floor(price * 0.9 * 100) / 100).toFixed(2);
    const resting = await call('POST', '/api/orders', order({ type: 'LIMIT', quantity: '0.001', price: below }));
    expect(resting.body.status).toBe('NEW');
    const other = await call(
      'POST',
      '/api/orders',
      order({
        type: 'LIMIT',
        quantity: '0.001',
        price: (Number(below) - 100).toFixed(2),
        source: { type: 'detector', key: 'trend-1' },
      }),
    );
    expect((await call('GET', '/api/orders/detector/trend-1')).body).toHaveLength(1);
    expect((await call('GET', '/api/orders/detector/trend-1/count')).body).toEqual([
      { symbol: 'BTCUSDT', ordersCount: 1 },
    ]);
    await call('POST', '/api/connectors/sim/price', { symbol: 'BTCUSDT', price: (Number(below) - 50).toFixed(2) });
    await h.provider.orders.idle();
    expect((await call('GET', `/api/orders/${resting.body.id}`)).body.status).toBe('FILLED');
    const closed = await call('PUT', '/api/orders/close', { id: other.body.id });
    expect(closed.body.status).toBe('CANCELED');
    expect((await call('PUT', '/api/orders/close', { order: { id: other.body.id } })).body.status).toBe('CANCELED');
    expect((await call('PUT', '/api/orders/close', { id: resting.body.id })).status).toBe(409);
  });
  it('rejects invalid orders with 4xx and stores nothing', async () => {
    const before = (await call('GET', '/api/orders?limit=1000')).body.total;
    const cases = [
      order({ type: 'MARKET', quantity: '-1' }),
      order({ type: 'MARKET', quantity: 'abc' }),
      order({ type: 'LIMIT', quantity: '0.001' }),
      order({ type: 'LIMIT', quantity: '0.001', price: '100.001' }),
      order({ type: 'MARKET', quantity: '0.0000001' }),
      order({ type: 'MARKET', quantity: '0.001', symbol: 'NOPE' }),
      order({ type: 'STOP_MARKET', quantity: '0.001' }),
      order({ type: 'TRAILING_STOP_MARKET', quantity: '0.001' }),
      { ...order({ type: 'MARKET', quantity: '1' }), connectorType: 'nasdaq' },
    ];
    for (const c of cases) {
      const res = await call('POST', '/api/orders', c);
      expect([400, 404]).toContain(res.status);
      expect(res.body.error.code).toBeDefined();
    }
    expect((await call('GET', '/api/orders?limit=1000')).body.total).toBe(before);
  });
  it('answers insufficient balance with a clear 422 reject', async () => {
    const res = await call('POST', '/api/orders', order({ type: 'MARKET', quantity: '8000' }));
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('ORDER_REJECTED');
    expect(res.body.error.details.reason).toBe('INSUFFICIENT_BALANCE');
  });
  it('opens a futures position and reports it in the account', async () => {
    expect(
      (await call('PUT', '/api/accounts/leverage', { connectorType: 'sim', symbol: { name: 'ETHUSDT' }, leverage: 5 }))
        .body.leverage,
    ).toBe(5);
    const res = await call(
      'POST',
      '/api/orders',
      order({ symbol: 'ETHUSDT', marketType: 'futures', type: 'MARKET', quantity: '0.5' }),
    );
    expect(res.body.status).toBe('FILLED');
    const account = await call('GET', '/api/accounts/sim/futures');
    expect(account.body.positions).toEqual([
      expect.objectContaining({ symbol: 'ETHUSDT', side: 'LONG', quantity: '0.5', leverage: 5 }),
    ]);
    expect((await call('GET', '/api/assets/sim/futures')).body.assets.length).toBeGreaterThan(0);
  });
  it('replaces an open order with new terms', async () => {
    const price = Number((await call('GET', '/api/connectors/sim/status')).body.prices.spot.ETHUSDT);
    const limit = (Math.floor(price * 0.8 * 100) / 100).toFixed(2);
    const placed = await call(
      'POST',
      '/api/orders',
      order({ symbol: 'ETHUSDT', type: 'LIMIT', quantity: '0.01', price: limit }),
    );
    const replaced = await call('PUT', `/api/orders/${placed.body.id}`, { price: (Number(limit) - 1).toFixed(2) });
    expect(replaced.status).toBe(200);
    expect(replaced.body.canceled.status).toBe('CANCELED');
    expect(replaced.body.order.status).toBe('NEW');
    expect(replaced.body.order.price).toBe((Number(limit) - 1).toFixed(2).replace(/\.?0+$/, ''));
  });
});

describe('malformed paths', () => {
  it('answers a broken percent-escape with 400, not 500', async () => {
    const res = await call('GET', '/api/orders/%E0%A4%A');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('BAD_REQUEST');
  });
});

describe('observability', () => {
  it('exposes request latency, bus counts and lag, WS clients and orders by status on /metrics', async () => {
    await call('POST', '/api/connectors/sim/price', { symbol: 'BTCUSDT', price: '50000' });
    const placed = await call('POST', '/api/orders', order({ type: 'LIMIT', price: '1000', quantity: '0.01' }));
    expect(placed.status).toBe(201);
    const res = await fetch(`${h.baseUrl}/metrics`);
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).toMatch(/^bfx_orders\{[^}]*status="NEW"[^}]*\} [1-9]/m);
    expect(text).toMatch(/^http_request_duration_seconds_count\{.*route="\/api\/orders".*\} [1-9]/m);
    expect(text).toMatch(/^bfx_bus_published_total\{[^}]*event="PROVIDER_ORDER_CREATE"[^}]*\} [1-9]/m);
    expect(text).toMatch(/^bfx_bus_consume_lag_seconds_count\{[^}]*source="PROVIDER"[^}]*\} [1-9]/m);
    expect(text).toContain('bfx_ws_clients');
  });
});

describe('order correlation', () => {
  it('puts a caller-given correlationId on the order and on its events, else the clientOrderId', async () => {
    const seen: { type: string; correlationId?: string | undefined }[] = [];
    const sub = await bus.subscribeAll((env) => void seen.push({ type: env.type, correlationId: env.correlationId }));
    await call('POST', '/api/connectors/sim/price', { symbol: 'ETHUSDT', price: '3000' });
    const chained = await call(
      'POST',
      '/api/orders',
      order({
        symbol: 'ETHUSDT',
        type: 'MARKET',
        quantity: '0.1',
        clientOrderId: 'corr-1',
        correlationId: 'signal-42',
      }),
    );
    expect(chained.body).toMatchObject({ status: 'FILLED', correlationId: 'signal-42' });
    const plain = await call(
      'POST',
      '/api/orders',
      order({ symbol: 'ETHUSDT', type: 'MARKET', quantity: '0.1', clientOrderId: 'corr-2' }),
    );
    expect(plain.body.correlationId).toBeUndefined();
    await new Promise((r) => setTimeout(r, 50));
    await sub.unsubscribe();
    const ids = (type: string) => seen.filter((e) => e.type === type).map((e) => e.correlationId);
    expect(ids('PROVIDER_ORDER_CREATE')).toEqual(expect.arrayContaining(['signal-42', 'corr-2']));
    expect(ids('PROVIDER_ORDER_FILL')).toEqual(expect.arrayContaining(['signal-42', 'corr-2']));
    expect(
      (await call('POST', '/api/orders', order({ type: 'MARKET', quantity: '0.1', correlationId: '' }))).status,
    ).toBe(400);
  });
});
