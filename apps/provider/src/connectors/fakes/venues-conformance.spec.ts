import { createHmac } from 'node:crypto';
import WebSocket from 'ws';
import { startAlpacaVenue } from './alpaca-venue';
import { startBinanceVenue } from './binance-venue';

const KEY = 'conformance-key';
const SECRET = 'conformance-secret';

/** Opens a socket and collects its text (or binary) messages as parsed JSON. */
async function open(url: string) {
  const messages: unknown[] = [];
  const ws = new WebSocket(url);
  ws.on('message', (data: WebSocket.RawData) => void messages.push(JSON.parse(String(data))));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const next = async (n: number) => {
    for (let i = 0; i < 200 && messages.length < n; i++) await new Promise((r) => setTimeout(r, 5));
    return messages[n - 1];
  };
  return { ws, messages, next, send: (m: unknown) => ws.send(JSON.stringify(m)) };
}

const refused = (url: string) =>
  new Promise<number>((resolve) => {
    const ws = new WebSocket(url);
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => resolve(101));
    ws.on('error', () => undefined);
  });

const signWsApi = (params: Record<string, string | number>) =>
  createHmac('sha256', SECRET)
    .update(
      Object.keys(params)
        .sort()
        .map((k) => `${k}=${params[k]}`)
        .join('&'),
    )
    .digest('hex');

