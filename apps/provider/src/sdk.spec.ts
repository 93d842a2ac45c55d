// The SDK against a whole provider (PGlite, memory bus, paused simulator): no mock of the provider.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMemoryBus } from '@barfinex/bus';
import { createTestPglite } from '@barfinex/db/testing';
import type { Database } from '@barfinex/db';
import {
  connectProviderSocket,
  createAppPresence,
  createProviderClient,
  isAmbiguousFailure,
  isUnreachable,
} from '@barfinex/sdk';
import type { ProviderClient } from '@barfinex/sdk';
import type { AppError } from '@barfinex/service-kit';
import { startProvider, TEST_TOKEN } from './testing/harness';
import type { Harness } from './testing/harness';

let db: Database;
let h: Harness;
let sdk: ProviderClient;

beforeAll(async () => {
  db = await createTestPglite();
  h = await startProvider({ db, bus: createMemoryBus() });
  // Generous: a shared CI machine may be slow; a timeout here would be about the machine, not the SDK.
  sdk = createProviderClient({ baseUrl: h.baseUrl, token: TEST_TOKEN, timeoutMs: 30_000 });
});
afterAll(async () => {
  sdk.close();
  await h.stop();
  await db.close();
});

const failure = async (p: Promise<unknown>): Promise<AppError> => {
  try {
    await p;
  } catch (err) {
    return err as AppError;
  }
  throw new Error('expected the call to fail');
};

describe('sdk: REST', () => {
  it('reads options, symbols, the book and the ticker as typed, validated values', async () => {
    const options = await sdk.options();
    expect(options.connectors.map((c) => c.connectorType)).toContain('sim');
    const symbols = await sdk.market.symbols({ connectorType: 'sim', marketType: 'spot' });
    expect(symbols.map((s) => s.symbol)).toContain('BTCUSDT');
    const book = await sdk.market.orderBook({ connectorType: 'sim', marketType: 'spot', symbol: 'BTCUSDT', depth: 5 });
    expect(book.bids.length).toBeLessThanOrEqual(5);
    await sdk.sim.pause();
    await sdk.sim.step(60_000);
    const ticker = await sdk.market.ticker({ connectorType: 'sim', marketType: 'spot', symbol: 'BTCUSDT' });
    expect(ticker['s']).toBe('BTCUSDT');
  });

  it('places, finds (by id and clientOrderId), lists and cancels an order', async () => {
    await sdk.sim.setPrice({ symbol: 'BTCUSDT', price: '50000' });
    const placed = await sdk.orders.create({
      connectorType: 'sim',
      marketType: 'spot',
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      price: '40000',
      quantity: '0.01',
      clientOrderId: 'sdk-limit-1',
    });
    expect(placed.status).toBe('NEW');
    expect((await sdk.orders.get('sdk-limit-1')).id).toBe(placed.id);
    const again = await sdk.orders.create({
      connectorType: 'sim',
      marketType: 'spot',
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      price: '40000',
      quantity: '0.01',
      clientOrderId: 'sdk-limit-1',
    });
    expect(again.id).toBe(placed.id);
    const page = await sdk.orders.list({ symbol: 'BTCUSDT', limit: 10 });
    expect(page.data.some((o) => o.id === placed.id)).toBe(true);
    const canceled = await sdk.orders.close(placed.id);
    expect(canceled.status).toBe('CANCELED');
  });

  it('turns error replies into AppErrors with the provider code, status and details', async () => {
    const missing = await failure(sdk.orders.get('no-such-order'));
    expect([missing.code, missing.status]).toEqual(['NOT_FOUND', 404]);
    const invalid = await failure(
      sdk.orders.create({
        connectorType: 'sim',
        marketType: 'spot',
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        quantity: '-1',
      }),
    );
    expect([invalid.code, invalid.status]).toEqual(['VALIDATION_ERROR', 400]);
    expect(isAmbiguousFailure(invalid)).toBe(false);
    const unauth = createProviderClient({ baseUrl: h.baseUrl, token: 'wrong', timeoutMs: 2_000 });
    expect((await failure(unauth.options())).status).toBe(401);
    unauth.close();
  });

  it('drives the simulator and reads candles and accounts', async () => {
    await sdk.sim.pause();
    await sdk.sim.path({ symbol: 'ETHUSDT', prices: ['3000', '3010', '3020'], intervalMs: 60_000 });
    const stepped = await sdk.sim.step(180_000);
    expect(stepped.paused).toBe(true);
    const candles = await sdk.candles.list({
      connectorType: 'sim',
      marketType: 'spot',
      symbol: 'ETHUSDT',
      interval: 'min1',
      days: 1,
    });
    expect(Array.isArray(candles)).toBe(true);
    const assets = await sdk.accounts.assets({ connectorType: 'sim', marketType: 'spot' });
    expect(assets.assets.length).toBeGreaterThan(0);
  });
});

