import { createTestPglite } from '@barfinex/db/testing';
import type { Database } from '@barfinex/db';
import { eventually } from '@barfinex/testing';
import { createOrdersRepository } from '../../areas/orders/orders.repository';
import { futuresConnectorFor } from './testing/futures-connector';
import { startBinanceVenue } from '../fakes/binance-venue';
import type { BinanceVenue } from '../fakes/binance-venue';
import { capturingLogger } from '../shared/testing/spec-helpers';
import { startProviderWith } from '../shared/testing/provider-with';

const KEY = 'futures-key-QQQQ2222';
const SECRET = 'futures-secret-WWWW3333';
const T0 = Date.UTC(2026, 0, 5);

describe('provider with the Binance futures testnet connector against the fake venue', () => {
  let db: Database;
  let fake: BinanceVenue;
  let h: Awaited<ReturnType<typeof startProviderWith>>;
  const log = capturingLogger();
  const call = (method: string, path: string, body?: unknown) => h.call(method, path, body);

  beforeAll(async () => {
    db = await createTestPglite();
    fake = await startBinanceVenue({ market: 'futures', apiKey: KEY, apiSecret: SECRET });
    fake.setDepth('BTCUSDT', {
      lastUpdateId: 10,
      E: T0,
      T: T0,
      bids: [['94999.90', '1.000']],
      asks: [['95000.10', '1.000']],
    });
    // State left by an earlier run: one order the venue still has (now partly filled), one whose
    // placement died before the venue's reply (no venue id: a write-ahead record) and that the venue
    // never received, one it had acknowledged but no longer knows.
    const repo = createOrdersRepository(db.prisma);
    const local = {
      symbol: 'BTCUSDT',
      side: 'BUY' as const,
      type: 'LIMIT' as const,
      quantity: '0.010',
      quantityExecuted: '0',
      status: 'NEW' as const,
      price: '90000',
      connectorType: 'testnetBinanceFutures' as const,
      marketType: 'futures' as const,
      source: { type: 'provider' as const },
      createdAt: T0,
      updatedAt: T0,
    };
    await repo.insert({ ...local, id: 'local-1', clientOrderId: 'cid-still-open' });
    await repo.insert({ ...local, id: 'local-2', clientOrderId: 'cid-never-arrived' });
    await repo.insert({ ...local, id: 'local-3', clientOrderId: 'cid-lost', externalId: '777' });
    const common = {
      symbol: 'BTCUSDT',
      price: '90000.0',
      cummulativeQuoteQty: '0',
      timeInForce: 'GTC',
      type: 'LIMIT',
      side: 'BUY' as const,
      stopPrice: '0',
      time: T0,
      updateTime: T0,
    };
    fake.addVenueOrder({
      ...common,
      clientOrderId: 'cid-still-open',
      origQty: '0.010',
      executedQty: '0.004',
      status: 'PARTIALLY_FILLED',
    });
    fake.addVenueOrder({ ...common, clientOrderId: 'web-manual-1', origQty: '0.020', executedQty: '0', status: 'NEW' });

    const connector = futuresConnectorFor(fake, { apiKey: KEY, apiSecret: SECRET }, log.logger);
    h = await startProviderWith(db, connector);
  });
  afterAll(async () => {
    await h.stop();
    await fake.close();
    await db.close();
  });

  it('reconciles on start: adopts unknown venue orders, updates changed ones, closes the ones the venue lacks', async () => {
    await eventually(async () =>
      expect((await call('GET', '/api/connectors/testnetBinanceFutures/futures/reconciliation')).status).toBe(200),
    );
    const { body } = await call('GET', '/api/connectors/testnetBinanceFutures/futures/reconciliation');
    expect(body.mismatches.map((m: { kind: string }) => m.kind).sort()).toEqual([
      'missingLocal',
      'missingRemote',
      'missingRemote',
      'statusChanged',
    ]);
    expect(h.seen.some((e) => e.type === 'PROVIDER_RECONCILIATION')).toBe(true);
    expect((await call('GET', '/api/orders/cid-still-open')).body).toMatchObject({
      status: 'PARTIALLY_FILLED',
      quantityExecuted: '0.004',
    });
    // Never announced, never at the venue: the record is discarded and the clientOrderId is free again.
    expect((await call('GET', '/api/orders/cid-never-arrived')).status).toBe(404);
    expect((await call('GET', '/api/orders/cid-lost')).body).toMatchObject({
      status: 'REJECTED',
      rejectReason: 'NOT_FOUND_ON_VENUE',
    });
    // The venue acknowledged the one it still has: it is announced once, after the fact.
    expect(
      h.seen.filter(
        (e) =>
          e.type === 'PROVIDER_ORDER_CREATE' &&
          (e.payload as { clientOrderId: string }).clientOrderId === 'cid-still-open',
      ),
    ).toHaveLength(1);
    expect((await call('GET', '/api/orders/web-manual-1')).body).toMatchObject({
      status: 'NEW',
      quantity: '0.02',
      source: { type: 'provider', key: 'external' },
    });
  });

  it('serves the REST areas from the venue', async () => {
    expect((await call('GET', '/api/symbols/testnetBinanceFutures/futures')).body[0]).toMatchObject({
      symbol: 'BTCUSDT',
      tickSize: '0.1',
      stepSize: '0.001',
      minNotional: '100',
    });
    expect((await call('GET', '/api/assets/testnetBinanceFutures/futures')).body.assets[0]).toMatchObject({
      symbol: 'USDT',
      walletBalance: '10000.00000000',
    });
    expect((await call('GET', '/api/accounts/testnetBinanceFutures/futures')).status).toBe(200);
    expect(
      (
        await call('PUT', '/api/accounts/leverage', {
          connectorType: 'testnetBinanceFutures',
          marketType: 'futures',
          symbol: 'BTCUSDT',
          leverage: 7,
        })
      ).body.leverage,
    ).toBe(7);
    expect(fake.state.leverage.get('BTCUSDT')).toBe(7);
  });

  it('places a signed order through POST /api/orders and records its fill', async () => {
    const placed = await call('POST', '/api/orders', {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'MARKET',
      quantity: '0.002',
      connectorType: 'testnetBinanceFutures',
      marketType: 'futures',
      clientOrderId: 'cid-api-1',
    });
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({ status: 'FILLED', quantityExecuted: '0.002' });
    await eventually(() =>
      expect(
        h.seen.some(
          (e) =>
            e.type === 'PROVIDER_ORDER_FILL' && (e.payload as { clientOrderId: string }).clientOrderId === 'cid-api-1',
        ),
      ).toBe(true),
    );
    expect(fake.orderPosts('cid-api-1')).toBe(1);
  });

  it('reconciles again after the user stream reconnects', async () => {
    const before = h.seen.filter((e) => e.type === 'PROVIDER_RECONCILIATION').length;
    fake.ws.dropAll();
    await eventually(() =>
      expect(h.seen.filter((e) => e.type === 'PROVIDER_RECONCILIATION').length).toBeGreaterThan(before),
    );
  });

  it('never returns or logs the credentials', async () => {
    await call('GET', '/api/options');
    await call('GET', '/api/connectors');
    const text = h.bodies.join('\n') + log.lines.join('\n');
    expect(text).not.toContain(KEY);
    expect(text).not.toContain(SECRET);
  });
});
