import pino from 'pino';
import { createTestPglite } from '@barfinex/db/testing';
import type { Database } from '@barfinex/db';
import { eventually } from '@barfinex/testing';
import { startProviderWith } from '../shared/testing/provider-with';
import { createAlpacaConnector } from './alpaca-connector';
import { startAlpacaVenue } from '../fakes/alpaca-venue';

const KEY = 'PKPROVIDERKEY1111';
const SECRET = 'alpaca-provider-secret-7777';

describe('provider with the Alpaca connector against the fake venue', () => {
  let db: Database;
  let fake: Awaited<ReturnType<typeof startAlpacaVenue>>;
  let h: Awaited<ReturnType<typeof startProviderWith>>;

  beforeAll(async () => {
    db = await createTestPglite();
    fake = await startAlpacaVenue({ keyId: KEY, secretKey: SECRET });
    fake.addVenueOrder({
      id: 'ord-web-9',
      client_order_id: 'web-9',
      symbol: 'AAPL',
      created_at: '2026-01-05T15:00:00Z',
      updated_at: '2026-01-05T15:00:00Z',
      qty: '4',
      filled_qty: '0',
      filled_avg_price: null,
      type: 'limit',
      side: 'sell',
      time_in_force: 'day',
      limit_price: '250',
      stop_price: null,
      status: 'new',
    });
    fake.setBook('BTC/USD', {
      b: [{ p: 95000.5, s: 0.5 }],
      a: [
        { p: 95001, s: 0.3 },
        { p: 95003, s: 1 },
      ],
    });
    const connector = createAlpacaConnector({
      keyId: KEY,
      secretKey: SECRET,
      paper: true,
      stockSymbols: ['AAPL'],
      cryptoSymbols: ['BTC/USD'],
      logger: pino({ level: 'silent' }),
      urls: fake.urls,
      wsBackoffMs: 20,
    });
    h = await startProviderWith(db, connector);
  });
  afterAll(async () => {
    await h.stop();
    await fake.close();
    await db.close();
  });

  it('reconciles on start and adopts the venue order placed elsewhere', async () => {
    await eventually(async () =>
      expect((await h.call('GET', '/api/connectors/alpaca/spot/reconciliation')).status).toBe(200),
    );
    expect((await h.call('GET', '/api/connectors/alpaca/spot/reconciliation')).body.mismatches).toEqual([
      expect.objectContaining({ kind: 'missingLocal', symbol: 'AAPL' }),
    ]);
    expect((await h.call('GET', '/api/orders/web-9')).body).toMatchObject({
      side: 'SELL',
      quantity: '4',
      price: '250',
      source: { key: 'external' },
    });
  });

  it('serves the crypto order book Alpaca streams', async () => {
    await eventually(async () =>
      expect((await h.call('GET', '/api/symbols/alpaca/spot/BTCUSD/orderbook?depth=1')).status).toBe(200),
    );
    expect((await h.call('GET', '/api/symbols/alpaca/spot/BTCUSD/orderbook?depth=1')).body).toMatchObject({
      symbol: 'BTCUSD',
      bids: [{ price: '95000.5', volume: '0.5' }],
      asks: [{ price: '95001', volume: '0.3' }],
    });
  });

  it('serves symbols, assets and accounts, and places an order that fills through trade updates', async () => {
    expect((await h.call('GET', '/api/symbols/alpaca/spot')).body.map((i: { symbol: string }) => i.symbol)).toEqual([
      'AAPL',
      'BTCUSD',
    ]);
    expect((await h.call('GET', '/api/assets/alpaca/spot')).body.assets[0]).toMatchObject({
      symbol: 'USD',
      walletBalance: '100000',
    });
    expect((await h.call('GET', '/api/accounts/alpaca/spot')).status).toBe(200);
    const placed = await h.call('POST', '/api/orders', {
      symbol: 'AAPL',
      side: 'BUY',
      type: 'MARKET',
      quantity: '2',
      connectorType: 'alpaca',
      marketType: 'spot',
      clientOrderId: 'cid-p-1',
    });
    expect(placed.status).toBe(201);
    await eventually(async () =>
      expect((await h.call('GET', '/api/orders/cid-p-1')).body).toMatchObject({
        status: 'FILLED',
        quantityExecuted: '2',
        averagePrice: '190.25',
      }),
    );
    expect(h.seen.some((e) => e.type === 'PROVIDER_ORDER_FILL')).toBe(true);
    const unsupported = await h.call('POST', '/api/orders', {
      symbol: 'AAPL',
      side: 'SELL',
      type: 'TAKE_PROFIT_MARKET',
      quantity: '1',
      stopPrice: '300',
      connectorType: 'alpaca',
      marketType: 'spot',
      clientOrderId: 'cid-p-tp',
    });
    expect(unsupported.status).toBe(400);
    expect(unsupported.body.error.message).toContain('TAKE_PROFIT_MARKET is not offered by Alpaca');
    expect((await h.call('GET', '/api/orders/cid-p-tp')).status).toBe(404);
    const text = h.bodies.join('\n');
    expect(text).not.toContain(KEY);
    expect(text).not.toContain(SECRET);
  });
});