describe('sdk: registry and presence', () => {
  it('registers, heartbeats and unregisters through presence', async () => {
    const errors: unknown[] = [];
    const presence = createAppPresence({
      provider: sdk,
      app: {
        appType: 'detector',
        appKey: 'sdk-detector',
        baseUrl: 'http://127.0.0.1:9',
        name: 'SDK test',
        version: '1.0.0',
        meta: { apiToken: 'secret' },
      },
      heartbeatMs: 60_000,
      onError: (err) => errors.push(err),
    });
    await presence.start();
    expect(presence.status().registered).toBe(true);
    const app = await sdk.registry.get('detector', 'sdk-detector');
    expect(app.isActive).toBe(true);
    expect(JSON.stringify(app)).not.toContain('secret');
    await presence.stop('test over');
    const after = await sdk.registry.get('detector', 'sdk-detector');
    expect(after.isActive).toBe(false);
    expect(errors).toEqual([]);
  });

  it('keeps trying while the provider is unreachable instead of failing start-up', async () => {
    const down = createProviderClient({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 1_000 });
    const errors: unknown[] = [];
    const presence = createAppPresence({
      provider: down,
      app: { appType: 'advisor', appKey: 'a', baseUrl: 'http://127.0.0.1:9' },
      heartbeatMs: 60_000,
      onError: (err) => errors.push(err),
    });
    await presence.start();
    expect(presence.status()).toMatchObject({ registered: false, consecutiveFailures: 1 });
    expect(isUnreachable(errors[0])).toBe(true);
    expect(isAmbiguousFailure(errors[0])).toBe(false);
    await presence.stop();
    down.close();
  });
});

describe('sdk: ambiguity', () => {
  it('reports a timeout as an ambiguous failure (the POST may have landed)', async () => {
    const silent = http.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as AddressInfo).port;
    const slow = createProviderClient({ baseUrl: `http://127.0.0.1:${port}`, token: 't', timeoutMs: 200 });
    const err = await failure(
      slow.orders.create({
        connectorType: 'sim',
        marketType: 'spot',
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'MARKET',
        quantity: '1',
      }),
    );
    expect(err.code).toBe('GATEWAY_TIMEOUT');
    expect(isAmbiguousFailure(err)).toBe(true);
    slow.close();
    silent.closeAllConnections();
    await new Promise((r) => silent.close(r));
  });
});

describe('sdk: socket', () => {
  it('receives the subscribed events of one symbol and not another', async () => {
    const ws = connectProviderSocket({
      baseUrl: h.baseUrl,
      token: TEST_TOKEN,
      events: ['PROVIDER_ORDER_CREATE'],
      symbols: ['SOLUSDT'],
    });
    const seen: string[] = [];
    ws.on('PROVIDER_ORDER_CREATE', (env) => seen.push(`${env.symbol}:${env.payload.clientOrderId}`));
    await ws.ready();
    await sdk.sim.setPrice({ symbol: 'SOLUSDT', price: '100' });
    await sdk.orders.create({
      connectorType: 'sim',
      marketType: 'spot',
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      price: '30000',
      quantity: '0.01',
      clientOrderId: 'ws-btc',
    });
    await sdk.orders.create({
      connectorType: 'sim',
      marketType: 'spot',
      symbol: 'SOLUSDT',
      side: 'BUY',
      type: 'LIMIT',
      price: '90',
      quantity: '1',
      clientOrderId: 'ws-sol',
    });
    for (let i = 0; i < 200 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(seen).toEqual(['SOLUSDT:ws-sol']);
    ws.close();
  });

  it('rejects a bad token', async () => {
    const ws = connectProviderSocket({
      baseUrl: h.baseUrl,
      token: 'wrong',
      events: ['PROVIDER_ORDER_CREATE'],
      timeoutMs: 3_000,
    });
    await expect(ws.ready()).rejects.toThrow();
    ws.close();
  });
});
