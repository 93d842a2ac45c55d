import { eventually } from '@barfinex/testing';
import { createBinanceConnector } from './binance-connector';
import { aggTrade, DEPTH_SNAPSHOT, depthUpdate, kline, ticker } from './testing/fixtures';
import { startBinanceVenue } from '../fakes/binance-venue';
import type { BinanceVenue } from '../fakes/binance-venue';
import { capturingLogger, okReconcile, recordingEvents } from '../shared/testing/spec-helpers';

const KEY = 'fake-api-key-AAAA1111';
const SECRET = 'fake-api-secret-ZZZZ9999';

describe('binance spot connector against the fake venue', () => {
  let fake: BinanceVenue;
  let connector: ReturnType<typeof createBinanceConnector>;
  const sleeps: number[] = [];
  let skew = 0;
  const log = capturingLogger();
  const rec = recordingEvents(okReconcile('binance'));

  beforeAll(async () => {
    // The venue shares the virtual clock, as a real venue shares wall time with us.
    fake = await startBinanceVenue({ market: 'spot', apiKey: KEY, apiSecret: SECRET, now: () => Date.now() + skew });
    fake.setDepth('BTCUSDT', DEPTH_SNAPSHOT);
    connector = createBinanceConnector({
      type: 'binance',
      markets: [
        { market: 'spot', symbols: ['BTCUSDT'], credentials: { apiKey: KEY, apiSecret: SECRET }, ...fake.endpoints },
      ],
      logger: log.logger,
      // Backoff waits are recorded and move a virtual clock instead of being slept.
      now: () => Date.now() + skew,
      sleep: async (ms) => {
        sleeps.push(ms);
        skew += ms;
      },
      timeoutMs: 1_000,
      wsBackoffMs: 20,
    });
    await connector.start(rec.events);
    await eventually(() => expect(fake.ws.subscribed('btcusdt@depth@100ms')).toBe(true));
    await eventually(() => expect(fake.ws.userConnections()).toBe(1));
  });
  afterAll(async () => {
    await connector.stop();
    await fake.close();
  });

  it('loads instruments with their filters', () => {
    expect(connector.instrument('spot', 'BTCUSDT')).toMatchObject({
      tickSize: '0.01',
      stepSize: '0.00001',
      minQty: '0.00001',
      minNotional: '5',
      baseAsset: 'BTC',
      quoteAsset: 'USDT',
      connectorType: 'binance',
      marketType: 'spot',
    });
    // MARKET_LOT_SIZE with zero step and minimum (spot's usual form) carries only its maximum.
    expect(connector.instrument('spot', 'BTCUSDT')).toMatchObject({ marketMaxQty: '120' });
    expect(connector.instrument('spot', 'BTCUSDT')).not.toHaveProperty('marketStepSize');
  });

  it('pages klines history through the venue limit', async () => {
    const start = Date.UTC(2026, 0, 1);
    fake.setKlines(
      'BTCUSDT',
      Array.from({ length: 2500 }, (_, i) => kline(start + i * 60_000, 60_000, (95000 + i).toFixed(2))),
    );
    const candles = await connector.candles?.('spot', 'BTCUSDT', 'min1', start, start + 2499 * 60_000 + 59_999);
    expect(candles).toHaveLength(2500);
    expect(candles?.[2499]).toMatchObject({ time: start + 2499 * 60_000, close: '97499.00', closed: true });
    expect(new Set(candles?.map((c) => c.time)).size).toBe(2500);
    expect(fake.requests.filter((r) => r.path === '/api/v3/klines')).toHaveLength(3);
  });

  it('turns trade, ticker and depth streams into connector events', async () => {
    fake.ws.push('btcusdt@aggTrade', aggTrade('BTCUSDT', 1, '95001.00', '0.010', false));
    fake.ws.push('btcusdt@ticker', ticker('BTCUSDT', '95001.00'));
    fake.ws.push(
      'btcusdt@depth@100ms',
      depthUpdate('BTCUSDT', 1027020, 1027030, [['94999.99', '0']], [['95000.02', '1.5']]),
    );
    await eventually(() => expect(rec.seen.books.length).toBeGreaterThan(0));
    expect(rec.seen.trades[0]).toMatchObject({ price: '95001.00', volume: '0.010', side: 'LONG' });
    expect(rec.seen.tickers[0]).toMatchObject({ s: 'BTCUSDT', c: '95001.00' });
    expect(rec.seen.books.at(-1)).toMatchObject({
      lastUpdateId: 1027030,
      bids: [{ price: '94999.50', volume: '0.50000000' }],
    });
    expect(connector.lastPrice('spot', 'BTCUSDT')).toBe('95001.00');
  });

  it('resyncs the book from a fresh snapshot after a sequence gap', async () => {
    const venue = connector.venue('spot');
    fake.ws.push('btcusdt@depth@100ms', depthUpdate('BTCUSDT', 1027031, 1027040, [], []));
    await eventually(() => expect(venue?.stream.book('BTCUSDT', 5)).toBeDefined());
    const before = venue?.stream.resyncs('BTCUSDT') ?? 0;
    fake.setDepth('BTCUSDT', { lastUpdateId: 1027100, bids: [['94990.00', '3.0']], asks: [['95010.00', '3.0']] });
    fake.ws.push('btcusdt@depth@100ms', depthUpdate('BTCUSDT', 1027050, 1027060, [], []));
    fake.ws.push('btcusdt@depth@100ms', depthUpdate('BTCUSDT', 1027095, 1027105, [['94991.00', '1.0']], []));
    await eventually(() => expect(connector.orderBook('spot', 'BTCUSDT', 5)?.lastUpdateId).toBe(1027105));
    expect(venue?.stream.resyncs('BTCUSDT')).toBe(before + 1);
    expect(connector.orderBook('spot', 'BTCUSDT', 5)?.bids.map((b) => b.price)).toEqual(['94991.00', '94990.00']);
  });

  it('reconnects after the venue drops the sockets and resubscribes', async () => {
    const subscribes = fake.ws.subscribeRequests().length;
    fake.ws.dropAll();
    await eventually(() => expect(fake.ws.subscribeRequests().length).toBe(subscribes + 1));
    expect(fake.ws.subscribeRequests().at(-1)).toEqual(['btcusdt@aggTrade', 'btcusdt@depth@100ms', 'btcusdt@ticker']);
    await eventually(() => expect(fake.ws.userConnections()).toBe(1));
    const trades = rec.seen.trades.length;
    fake.ws.push('btcusdt@aggTrade', aggTrade('BTCUSDT', 2, '95002.00', '0.020', true));
    await eventually(() => expect(rec.seen.trades.length).toBe(trades + 1));
    expect(rec.seen.trades.at(-1)?.side).toBe('SHORT');
  });

  it('opens new connections at once when the venue announces a server shutdown, and subscribes again', async () => {
    const subscribes = fake.ws.subscribeRequests().length;
    const api = fake.ws.apiRequests().length;
    fake.ws.serverShutdown();
    await eventually(() => expect(fake.ws.subscribeRequests().length).toBe(subscribes + 1));
    await eventually(() => expect(fake.ws.apiRequests().length).toBe(api + 1));
    expect(fake.ws.apiRequests().at(-1)?.method).toBe('userDataStream.subscribe.signature');
    await eventually(() => expect(fake.ws.userConnections()).toBe(1));
  });

  it('signs orders the venue verifies and reports fills from the reply and the user stream', async () => {
    const placed = await connector.placeOrder('spot', {
      clientOrderId: 'cid-market-1',
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'MARKET',
      quantity: '0.01',
    });
    expect(placed.order).toMatchObject({ status: 'FILLED', quantityExecuted: '0.01', averagePrice: '95000' });
    expect(placed.fills).toHaveLength(1);
    await eventually(() => expect(rec.seen.fills.some((f) => f.clientOrderId === 'cid-market-1')).toBe(true));
    const resting = await connector.placeOrder('spot', {
      clientOrderId: 'cid-limit-1',
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      quantity: '0.01',
      price: '90000',
    });
    expect(resting.order.status).toBe('NEW');
    // The cancel reply's clientOrderId is the cancel's own id; the order is origClientOrderId.
    expect(await connector.cancelOrder('spot', 'cid-limit-1')).toMatchObject({
      status: 'CANCELED',
      clientOrderId: 'cid-limit-1',
    });
    const post = fake.requests.find((r) => r.query.get('newClientOrderId') === 'cid-market-1');
    expect(post?.query.get('signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(post?.query.get('recvWindow')).toBe('5000');
  });

  it('is refused by the venue when the signature is wrong', async () => {
    const forged = createBinanceConnector({
      type: 'binance',
      markets: [{ market: 'spot', symbols: [], credentials: { apiKey: KEY, apiSecret: 'wrong' }, ...fake.endpoints }],
      logger: log.logger,
      reconcileRetryMs: 1,
    });
    await expect(forged.openOrders?.('spot')).rejects.toMatchObject({ code: '-1022' });
    forged.venue('spot')?.rest.close();
  });

  it('backs off on 429 and 418 for as long as Retry-After says, then succeeds', async () => {
    sleeps.length = 0;
    fake.failNext(
      {
        status: 429,
        code: -1003,
        msg: 'Too many requests; current limit is 6000 request weight per 1 MINUTE.',
        retryAfter: 7,
      },
      { status: 418, code: -1003, msg: 'Way too many requests; IP banned until 1767225700000.', retryAfter: 120 },
    );
    const start = Date.UTC(2026, 0, 1);
    fake.setKlines('ETHUSDT', [kline(start, 60_000, '3500.00')]);
    expect(await connector.candles?.('spot', 'ETHUSDT', 'min1', start, start + 59_999)).toHaveLength(1);
    expect(sleeps.filter((ms) => ms > 0).map((ms) => Math.round(ms / 1000))).toEqual([7, 120]);
  });

  it('resolves a placement whose reply was lost by clientOrderId, without sending it twice', async () => {
    fake.delayNextOrderReply(1500);
    const placed = await connector.placeOrder('spot', {
      clientOrderId: 'cid-timeout-1',
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'MARKET',
      quantity: '0.02',
    });
    expect(placed.order).toMatchObject({ clientOrderId: 'cid-timeout-1', status: 'FILLED', quantityExecuted: '0.02' });
    expect(placed.fills).toHaveLength(1);
    expect(fake.orderPosts('cid-timeout-1')).toBe(1);
    expect([...fake.orders.values()].filter((o) => o.clientOrderId === 'cid-timeout-1')).toHaveLength(1);
  });

  it('holds orders until reconciliation succeeds and sends nothing meanwhile', async () => {
    const failing = recordingEvents(async () => {
      throw new Error('venue unreachable');
    });
    const gated = createBinanceConnector({
      type: 'binance',
      markets: [{ market: 'spot', symbols: [], credentials: { apiKey: KEY, apiSecret: SECRET }, ...fake.endpoints }],
      logger: log.logger,
      gateTimeoutMs: 50,
      sleep: async () => new Promise((r) => setTimeout(r, 5)),
    });
    await gated.start(failing.events);
    await expect(
      gated.placeOrder('spot', {
        clientOrderId: 'cid-gated-1',
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'MARKET',
        quantity: '0.01',
      }),
    ).rejects.toMatchObject({ code: 'NOT_RECONCILED' });
    // The refusal and the degraded status say why: reconciliation keeps failing.
    await eventually(() =>
      expect(gated.degraded?.()).toEqual([
        { market: 'spot', reason: 'trading waits for reconciliation with the venue, which failed: venue unreachable' },
      ]),
    );
    await expect(
      gated.placeOrder('spot', {
        clientOrderId: 'cid-gated-2',
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'MARKET',
        quantity: '0.01',
      }),
    ).rejects.toMatchObject({ message: expect.stringContaining('which failed: venue unreachable') });
    expect(gated.status()).toBe('DEGRADED');
    expect(fake.orderPosts('cid-gated-1')).toBe(0);
    await gated.stop();
  });

  it('starts even when the venue is unreachable and keeps retrying in the background', async () => {
    const offline = createBinanceConnector({
      type: 'binance',
      markets: [{ market: 'spot', symbols: ['BTCUSDT'], restUrl: 'http://127.0.0.1:9', wsUrl: 'ws://127.0.0.1:9' }],
      logger: log.logger,
      timeoutMs: 200,
      sleep: async () => undefined,
    });
    await offline.start(recordingEvents().events);
    expect(offline.status()).toBe('RECONNECTING');
    expect(offline.instruments('spot')).toEqual([]);
    await offline.stop();
  });

  it('never logs or exposes the credentials', () => {
    const text =
      log.lines.join('\n') +
      JSON.stringify(connector.instruments('spot')) +
      JSON.stringify(connector.subscriptions('spot'));
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(KEY);
  });
});

describe('binance futures user stream keep-alive', () => {
  it('replaces a listen key whose keep-alive fails instead of only logging it', async () => {
    const fake = await startBinanceVenue({ market: 'futures', apiKey: KEY, apiSecret: SECRET });
    const reconciled: string[] = [];
    const rec = recordingEvents(async (m) => {
      reconciled.push(m);
      return okReconcile('binance')(m);
    });
    const connector = createBinanceConnector({
      type: 'binance',
      markets: [{ market: 'futures', symbols: [], credentials: { apiKey: KEY, apiSecret: SECRET }, ...fake.endpoints }],
      logger: capturingLogger().logger,
      keepAliveMs: 40,
      wsBackoffMs: 20,
    });
    try {
      await connector.start(rec.events);
      await eventually(() => expect(connector.status()).toBe('ACTIVE'));
      const keys = () => fake.requests.filter((r) => r.path === '/fapi/v1/listenKey' && r.method === 'POST').length;
      expect(keys()).toBe(1);
      fake.forgetListenKeys();
      await eventually(() => expect(keys()).toBe(2));
      expect(fake.requests.some((r) => r.path === '/fapi/v1/listenKey' && r.method === 'PUT')).toBe(true);
      await eventually(() => expect(reconciled.length).toBeGreaterThanOrEqual(2));
      await eventually(() => expect(connector.status()).toBe('ACTIVE'));
    } finally {
      await connector.stop();
      await fake.close();
    }
  });
});
