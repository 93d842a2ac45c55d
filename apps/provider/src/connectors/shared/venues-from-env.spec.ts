import pino from 'pino';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { createMemoryBus } from '@barfinex/bus';
import { createTestPglite } from '@barfinex/db/testing';
import type { Database } from '@barfinex/db';
import type { EventEnvelope } from '@barfinex/events';
import { eventually } from '@barfinex/testing';
import { bootProvider } from '../../boot';
import type { Provider } from '../../app';
import { loadProviderConfig } from '../../config';
import { startAlpacaVenue } from '../fakes/alpaca-venue';
import type { AlpacaVenue } from '../fakes/alpaca-venue';
import { startBinanceVenue } from '../fakes/binance-venue';
import type { BinanceVenue } from '../fakes/binance-venue';

const TOKEN = 'venues-from-env-token-0123456789';
const KEY = 'binance-env-key-AAAA';
const SECRET = 'binance-env-secret-BBBB';
const ALPACA_KEY = 'PKENVKEY0000';
const ALPACA_SECRET = 'alpaca-env-secret-CCCC';

/**
 * The provider as `main.ts` builds it (`bootProvider` from a config parsed from the environment),
 * with every venue host set by environment variables to the conformance fakes: no code override.
 * Orders go in through `POST /api/orders`, their events come out on the WebSocket.
 */