describe('Binance spot conformance fake: strict where the docs are', () => {
  let venue: Awaited<ReturnType<typeof startBinanceVenue>>;
  beforeAll(async () => {
    venue = await startBinanceVenue({ market: 'spot', apiKey: KEY, apiSecret: SECRET });
  });
  afterAll(() => venue.close());

  it('answers the retired listen-key endpoints 410 Gone (CHANGELOG 2026-01-21)', async () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const res = await fetch(`${venue.restUrl}/api/v3/userDataStream`, { method, headers: { 'X-MBX-APIKEY': KEY } });
      expect(res.status).toBe(410);
    }
  });

  it('refuses a REST request signed with another secret (-1022) or outside recvWindow (-1021)', async () => {
    const query = (ts: number) => `timestamp=${ts}&recvWindow=5000`;
    const sign = (q: string, secret: string) =>
      `${q}&signature=${createHmac('sha256', secret).update(q).digest('hex')}`;
    const forged = await fetch(`${venue.restUrl}/api/v3/openOrders?${sign(query(Date.now()), 'wrong')}`, {
      headers: { 'X-MBX-APIKEY': KEY },
    });
    expect(await forged.json()).toEqual({ code: -1022, msg: 'Signature for this request is not valid.' });
    const late = await fetch(`${venue.restUrl}/api/v3/openOrders?${sign(query(Date.now() - 60_000), SECRET)}`, {
      headers: { 'X-MBX-APIKEY': KEY },
    });
    expect(await late.json()).toMatchObject({ code: -1021 });
    const ok = await fetch(`${venue.restUrl}/api/v3/openOrders?${sign(query(Date.now()), SECRET)}`, {
      headers: { 'X-MBX-APIKEY': KEY },
    });
    expect(ok.status).toBe(200);
  });

  it('enforces LOT_SIZE, MARKET_LOT_SIZE and LIMIT_MAKER as filters.md and rest-api.md say', async () => {
    const place = (params: Record<string, string>) => {
      const q = new URLSearchParams({
        symbol: 'BTCUSDT',
        side: 'BUY',
        ...params,
        timestamp: String(Date.now()),
      }).toString();
      return fetch(
        `${venue.restUrl}/api/v3/order?${q}&signature=${createHmac('sha256', SECRET).update(q).digest('hex')}`,
        { method: 'POST', headers: { 'X-MBX-APIKEY': KEY } },
      ).then((r) => r.json());
    };
    expect(await place({ type: 'LIMIT', quantity: '0.000015', price: '90000', timeInForce: 'GTC' })).toEqual({
      code: -1013,
      msg: 'Filter failure: LOT_SIZE',
    });
    expect(await place({ type: 'MARKET', quantity: '121' })).toEqual({
      code: -1013,
      msg: 'Filter failure: MARKET_LOT_SIZE',
    });
    expect(await place({ type: 'LIMIT_MAKER', quantity: '0.01', price: '96000' })).toEqual({
      code: -2010,
      msg: 'Order would immediately match and take.',
    });
    expect(await place({ type: 'LIMIT', quantity: '0.01', price: '90000' })).toMatchObject({ code: -1102 });
  });

  it('WebSocket API: HMAC keys subscribe by signature only; logon, retired and unknown methods are refused', async () => {
    const api = await open(venue.endpoints.userWsUrl);
    try {
      api.send({ id: 1, method: 'userDataStream.start', params: { apiKey: KEY } });
      expect(await api.next(1)).toMatchObject({ id: 1, status: 400, error: { code: -1020 } });
      api.send({ id: 2, method: 'session.logon', params: { apiKey: KEY, timestamp: Date.now(), signature: 'x' } });
      expect(await api.next(2)).toMatchObject({ id: 2, status: 400 });
      api.send({ id: 3, method: 'userDataStream.subscribe' });
      expect(await api.next(3)).toMatchObject({ id: 3, status: 401 });
      const params = { apiKey: KEY, timestamp: Date.now() };
      api.send({
        id: 4,
        method: 'userDataStream.subscribe.signature',
        params: { ...params, signature: signWsApi({ ...params, timestamp: params.timestamp + 1 }) },
      });
      expect(await api.next(4)).toMatchObject({ id: 4, status: 400, error: { code: -1022 } });
      api.send({
        id: 5,
        method: 'userDataStream.subscribe.signature',
        params: { ...params, signature: signWsApi(params) },
      });
      expect(await api.next(5)).toEqual({ id: 5, status: 200, result: { subscriptionId: 0 } });
      // Events arrive wrapped with the subscription's id ("Event format").
      expect(venue.ws.pushUser({ e: 'outboundAccountPosition', E: 1, u: 1, B: [] })).toBe(1);
      expect(await api.next(6)).toEqual({
        subscriptionId: 0,
        event: { e: 'outboundAccountPosition', E: 1, u: 1, B: [] },
      });
      api.send({ id: 7, method: 'userDataStream.unsubscribe' });
      expect(await api.next(7)).toMatchObject({ subscriptionId: 0, event: { e: 'eventStreamTerminated' } });
    } finally {
      api.ws.close();
    }
  });

  it('market streams answer an unknown method with the documented error and serve no listen-key path', async () => {
    const market = await open(`${venue.endpoints.wsUrl}/stream`);
    try {
      market.send({ method: 'SUBSCRIBE_ALL', params: [], id: 1 });
      expect(await market.next(1)).toMatchObject({ code: 2, id: 1 });
      market.send({ method: 'SUBSCRIBE', params: ['btcusdt@aggTrade'], id: 2 });
      expect(await market.next(2)).toEqual({ result: null, id: 2 });
    } finally {
      market.ws.close();
    }
    expect(await refused(`${venue.endpoints.wsUrl}/ws/some-listen-key`)).toBe(404);
  });
});

