import { eventually } from '@barfinex/testing';
import type { MarketType } from '@barfinex/enums';
import { capturingLogger, okReconcile, recordingEvents } from '../shared/testing/spec-helpers';
import { createAlpacaConnector } from './alpaca-connector';
import { startAlpacaVenue } from '../fakes/alpaca-venue';

const KEY = 'PKFAKEKEY0000AAAA';
const SECRET = 'fake-alpaca-secret-9999';

describe('alpaca connector against the fake venue', () => {
  let fake: Awaited<ReturnType<typeof startAlpacaVenue>>;
  let connector: ReturnType<typeof createAlpacaConnector>;
  const log = capturingLogger();
  const reconciled: MarketType[] = [];
  const ok = okReconcile('alpaca');
  const rec = recordingEvents(async (m) => {
    reconciled.push(m);
    return ok(m);
  });

  beforeAll(async () => {
    fake = await startAlpacaVenue({ keyId: KEY, secretKey: SECRET });
    fake.setBook('BTC/USD', {
      b: [
        { p: 94999, s: 1.25 },
        { p: 95000.5, s: 0.5 },
      ],
      a: [
        { p: 95002.25, s: 2 },
        { p: 95001, s: 0.3 },
      ],
    });
    fake.addVenueOrder({
      id: 'ord-web-1',
      client_order_id: 'web-1',
      symbol: 'AAPL',
      created_at: '2026-01-05T15:00:00Z',
      updated_at: '2026-01-05T15:00:00Z',
      qty: '3',
      filled_qty: '1',
      filled_avg_price: '189.5',
      type: 'limit',
      side: 'buy',
      time_in_force: 'day',
      limit_price: '189.5',
      stop_price: null,
      status: 'partially_filled',
    });
    connector = createAlpacaConnector({
      keyId: KEY,
      secretKey: SECRET,
      paper: true,
      stockSymbols: ['AAPL'],
      cryptoSymbols: ['BTC/USD'],
      logger: log.logger,
      urls: fake.urls,
      wsBackoffMs: 20,
      sleep: async () => undefined,
    });
    await connector.start(rec.events);
    await eventually(() => expect(fake.traders()).toBe(1));
    // Stocks: trades; crypto: trades, then order books in a message of their own.
    await eventually(() => expect(fake.subscribeMessages.length).toBe(3));
    await eventually(() => expect(reconciled.length).toBeGreaterThan(0));
  });
  afterAll(async () => {
    await connector.stop();
    await fake.close();
  });

  it('maps stock and crypto assets onto the spot market', () => {
    expect(connector.instrument('spot', 'AAPL')).toMatchObject({
      baseAsset: 'AAPL',
      quoteAsset: 'USD',
      tickSize: '0.01',
      connectorType: 'alpaca',
    });
    expect(connector.instrument('spot', 'BTCUSD')).toMatchObject({
      baseAsset: 'BTC',
      quoteAsset: 'USD',
      minQty: '0.0001',
      stepSize: '0.000000001',
    });
  });

  it('pages bars history through next_page_token', async () => {
    const t0 = Date.UTC(2026, 0, 5, 14, 30);
    fake.setBars(
      'AAPL',
      Array.from({ length: 2500 }, (_, i) => ({
        t: new Date(t0 + i * 60_000).toISOString(),
        o: 190,
        h: 190.5,
        l: 189.5,
        c: 190.25,
        v: 1200,
        n: 40,
        vw: 190.1,
      })),
    );
    const candles = await connector.candles?.('spot', 'AAPL', 'min1', t0, t0 + 2500 * 60_000);
    expect(candles).toHaveLength(2500);
    expect(candles?.[0]).toMatchObject({ time: t0, close: '190.25', volume: '1200' });
    expect(fake.requests.filter((r) => r.path === '/v2/stocks/bars').map((r) => r.query.get('page_token'))).toEqual([
      null,
      '1000',
      '2000',
    ]);
  });

  it('streams trades of stocks and crypto over one connection per class, resubscribing after a drop', async () => {
    fake.pushTrade('AAPL', { i: 96921, x: 'V', p: 190.31, s: 5, t: '2026-01-05T15:51:44.208Z', c: ['@'], z: 'C' });
    fake.pushTrade('BTC/USD', { i: 1, p: 95000.5, s: 0.01, t: '2026-01-05T15:51:45.000Z', tks: 'S' });
    await eventually(() => expect(rec.seen.trades).toHaveLength(2));
    expect(rec.seen.trades[1]).toMatchObject({ symbol: 'BTCUSD', price: '95000.5', side: 'SHORT' });
    const runs = reconciled.length;
    fake.dropAll();
    await eventually(() => expect(fake.subscribeMessages.length).toBe(6));
    await eventually(() => expect(reconciled.length).toBeGreaterThan(runs));
    fake.pushTrade('AAPL', { i: 96922, x: 'V', p: 190.4, s: 1, t: '2026-01-05T15:52:00.000Z' });
    await eventually(() => expect(rec.seen.trades).toHaveLength(3));
    expect(connector.lastPrice('spot', 'AAPL')).toBe('190.4');
  });

  it('keeps a crypto order book from the full book and its changes; stocks ask for none', async () => {
    // One full book on subscribing, one more after the drop in the test above.
    await eventually(() => expect(rec.seen.books).toHaveLength(2));
    const full = {
      symbol: 'BTCUSD',
      time: 0,
      bids: [
        { price: '95000.5', volume: '0.5' },
        { price: '94999', volume: '1.25' },
      ],
      asks: [
        { price: '95001', volume: '0.3' },
        { price: '95002.25', volume: '2' },
      ],
    };
    expect(rec.seen.books).toEqual([full, full]);
    expect(
      fake.pushBookChange('BTC/USD', {
        t: '2026-01-05T15:53:00.123456789Z',
        b: [
          { p: 95000.5, s: 0 },
          { p: 95000.75, s: 0.2 },
        ],
        a: [{ p: 95001, s: 0.1 }],
      }),
    ).toBe(1);
    await eventually(() => expect(rec.seen.books).toHaveLength(3));
    expect(rec.seen.books[2]).toEqual({
      symbol: 'BTCUSD',
      time: Date.UTC(2026, 0, 5, 15, 53, 0, 123),
      bids: [
        { price: '95000.75', volume: '0.2' },
        { price: '94999', volume: '1.25' },
      ],
      asks: [
        { price: '95001', volume: '0.1' },
        { price: '95002.25', volume: '2' },
      ],
    });
    // Books are asked for apart from trades (a refusal of books leaves trades standing), and only for crypto.
    const subscriptions = fake.subscribeMessages as { trades?: string[]; orderbooks?: string[] }[];
    expect(subscriptions.every((m) => (m.trades === undefined) !== (m.orderbooks === undefined))).toBe(true);
    expect(subscriptions.filter((m) => m.orderbooks).map((m) => m.orderbooks)).toEqual([['BTC/USD'], ['BTC/USD']]);
    expect(
      subscriptions
        .filter((m) => m.trades)
        .map((m) => m.trades?.join())
        .sort(),
    ).toEqual(['AAPL', 'AAPL', 'BTC/USD', 'BTC/USD']);
  });

  it('places, fills and cancels orders with trade updates', async () => {
    const placed = await connector.placeOrder('spot', {
      clientOrderId: 'cid-a-1',
      symbol: 'AAPL',
      side: 'BUY',
      type: 'MARKET',
      quantity: '2',
    });
    expect(placed.order).toMatchObject({ clientOrderId: 'cid-a-1', status: 'NEW', side: 'BUY' });
    await eventually(() =>
      expect(rec.seen.fills.find((f) => f.clientOrderId === 'cid-a-1')).toMatchObject({
        price: '190.25',
        quantity: '2',
      }),
    );
    expect(rec.seen.orders.find((o) => o.clientOrderId === 'cid-a-1' && o.status === 'FILLED')).toBeDefined();
    await connector.placeOrder('spot', {
      clientOrderId: 'cid-a-2',
      symbol: 'BTCUSD',
      side: 'BUY',
      type: 'LIMIT',
      quantity: '0.01',
      price: '90000',
    });
    expect(fake.orders.get('cid-a-2')).toMatchObject({ symbol: 'BTC/USD', time_in_force: 'gtc', limit_price: '90000' });
    expect((await connector.cancelOrder('spot', 'cid-a-2')).status).toBe('CANCELED');
    await expect(
      connector.placeOrder('spot', {
        clientOrderId: 'cid-a-1',
        symbol: 'AAPL',
        side: 'BUY',
        type: 'MARKET',
        quantity: '1',
      }),
    ).rejects.toMatchObject({ name: 'VenueRejectError' });
  });

  it('reports venue open orders and looks orders up by client order id for reconciliation', async () => {
    expect(await connector.openOrders?.('spot')).toEqual([
      expect.objectContaining({
        clientOrderId: 'web-1',
        status: 'PARTIALLY_FILLED',
        quantity: '3',
        quantityExecuted: '1',
        price: '189.5',
      }),
    ]);
    expect(await connector.queryOrder?.('spot', 'nope', 'AAPL')).toBeUndefined();
    expect((await connector.account('spot')).assets[0]).toMatchObject({ symbol: 'USD', walletBalance: '100000' });
  });

  it('never logs the keys', () => {
    const text = log.lines.join('\n') + JSON.stringify(connector.instruments('spot'));
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(KEY);
  });
});