describe('provider with Binance and Alpaca hosts set by environment', () => {
  let db: Database;
  let spot: BinanceVenue;
  let futures: BinanceVenue;
  let alpaca: AlpacaVenue;
  let provider: Provider;
  let base: string;
  let socket: Socket;
  const seen: EventEnvelope[] = [];

  async function call(method: string, path: string, body?: unknown) {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { Authorization: `Bearer ${TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    const json = (res.headers.get('content-type') ?? '').includes('json');
    return { status: res.status, body: json && text ? JSON.parse(text) : undefined, text };
  }
  const events = (type: string, clientOrderId: string) =>
    seen.filter((e) => e.type === type && (e.payload as { clientOrderId?: string }).clientOrderId === clientOrderId);
  const connectorInfo = async (type: string, market: string) =>
    (
      (await call('GET', '/api/options')).body.connectors as Array<{
        connectorType: string;
        marketType: string;
        status: string;
        statusReason?: string;
      }>
    ).find((c) => c.connectorType === type && c.marketType === market);

  beforeAll(async () => {
    db = await createTestPglite();
    spot = await startBinanceVenue({ market: 'spot', apiKey: KEY, apiSecret: SECRET });
    futures = await startBinanceVenue({ market: 'futures', apiKey: KEY, apiSecret: SECRET });
    alpaca = await startAlpacaVenue({ keyId: ALPACA_KEY, secretKey: ALPACA_SECRET });
    const s = spot.endpoints;
    const f = futures.endpoints;
    const env = {
      PROVIDER_PORT: '1',
      PROVIDER_HOST: '127.0.0.1',
      PROVIDER_API_TOKEN: TOKEN,
      SIM_AUTOSTART: 'false',
      CONNECTOR_GATE_TIMEOUT_MS: '300ms',
      BINANCE_API_KEY: KEY,
      BINANCE_API_SECRET: SECRET,
      BINANCE_SPOT_SYMBOLS: 'BTCUSDT',
      BINANCE_FUTURES_SYMBOLS: 'BTCUSDT',
      BINANCE_SPOT_REST_URL: s.restUrl,
      BINANCE_SPOT_WS_URL: s.wsUrl,
      BINANCE_SPOT_WS_API_URL: s.userWsUrl,
      BINANCE_FUTURES_REST_URL: f.restUrl,
      BINANCE_FUTURES_WS_URL: f.wsUrl,
      BINANCE_FUTURES_PUBLIC_WS_URL: 'publicWsUrl' in f ? f.publicWsUrl : '',
      BINANCE_FUTURES_USER_WS_URL: f.userWsUrl,
      ALPACA_KEY_ID: ALPACA_KEY,
      ALPACA_SECRET_KEY: ALPACA_SECRET,
      ALPACA_STOCK_SYMBOLS: 'AAPL',
      ALPACA_CRYPTO_SYMBOLS: 'BTC/USD',
      ALPACA_TRADING_URL: alpaca.urls.trading,
      ALPACA_TRADING_WS_URL: alpaca.urls.tradingWs,
      ALPACA_DATA_URL: alpaca.urls.data,
      ALPACA_DATA_WS_URL: alpaca.urls.dataWs,
    };
    const config = loadProviderConfig(env);
    const booted = await bootProvider({
      config: { ...config, PROVIDER_PORT: 0, PROVIDER_API_TOKEN: TOKEN },
      logger: pino({ level: 'silent' }),
      db,
      bus: createMemoryBus(),
    });
    provider = booted.provider;
    base = `http://127.0.0.1:${booted.port}`;
    socket = io(base, {
      path: '/ws',
      auth: { token: TOKEN, subscribeAll: true },
      transports: ['websocket'],
      reconnection: false,
    });
    socket.onAny((_name: string, env: EventEnvelope) => void seen.push(env));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    for (const [type, market] of [
      ['binance', 'spot'],
      ['binance', 'futures'],
      ['alpaca', 'spot'],
    ])
      await eventually(
        async () => expect((await connectorInfo(type as string, market as string))?.status).toBe('ACTIVE'),
        10_000,
      );
  }, 60_000);
  afterAll(async () => {
    socket?.close();
    await provider?.stop();
    await Promise.all([spot?.close(), futures?.close(), alpaca?.close()]);
    await db?.close();
  });

  it('reaches every venue at the hosts the environment names, spot user data over the WebSocket API', () => {
    expect(spot.ws.apiRequests().map((r) => r.method)).toContain('userDataStream.subscribe.signature');
    expect(spot.requests.some((r) => r.path === '/api/v3/userDataStream')).toBe(false);
    expect(futures.requests.some((r) => r.path === '/fapi/v1/listenKey' && r.method === 'POST')).toBe(true);
    expect(alpaca.tradeMessages[0]).toEqual({
      action: 'authenticate',
      data: { key_id: ALPACA_KEY, secret_key: ALPACA_SECRET },
    });
  });

  it('spot: places through POST /api/orders, the fill arrives over user data and on the WebSocket', async () => {
    const placed = await call('POST', '/api/orders', {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'MARKET',
      quantity: '0.01',
      connectorType: 'binance',
      marketType: 'spot',
      clientOrderId: 'env-spot-1',
    });
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({ status: 'FILLED', quantityExecuted: '0.01' });
    await eventually(() => expect(events('PROVIDER_ORDER_FILL', 'env-spot-1')).toHaveLength(1));
    expect(events('PROVIDER_ORDER_CREATE', 'env-spot-1')).toHaveLength(1);
    expect(spot.orderPosts('env-spot-1')).toBe(1);
  });

  it('spot: a fill made while user data was down is reconciled once it is back; meanwhile the market is DEGRADED and refuses orders saying why', async () => {
    expect(
      (
        await call('POST', '/api/orders', {
          symbol: 'BTCUSDT',
          side: 'BUY',
          type: 'LIMIT',
          quantity: '0.01',
          price: '90000',
          connectorType: 'binance',
          marketType: 'spot',
          clientOrderId: 'env-spot-rest',
        })
      ).body,
    ).toMatchObject({ status: 'NEW' });
    spot.ws.refuseUserData({ code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' });
    spot.ws.dropAll();
    await eventually(async () =>
      expect(await connectorInfo('binance', 'spot')).toMatchObject({
        status: 'DEGRADED',
        statusReason: expect.stringContaining('-2015'),
      }),
    );
    const ready = await call('GET', '/health/ready');
    expect(ready.body.checks.connectors.details).toMatchObject({
      status: 'degraded',
      degraded: [
        expect.objectContaining({
          connectorType: 'binance',
          marketType: 'spot',
          reason: expect.stringContaining('-2015'),
        }),
      ],
    });
    const metricsText = (await call('GET', '/metrics')).text;
    expect(metricsText).toMatch(
      /bfx_connector_degraded\{connector="binance",market="spot",reason="[^"]*-2015[^"]*"[^}]*\} 1/,
    );
    const refused = await call('POST', '/api/orders', {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'MARKET',
      quantity: '0.01',
      connectorType: 'binance',
      marketType: 'spot',
      clientOrderId: 'env-spot-down',
    });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    expect(refused.body.error.message).toContain('-2015');
    expect(spot.orderPosts('env-spot-down')).toBe(0);

    spot.fill('env-spot-rest');
    spot.ws.refuseUserData(undefined);
    await eventually(
      async () =>
        expect((await call('GET', '/api/orders/env-spot-rest')).body).toMatchObject({
          status: 'FILLED',
          quantityExecuted: '0.01',
        }),
      15_000,
    );
    await eventually(() => expect(events('PROVIDER_ORDER_FILL', 'env-spot-rest')).toHaveLength(1));
    await eventually(async () => expect((await connectorInfo('binance', 'spot'))?.status).toBe('ACTIVE'));
  }, 30_000);

  it('spot: a -1007 answer is resolved by looking the order up, never stored as rejected', async () => {
    spot.answerNextOrderWith({
      status: 408,
      code: -1007,
      msg: 'Timeout waiting for response from backend server. Send status unknown; execution status unknown.',
    });
    const placed = await call('POST', '/api/orders', {
      symbol: 'BTCUSDT',
      side: 'SELL',
      type: 'MARKET',
      quantity: '0.01',
      connectorType: 'binance',
      marketType: 'spot',
      clientOrderId: 'env-spot-1007',
    });
    expect({ status: placed.status, error: placed.body.error }).toEqual({ status: 201, error: undefined });
    expect(placed.body).toMatchObject({ status: 'FILLED' });
    expect(spot.orderPosts('env-spot-1007')).toBe(1);
  });

  it('refuses a time in force or order type the venue cannot honour with a 400 naming it', async () => {
    const maker = await call('POST', '/api/orders', {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT_MAKER',
      quantity: '0.01',
      price: '90000',
      timeInForce: 'IOC',
      connectorType: 'binance',
      marketType: 'spot',
      clientOrderId: 'env-maker-ioc',
    });
    expect(maker.status).toBe(400);
    expect(maker.body.error.message).toContain('time in force IOC');
    const fok = await call('POST', '/api/orders', {
      symbol: 'BTCUSD',
      side: 'BUY',
      type: 'LIMIT',
      quantity: '0.01',
      price: '90000',
      timeInForce: 'FOK',
      connectorType: 'alpaca',
      marketType: 'spot',
      clientOrderId: 'env-alpaca-fok',
    });
    expect(fok.status).toBe(400);
    expect(fok.body.error.message).toContain('time in force FOK is not offered by Alpaca for crypto');
    const alpacaMaker = await call('POST', '/api/orders', {
      symbol: 'AAPL',
      side: 'BUY',
      type: 'LIMIT_MAKER',
      quantity: '1',
      price: '180',
      connectorType: 'alpaca',
      marketType: 'spot',
      clientOrderId: 'env-alpaca-maker',
    });
    expect(alpacaMaker.status).toBe(400);
    expect(alpacaMaker.body.error.message).toContain('LIMIT_MAKER is not offered by Alpaca');
    expect(
      alpaca.orders.has('env-alpaca-fok') || alpaca.orders.has('env-alpaca-maker') || spot.orders.has('env-maker-ioc'),
    ).toBe(false);
  });

  it('futures: a fill made while the private stream was down is reconciled after the reconnect', async () => {
    const placed = await call('POST', '/api/orders', {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'MARKET',
      quantity: '0.002',
      connectorType: 'binance',
      marketType: 'futures',
      clientOrderId: 'env-fut-1',
    });
    expect(placed.body).toMatchObject({ status: 'FILLED' });
    await eventually(() => expect(events('PROVIDER_ORDER_FILL', 'env-fut-1')).toHaveLength(1));
    expect(
      (
        await call('POST', '/api/orders', {
          symbol: 'BTCUSDT',
          side: 'BUY',
          type: 'LIMIT',
          quantity: '0.002',
          price: '90000',
          connectorType: 'binance',
          marketType: 'futures',
          clientOrderId: 'env-fut-rest',
        })
      ).body,
    ).toMatchObject({ status: 'NEW' });
    futures.ws.refuseUserData({ code: -1, msg: 'down' });
    futures.ws.dropAll();
    await eventually(async () => expect((await connectorInfo('binance', 'futures'))?.status).toBe('DEGRADED'));
    futures.fill('env-fut-rest');
    futures.ws.refuseUserData(undefined);
    await eventually(
      async () =>
        expect((await call('GET', '/api/orders/env-fut-rest')).body).toMatchObject({
          status: 'FILLED',
          quantityExecuted: '0.002',
        }),
      15_000,
    );
    await eventually(() => expect(events('PROVIDER_ORDER_FILL', 'env-fut-rest')).toHaveLength(1));
  }, 30_000);

  it('futures: a listen key the venue forgot is replaced, not only logged', async () => {
    const before = futures.requests.filter((r) => r.path === '/fapi/v1/listenKey' && r.method === 'POST').length;
    futures.expireListenKeys();
    await eventually(
      () =>
        expect(
          futures.requests.filter((r) => r.path === '/fapi/v1/listenKey' && r.method === 'POST').length,
        ).toBeGreaterThan(before),
      10_000,
    );
    await eventually(async () => expect((await connectorInfo('binance', 'futures'))?.status).toBe('ACTIVE'), 10_000);
  }, 20_000);

  it('alpaca: an order fills over trade_updates; a fill while the stream was down is reconciled from the FILL activities', async () => {
    const placed = await call('POST', '/api/orders', {
      symbol: 'AAPL',
      side: 'BUY',
      type: 'MARKET',
      quantity: '2',
      connectorType: 'alpaca',
      marketType: 'spot',
      clientOrderId: 'env-alp-1',
    });
    expect(placed.status).toBe(201);
    await eventually(() => expect(events('PROVIDER_ORDER_FILL', 'env-alp-1')).toHaveLength(1));
    expect(
      (
        await call('POST', '/api/orders', {
          symbol: 'AAPL',
          side: 'BUY',
          type: 'LIMIT',
          quantity: '3',
          price: '180',
          connectorType: 'alpaca',
          marketType: 'spot',
          clientOrderId: 'env-alp-rest',
        })
      ).status,
    ).toBe(201);
    alpaca.fill('env-alp-rest', '1');
    await eventually(() => expect(events('PROVIDER_ORDER_FILL', 'env-alp-rest')).toHaveLength(1));
    alpaca.setTradeStreamDown(true);
    await eventually(async () => expect((await connectorInfo('alpaca', 'spot'))?.status).toBe('DEGRADED'));
    alpaca.fill('env-alp-rest');
    alpaca.setTradeStreamDown(false);
    await eventually(
      async () =>
        expect((await call('GET', '/api/orders/env-alp-rest')).body).toMatchObject({
          status: 'FILLED',
          quantityExecuted: '3',
        }),
      15_000,
    );
    await eventually(() => expect(events('PROVIDER_ORDER_FILL', 'env-alp-rest')).toHaveLength(2));
    // The fill seen on the stream was not counted again by reconciliation.
    expect((await call('GET', '/api/orders/env-alp-rest')).body.quantityExecuted).toBe('3');
  }, 30_000);
});