describe('Binance USD-M conformance fake', () => {
  let venue: Awaited<ReturnType<typeof startBinanceVenue>>;
  beforeAll(async () => {
    venue = await startBinanceVenue({ market: 'futures', apiKey: KEY, apiSecret: SECRET });
  });
  afterAll(() => venue.close());

  it('serves user data by listen key on /private only, filtered to the events asked for; legacy URLs are gone', async () => {
    const { listenKey } = (await (
      await fetch(`${venue.restUrl}/fapi/v1/listenKey`, { method: 'POST', headers: { 'X-MBX-APIKEY': KEY } })
    ).json()) as { listenKey: string };
    expect(await refused(`ws://${new URL(venue.restUrl).host}/ws/${listenKey}`)).toBe(404);
    expect(await refused(`ws://${new URL(venue.restUrl).host}/stream`)).toBe(404);
    expect(await refused(`${venue.endpoints.userWsUrl}/ws?listenKey=unknown&events=ORDER_TRADE_UPDATE`)).toBe(400);
    const user = await open(`${venue.endpoints.userWsUrl}/ws?listenKey=${listenKey}&events=ORDER_TRADE_UPDATE`);
    try {
      expect(venue.ws.pushUser({ e: 'ACCOUNT_UPDATE', E: 1 })).toBe(0);
      expect(venue.ws.pushUser({ e: 'ORDER_TRADE_UPDATE', E: 2 })).toBe(1);
      expect(await user.next(1)).toEqual({ e: 'ORDER_TRADE_UPDATE', E: 2 });
    } finally {
      user.ws.close();
    }
  });

  it('keeps depth on /public and the other streams on /market', async () => {
    const market = await open(`${venue.endpoints.wsUrl}/stream`);
    try {
      market.send({ method: 'SUBSCRIBE', params: ['btcusdt@depth@100ms'], id: 1 });
      expect(await market.next(1)).toMatchObject({ code: 2, id: 1 });
      market.send({ method: 'SUBSCRIBE', params: ['btcusdt@aggTrade'], id: 2 });
      expect(await market.next(2)).toEqual({ result: null, id: 2 });
    } finally {
      market.ws.close();
    }
  });

  it('answers a keep-alive for a forgotten listen key with -1125', async () => {
    await fetch(`${venue.restUrl}/fapi/v1/listenKey`, { method: 'POST', headers: { 'X-MBX-APIKEY': KEY } });
    venue.expireListenKeys();
    const res = await fetch(`${venue.restUrl}/fapi/v1/listenKey`, { method: 'PUT', headers: { 'X-MBX-APIKEY': KEY } });
    expect(await res.json()).toEqual({ code: -1125, msg: 'This listenKey does not exist.' });
  });
});