describe('alpaca connector when the plan refuses order books', () => {
  it('keeps streaming trades and logs the refusal', async () => {
    const fake = await startAlpacaVenue({ keyId: KEY, secretKey: SECRET, refuseOrderBooks: true });
    const log = capturingLogger();
    const rec = recordingEvents(okReconcile('alpaca'));
    const connector = createAlpacaConnector({
      keyId: KEY,
      secretKey: SECRET,
      paper: true,
      stockSymbols: [],
      cryptoSymbols: ['BTC/USD'],
      logger: log.logger,
      urls: fake.urls,
      wsBackoffMs: 20,
      sleep: async () => undefined,
    });
    try {
      await connector.start(rec.events);
      await eventually(() => expect(fake.subscribeMessages).toHaveLength(2));
      await eventually(() =>
        expect(fake.pushTrade('BTC/USD', { i: 7, p: 95000, s: 0.02, t: '2026-01-05T16:00:00.000Z', tks: 'B' })).toBe(1),
      );
      await eventually(() =>
        expect(rec.seen.trades).toEqual([expect.objectContaining({ symbol: 'BTCUSD', price: '95000', side: 'LONG' })]),
      );
      expect(rec.seen.books).toEqual([]);
      await eventually(() =>
        expect(log.lines.some((l) => l.includes('market stream error') && l.includes('symbol limit exceeded'))).toBe(
          true,
        ),
      );
    } finally {
      await connector.stop();
      await fake.close();
    }
  });
});

