import { connect } from 'nats';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { createNatsBus } from '@barfinex/bus';
import type { Bus } from '@barfinex/bus';
import { createDatabase } from '@barfinex/db';
import type { Database } from '@barfinex/db';
import { createTestDatabase, describeWithNats } from '@barfinex/testing';
import type { TestDatabase } from '@barfinex/testing';
import { TEST_TOKEN, startProvider } from './testing/harness';
import type { Harness } from './testing/harness';

interface Envelope {
  type: string;
  symbol?: string;
  payload: Record<string, unknown>;
}

async function deleteStream(name: string): Promise<void> {
  const nc = await connect({ servers: process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222' });
  try {
    await (await nc.jetstreamManager()).streams.delete(name);
  } catch {
    // already gone
  } finally {
    await nc.close();
  }
}

async function eventually(check: () => void, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

describeWithNats('provider end to end on NATS and PostgreSQL', () => {
  let pg: TestDatabase;
  let db: Database;
  let bus: Bus;
  let h: Harness;
  let client: Socket;
  const run = `e2e${Date.now().toString(36)}`;
  const received: Envelope[] = [];

  async function post(path: string, body: unknown) {
    const res = await fetch(`${h.baseUrl}${path}`, {
      method: 'POST',
      headers: { ...h.auth, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  beforeAll(async () => {
    pg = await createTestDatabase('provider_e2e');
    db = await createDatabase({ url: pg.url });
    // A run-scoped stream and subject prefix, so runs against a shared server never collide.
    bus = await createNatsBus({
      servers: process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222',
      name: 'provider-e2e',
      streamName: `BFX_${run}`,
      subjectPrefix: `bfx${run}`,
    });
    h = await startProvider({ db, bus });
    client = io(h.baseUrl, { path: '/ws', auth: { token: TEST_TOKEN }, transports: ['websocket'] });
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('connect_error', reject);
    });
    for (const name of [
      'PROVIDER_ORDER_CREATE',
      'PROVIDER_ORDER_FILL',
      'PROVIDER_ORDER_CLOSE',
      'PROVIDER_MARKETDATA_TRADE',
      'PROVIDER_MARKETDATA_CANDLE',
    ]) {
      client.on(name, (env: Envelope) => received.push(env));
    }
  });

  afterAll(async () => {
    client?.close();
    await h?.stop();
    await bus?.close();
    await deleteStream(`BFX_${run}`);
    await db?.close();
    await pg?.drop();
  });

  it('rejects a WebSocket handshake without the token', async () => {
    const anon = io(h.baseUrl, { path: '/ws', transports: ['websocket'], reconnection: false });
    const err = await new Promise<Error>((resolve) => anon.once('connect_error', resolve));
    expect(err.message).toMatch(/token/i);
    anon.close();
  });

  it('validates subscriptions and acks what is subscribed', async () => {
    const bad = await client.emitWithAck('subscribe', { events: ['NOT_AN_EVENT'] });
    expect(bad).toMatchObject({ ok: false, error: { code: 'UNKNOWN_EVENT' } });
    const ack = await client.emitWithAck('subscribe', {
      events: [
        'PROVIDER_ORDER_CREATE',
        'PROVIDER_ORDER_FILL',
        'PROVIDER_ORDER_CLOSE',
        'PROVIDER_MARKETDATA_TRADE',
        'PROVIDER_MARKETDATA_CANDLE',
      ],
      symbols: ['ETHUSDT'],
    });
    expect(ack.ok).toBe(true);
    expect(ack.subscribed.symbols.PROVIDER_ORDER_CREATE).toEqual(['ETHUSDT']);
    const health = new Promise((resolve) => client.once('health:ok', resolve));
    client.emit('health');
    expect(await health).toMatchObject({ ok: true });
  });

  it('places every order type over REST and streams the subscribed symbol only', async () => {
    const status = await fetch(`${h.baseUrl}/api/connectors/sim/status`, { headers: h.auth }).then(
      (r) => r.json() as Promise<{ prices: Record<string, Record<string, string>> }>,
    );
    const eth = Number(status.prices['spot']?.['ETHUSDT']);
    const px = (f: number) => (Math.round(eth * f * 100) / 100).toFixed(2);
    const base = { symbol: 'ETHUSDT', connectorType: 'sim', marketType: 'futures', quantity: '0.1' };
    const orders = [
      { ...base, side: 'BUY', type: 'MARKET' },
      { ...base, side: 'BUY', type: 'LIMIT', price: px(0.95) },
      { ...base, side: 'SELL', type: 'LIMIT_MAKER', price: px(1.05) },
      { ...base, side: 'SELL', type: 'STOP_MARKET', stopPrice: px(0.9) },
      { ...base, side: 'SELL', type: 'STOP', stopPrice: px(0.9), price: px(0.89) },
      { ...base, side: 'SELL', type: 'STOP_LOSS_LIMIT', stopPrice: px(0.9), price: px(0.89) },
      { ...base, side: 'SELL', type: 'TAKE_PROFIT', stopPrice: px(1.1), price: px(1.1) },
      { ...base, side: 'SELL', type: 'TAKE_PROFIT_MARKET', stopPrice: px(1.1) },
      { ...base, side: 'SELL', type: 'TAKE_PROFIT_LIMIT', stopPrice: px(1.1), price: px(1.1) },
      { ...base, side: 'SELL', type: 'TRAILING_STOP_MARKET', callbackRate: '1' },
    ];
    const placed: Array<Record<string, unknown>> = [];
    for (const o of orders) {
      const res = await post('/api/orders', o);
      expect([res.status, res.body['type']]).toEqual([201, o.type]);
      placed.push(res.body);
    }
    // Another symbol's order must not reach this client.
    expect(
      (
        await post('/api/orders', {
          symbol: 'BTCUSDT',
          connectorType: 'sim',
          marketType: 'spot',
          side: 'BUY',
          type: 'MARKET',
          quantity: '0.001',
        })
      ).status,
    ).toBe(201);
    // Drive the market up through the take-profits and the maker limit.
    expect((await post('/api/connectors/sim/price', { symbol: 'ETHUSDT', price: px(1.12) })).status).toBe(200);
    await h.provider.orders.idle();

    await eventually(() => {
      const created = received.filter((e) => e.type === 'PROVIDER_ORDER_CREATE').map((e) => e.payload['id']);
      expect(created).toEqual(expect.arrayContaining(placed.map((p) => p['id'])));
      expect(received.some((e) => e.type === 'PROVIDER_ORDER_FILL')).toBe(true);
      expect(received.some((e) => e.type === 'PROVIDER_ORDER_CLOSE')).toBe(true);
      expect(received.some((e) => e.type === 'PROVIDER_MARKETDATA_TRADE')).toBe(true);
    });
    expect(received.every((e) => e.symbol === 'ETHUSDT')).toBe(true);
    const market = placed[0]!;
    const fills = received.filter((e) => e.type === 'PROVIDER_ORDER_FILL' && e.payload['orderId'] === market['id']);
    expect(fills.length).toBeGreaterThan(0);
  });

  it('keeps orders and balances across a provider restart', async () => {
    const before = await fetch(`${h.baseUrl}/api/accounts/sim/futures`, { headers: h.auth }).then(
      (r) => r.json() as Promise<{ positions: unknown[]; orders: unknown[]; assets: unknown[] }>,
    );
    await h.stop();
    h = await startProvider({ db, bus });
    const after = await fetch(`${h.baseUrl}/api/accounts/sim/futures`, { headers: h.auth }).then(
      (r) => r.json() as Promise<{ positions: unknown[]; orders: unknown[]; assets: unknown[] }>,
    );
    expect(after.positions).toEqual(before.positions);
    expect(after.assets).toEqual(before.assets);
    expect(after.orders).toEqual(before.orders);
  });
});