describe('Binance USD-M Algo Service in the conformance fake (New/Cancel/Query Algo Order, Event: Algo Order Update)', () => {
  let venue: Awaited<ReturnType<typeof startBinanceVenue>>;
  beforeAll(async () => {
    venue = await startBinanceVenue({ market: 'futures', apiKey: KEY, apiSecret: SECRET });
  });
  afterAll(() => venue.close());

  const signed = async (method: string, path: string, params: Record<string, string>, secret = SECRET) => {
    const q = new URLSearchParams({ ...params, recvWindow: '5000', timestamp: String(Date.now()) }).toString();
    const sig = createHmac('sha256', secret).update(q).digest('hex');
    const res = await fetch(`${venue.restUrl}${path}?${q}&signature=${sig}`, {
      method,
      headers: { 'X-MBX-APIKEY': KEY },
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const stop = (extra: Record<string, string> = {}) => ({
    algoType: 'CONDITIONAL',
    symbol: 'BTCUSDT',
    side: 'SELL',
    type: 'STOP_MARKET',
    quantity: '0.002',
    triggerPrice: '94000',
    reduceOnly: 'true',
    ...extra,
  });

  it('refuses conditional types on the classic endpoint (-4120) and a forged signature on the algo one (-1022)', async () => {
    const { algoType: _algo, triggerPrice, ...order } = stop();
    const classic = await signed('POST', '/fapi/v1/order', { ...order, stopPrice: triggerPrice });
    expect(classic.body).toMatchObject({ code: -4120 });
    const forged = await signed('POST', '/fapi/v1/algoOrder', stop({ clientAlgoId: 'forged' }), 'wrong');
    expect(forged.body).toEqual({ code: -1022, msg: 'Signature for this request is not valid.' });
    expect(venue.algoOrders.has('forged')).toBe(false);
  });

  it('refuses what "New Algo Order" refuses', async () => {
    const refusal = async (params: Record<string, string>) =>
      (await signed('POST', '/fapi/v1/algoOrder', params)).body['code'];
    expect(await refusal(stop({ algoType: 'VP' }))).toBe(-1130);
    expect(await refusal(stop({ type: 'LIMIT' }))).toBe(-1116);
    const { triggerPrice: _t, ...noTrigger } = stop();
    expect(await refusal(noTrigger)).toBe(-1102);
    expect(await refusal(stop({ type: 'STOP' }))).toBe(-1102);
    expect(await refusal(stop({ closePosition: 'true' }))).toBe(-1106);
    expect(await refusal(stop({ triggerPrice: '96000' }))).toBe(-2021);
    expect(await refusal(stop({ triggerPrice: '94000.05' }))).toBe(-1013);
    expect(await refusal(stop({ type: 'TRAILING_STOP_MARKET', callbackRate: '25' }))).toBe(-2007);
    expect(venue.algoOrders.size).toBe(0);
  });

  it('places, lists, queries and cancels by clientAlgoId; a duplicate while open is -4116', async () => {
    const placed = await signed('POST', '/fapi/v1/algoOrder', stop({ clientAlgoId: 'c-1' }));
    expect(placed.body).toMatchObject({
      clientAlgoId: 'c-1',
      algoType: 'CONDITIONAL',
      orderType: 'STOP_MARKET',
      algoStatus: 'NEW',
      actualOrderId: '',
      reduceOnly: true,
    });
    expect((await signed('POST', '/fapi/v1/algoOrder', stop({ clientAlgoId: 'c-1' }))).body).toMatchObject({
      code: -4116,
    });
    const open = await signed('GET', '/fapi/v1/openAlgoOrders', {});
    expect(open.body).toEqual([expect.objectContaining({ clientAlgoId: 'c-1' })]);
    expect(venue.requests.at(-1)?.weight).toBe(40);
    expect((await signed('GET', '/fapi/v1/algoOrder', { algoId: String(placed.body['algoId']) })).body).toMatchObject({
      clientAlgoId: 'c-1',
    });
    expect((await signed('GET', '/fapi/v1/algoOrder', {})).body).toMatchObject({ code: -1102 });
    expect((await signed('GET', '/fapi/v1/algoOrder', { clientAlgoId: 'nope' })).body).toMatchObject({ code: -2013 });
    const canceled = await signed('DELETE', '/fapi/v1/algoOrder', { clientAlgoId: 'c-1' });
    expect(canceled.body).toEqual({ algoId: placed.body['algoId'], clientAlgoId: 'c-1', code: '200', msg: 'success' });
    expect((await signed('DELETE', '/fapi/v1/algoOrder', { clientAlgoId: 'c-1' })).body).toMatchObject({ code: -2011 });
    expect((await signed('GET', '/fapi/v1/openAlgoOrders', {})).body).toEqual([]);
  });

  it('fires a trailing stop after the callback rate retreat from the best price since activation', async () => {
    venue.setPrice('BTCUSDT', '95000.0');
    const trailing = stop({
      type: 'TRAILING_STOP_MARKET',
      clientAlgoId: 't-1',
      callbackRate: '1',
      activatePrice: '95500',
    });
    const { triggerPrice: _none, ...params } = trailing;
    expect((await signed('POST', '/fapi/v1/algoOrder', params)).body).toMatchObject({ algoStatus: 'NEW' });
    // Not armed below activatePrice: a 1% fall from 95000 does nothing.
    venue.setPrice('BTCUSDT', '94000.0');
    expect(venue.algoOrders.get('t-1')?.algoStatus).toBe('NEW');
    venue.setPrice('BTCUSDT', '95500.0');
    venue.setPrice('BTCUSDT', '96000.0');
    venue.setPrice('BTCUSDT', '95100.0');
    expect(venue.algoOrders.get('t-1')?.algoStatus).toBe('NEW');
    venue.setPrice('BTCUSDT', '95040.0');
    expect(venue.algoOrders.get('t-1')?.algoStatus).toBe('FINISHED');
    venue.setPrice('BTCUSDT', '95000.00');
  });

  it('fires on the last price: ALGO_UPDATE TRIGGERING, the real order trades, TRIGGERED with actualOrderId, FINISHED', async () => {
    const { listenKey } = (await (
      await fetch(`${venue.restUrl}/fapi/v1/listenKey`, { method: 'POST', headers: { 'X-MBX-APIKEY': KEY } })
    ).json()) as { listenKey: string };
    const user = await open(
      `${venue.endpoints.userWsUrl}/ws?listenKey=${listenKey}&events=ALGO_UPDATE/ORDER_TRADE_UPDATE`,
    );
    try {
      await signed('POST', '/fapi/v1/algoOrder', stop({ clientAlgoId: 'c-2' }));
      expect(await user.next(1)).toMatchObject({ e: 'ALGO_UPDATE', o: { caid: 'c-2', X: 'NEW', R: true, ai: '' } });
      venue.setPrice('BTCUSDT', '94500.0');
      expect(venue.algoOrders.get('c-2')?.algoStatus).toBe('NEW');
      venue.setPrice('BTCUSDT', '93990.0');
      await user.next(5);
      const [, triggering, trade, triggered, finished] = user.messages as Array<{
        e: string;
        o: Record<string, unknown>;
      }>;
      const actual = venue.algoOrders.get('c-2')?.actualOrderId;
      expect(triggering).toMatchObject({ e: 'ALGO_UPDATE', o: { X: 'TRIGGERING' } });
      expect(trade).toMatchObject({
        e: 'ORDER_TRADE_UPDATE',
        o: { c: 'c-2', i: Number(actual), x: 'TRADE', X: 'FILLED', L: '93990.0' },
      });
      expect(triggered).toMatchObject({ e: 'ALGO_UPDATE', o: { X: 'TRIGGERED', ai: actual, act: 'MARKET' } });
      expect(finished).toMatchObject({ e: 'ALGO_UPDATE', o: { X: 'FINISHED', aq: '0.002', ap: '93990' } });
      expect((await signed('GET', '/fapi/v1/algoOrder', { clientAlgoId: 'c-2' })).body).toMatchObject({
        algoStatus: 'FINISHED',
        actualOrderId: actual,
      });
    } finally {
      user.ws.close();
      venue.setPrice('BTCUSDT', '95000.00');
    }
  });
});

describe('Alpaca conformance fake', () => {
  let venue: Awaited<ReturnType<typeof startAlpacaVenue>>;
  beforeAll(async () => {
    venue = await startAlpacaVenue({ keyId: KEY, secretKey: SECRET });
  });
  afterAll(() => venue.close());

  it('trade stream: the market-data login and a listen before authorization are refused', async () => {
    const legacy = await open(`${venue.urls.tradingWs}/stream`);
    legacy.send({ action: 'auth', key: KEY, secret: SECRET });
    expect(await legacy.next(1)).toEqual({ stream: 'authorization', data: { status: 'unauthorized', action: 'auth' } });
    const early = await open(`${venue.urls.tradingWs}/stream`);
    early.send({ action: 'listen', data: { streams: ['trade_updates'] } });
    expect(await early.next(1)).toEqual({
      stream: 'authorization',
      data: { status: 'unauthorized', action: 'listen' },
    });
  });

  it('trade stream: authenticate, then listen', async () => {
    const s = await open(`${venue.urls.tradingWs}/stream`);
    try {
      s.send({ action: 'authenticate', data: { key_id: KEY, secret_key: SECRET } });
      expect(await s.next(1)).toEqual({
        stream: 'authorization',
        data: { status: 'authorized', action: 'authenticate' },
      });
      s.send({ action: 'listen', data: { streams: ['trade_updates'] } });
      expect(await s.next(2)).toEqual({ stream: 'listening', data: { streams: ['trade_updates'] } });
    } finally {
      s.ws.close();
    }
  });

  it('orders: crypto takes gtc and ioc only, no post-only exists', async () => {
    const post = (body: Record<string, string>) =>
      fetch(`${venue.urls.trading}/v2/orders`, {
        method: 'POST',
        headers: { 'APCA-API-KEY-ID': KEY, 'APCA-API-SECRET-KEY': SECRET, 'content-type': 'application/json' },
        body: JSON.stringify({
          symbol: 'BTC/USD',
          qty: '0.01',
          side: 'buy',
          type: 'limit',
          limit_price: '90000',
          ...body,
        }),
      });
    expect((await post({ time_in_force: 'fok', client_order_id: 'c1' })).status).toBe(422);
    expect((await post({ time_in_force: 'day', client_order_id: 'c2' })).status).toBe(422);
    expect((await post({ time_in_force: 'ioc', client_order_id: 'c3' })).status).toBe(200);
    expect((await post({ type: 'stop', time_in_force: 'gtc', client_order_id: 'c4' })).status).toBe(422);
  });
});