describe('alpaca trade stream login and trading gate', () => {
  it('authenticates as the Trading API documents, listens only after "authorized", then trades', async () => {
    const fake = await startAlpacaVenue({ keyId: KEY, secretKey: SECRET });
    const rec = recordingEvents(okReconcile('alpaca'));
    const connector = createAlpacaConnector({
      keyId: KEY,
      secretKey: SECRET,
      paper: true,
      stockSymbols: [],
      cryptoSymbols: [],
      logger: capturingLogger().logger,
      urls: fake.urls,
      wsBackoffMs: 20,
      sleep: async () => undefined,
    });
    try {
      await connector.start(rec.events);
      await eventually(() => expect(connector.status()).toBe('ACTIVE'));
      expect(fake.tradeMessages.slice(0, 2)).toEqual([
        { action: 'authenticate', data: { key_id: KEY, secret_key: SECRET } },
        { action: 'listen', data: { streams: ['trade_updates'] } },
      ]);
      const placed = await connector.placeOrder('spot', {
        clientOrderId: 'ioc-1',
        symbol: 'BTCUSD',
        side: 'BUY',
        type: 'LIMIT',
        quantity: '0.01',
        price: '90000',
        timeInForce: 'IOC',
      });
      expect(fake.orders.get('ioc-1')).toMatchObject({ time_in_force: 'ioc' });
      expect(placed.order.clientOrderId).toBe('ioc-1');
      await eventually(() =>
        expect(rec.seen.orders.find((o) => o.clientOrderId === 'ioc-1' && o.status === 'CANCELED')).toBeDefined(),
      );
    } finally {
      await connector.stop();
      await fake.close();
    }
  });

  it('reports DEGRADED with the reason and refuses orders saying why when the login is refused', async () => {
    const fake = await startAlpacaVenue({ keyId: KEY, secretKey: SECRET });
    fake.setLoginRefused(true);
    const connector = createAlpacaConnector({
      keyId: KEY,
      secretKey: SECRET,
      paper: true,
      stockSymbols: [],
      cryptoSymbols: [],
      logger: capturingLogger().logger,
      urls: fake.urls,
      wsBackoffMs: 20,
      gateTimeoutMs: 50,
      sleep: async () => undefined,
    });
    try {
      await connector.start(recordingEvents(okReconcile('alpaca')).events);
      await eventually(() =>
        expect(connector.degraded?.()).toEqual([
          { market: 'spot', reason: 'Alpaca refused the trade stream login (authenticate: unauthorized)' },
        ]),
      );
      expect(connector.status()).toBe('DEGRADED');
      // Nothing was listened to before the login succeeded.
      expect(fake.tradeMessages.some((m) => (m as { action?: string }).action === 'listen')).toBe(false);
      await expect(
        connector.placeOrder('spot', {
          clientOrderId: 'down-1',
          symbol: 'AAPL',
          side: 'BUY',
          type: 'MARKET',
          quantity: '1',
        }),
      ).rejects.toMatchObject({
        code: 'USER_STREAM_DOWN',
        message: expect.stringContaining('Alpaca refused the trade stream login'),
      });
      expect(fake.orders.has('down-1')).toBe(false);
    } finally {
      await connector.stop();
      await fake.close();
    }
  });

  it('reads the fills of an order from the FILL activities, as the stream would have named them', async () => {
    const fake = await startAlpacaVenue({ keyId: KEY, secretKey: SECRET });
    const rec = recordingEvents(okReconcile('alpaca'));
    const connector = createAlpacaConnector({
      keyId: KEY,
      secretKey: SECRET,
      paper: true,
      stockSymbols: [],
      cryptoSymbols: [],
      logger: capturingLogger().logger,
      urls: fake.urls,
      wsBackoffMs: 20,
      sleep: async () => undefined,
    });
    try {
      await connector.start(rec.events);
      await eventually(() => expect(connector.status()).toBe('ACTIVE'));
      const placed = await connector.placeOrder('spot', {
        clientOrderId: 'rest-1',
        symbol: 'AAPL',
        side: 'BUY',
        type: 'LIMIT',
        quantity: '5',
        price: '180',
      });
      fake.fill('rest-1', '2');
      await eventually(() => expect(rec.seen.fills).toHaveLength(1));
      fake.setTradeStreamDown(true);
      await eventually(() => expect(connector.status()).toBe('DEGRADED'));
      expect(connector.degraded?.()).toEqual([
        { market: 'spot', reason: expect.stringContaining('trade stream closed') },
      ]);
      fake.fill('rest-1');
      const fills = await connector.orderFills?.('spot', 'AAPL', placed.order.externalId);
      expect(fills?.map((f) => [f.tradeId, f.quantity, f.price])).toEqual([
        [rec.seen.fills[0]?.tradeId, '2', '180'],
        [`${placed.order.externalId}:5`, '3', '180'],
      ]);
      fake.setTradeStreamDown(false);
      await eventually(() => expect(connector.status()).toBe('ACTIVE'));
    } finally {
      await connector.stop();
      await fake.close();
    }
  });
});
