import { createTestPglite } from '@barfinex/db/testing';
import type { Database } from '@barfinex/db';
import type { EventEnvelope } from '@barfinex/events';
import { eventually } from '@barfinex/testing';
import { createOrdersRepository } from '../../areas/orders/orders.repository';
import type { ExchangeConnector, VenueOrderState } from '../connector';
import { futuresConnectorFor } from './testing/futures-connector';
import { startBinanceVenue } from '../fakes/binance-venue';
import type { BinanceVenue } from '../fakes/binance-venue';
import { capturingLogger } from '../shared/testing/spec-helpers';
import { startProviderWith } from '../shared/testing/provider-with';

const KEY = 'algo-key-QQQQ4444';
const SECRET = 'algo-secret-WWWW5555';
const market = { connectorType: 'testnetBinanceFutures', marketType: 'futures' } as const;

/** Protective orders on USD-M go through the Algo Service; the fake implements it as documented. */
describe('Binance USD-M conditional orders through the Algo Service, end to end', () => {
  let db: Database;
  let fake: BinanceVenue;
  let h: Awaited<ReturnType<typeof startProviderWith>>;
  const log = capturingLogger();
  const updates: VenueOrderState[] = [];

  async function startProvider() {
    const connector = futuresConnectorFor(fake, { apiKey: KEY, apiSecret: SECRET }, log.logger);
    // The venue's order updates as the connector delivers them, to know when the last one is in.
    const recording: ExchangeConnector = {
      ...connector,
      start: (events) =>
        connector.start({
          ...events,
          onOrderUpdate: (m, state) => {
            updates.push(state);
            events.onOrderUpdate(m, state);
          },
        }),
    };
    h = await startProviderWith(db, recording);
    await eventually(async () =>
      expect((await h.call('GET', '/api/connectors/testnetBinanceFutures/futures/reconciliation')).status).toBe(200),
    );
  }
  const fillsOf = (seen: EventEnvelope[], clientOrderId: string) =>
    seen.filter(
      (e) =>
        e.type === 'PROVIDER_ORDER_FILL' && (e.payload as { clientOrderId: string }).clientOrderId === clientOrderId,
    );
  const stopLoss = (clientOrderId: string, stopPrice: string, type = 'STOP_MARKET') =>
    h.call('POST', '/api/orders', {
      symbol: 'BTCUSDT',
      side: 'SELL',
      type,
      quantity: '0.002',
      stopPrice,
      reduceOnly: true,
      clientOrderId,
      ...market,
    });

  beforeAll(async () => {
    db = await createTestPglite();
    fake = await startBinanceVenue({ market: 'futures', apiKey: KEY, apiSecret: SECRET });
    fake.setDepth('BTCUSDT', { lastUpdateId: 10, bids: [['94999.90', '1.000']], asks: [['95000.10', '1.000']] });
    await startProvider();
    // The long the protective orders protect.
    const entry = await h.call('POST', '/api/orders', {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'MARKET',
      quantity: '0.002',
      clientOrderId: 'algo-entry',
      ...market,
    });
    expect(entry.body).toMatchObject({ status: 'FILLED' });
  });
  afterAll(async () => {
    await h.stop();
    await fake.close();
    await db.close();
  });

  it('places a reduce-only STOP_MARKET stop-loss in the Algo Service, pending its trigger, once', async () => {
    const placed = await stopLoss('sl-1', '94000');
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({ status: 'PENDING_TRIGGER', externalId: expect.stringMatching(/^algo-\d+$/) });
    expect(fake.algoOrders.get('sl-1')).toMatchObject({
      algoStatus: 'NEW',
      orderType: 'STOP_MARKET',
      triggerPrice: '94000',
      reduceOnly: true,
      workingType: 'CONTRACT_PRICE',
    });
    // The same clientOrderId again is the same order: nothing is sent twice.
    const again = await stopLoss('sl-1', '94000');
    expect(again.body).toMatchObject({ id: placed.body.id, status: 'PENDING_TRIGGER' });
    expect(fake.algoOrderPosts('sl-1')).toBe(1);
    expect(fake.orderPosts('sl-1')).toBe(0);
  });

  it('resolves a placement whose outcome was unknown (-1007) in the Algo Service, without sending it twice', async () => {
    fake.answerNextOrderWith({ status: 408, code: -1007, msg: 'Timeout waiting for response from backend server.' });
    const placed = await stopLoss('sl-timeout', '93500');
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({ status: 'PENDING_TRIGGER', externalId: expect.stringMatching(/^algo-\d+$/) });
    expect(fake.algoOrderPosts('sl-timeout')).toBe(1);
  });

  it('fills it once when the price moves through the trigger', async () => {
    fake.setPrice('BTCUSDT', '93950.0');
    expect(fake.algoOrders.get('sl-1')?.algoStatus).toBe('FINISHED');
    await eventually(async () =>
      expect((await h.call('GET', '/api/orders/sl-1')).body).toMatchObject({
        status: 'FILLED',
        quantityExecuted: '0.002',
      }),
    );
    // The real order's ORDER_TRADE_UPDATE (the trade), then ALGO_UPDATE TRIGGERED and FINISHED: all in,
    // then a close request queued behind them, and still one fill and one close.
    const actual = fake.algoOrders.get('sl-1')?.actualOrderId;
    await eventually(() =>
      expect(updates.filter((u) => u.clientOrderId === 'sl-1' && u.status === 'FILLED')).toHaveLength(2),
    );
    const done = await h.call('GET', '/api/orders/sl-1');
    expect((await h.call('PUT', '/api/orders/close', { id: done.body.id })).status).toBeLessThan(500);
    expect(fillsOf(h.seen, 'sl-1')).toHaveLength(1);
    expect(fillsOf(h.seen, 'sl-1')[0]?.payload).toMatchObject({
      externalId: actual,
      quantity: '0.002',
      price: '93950',
    });
    const closes = h.seen.filter(
      (e) => e.type === 'PROVIDER_ORDER_CLOSE' && (e.payload as { clientOrderId: string }).clientOrderId === 'sl-1',
    );
    expect(closes).toHaveLength(1);
    const stored = await createOrdersRepository(db.prisma).findByClientOrderId('sl-1');
    expect(await createOrdersRepository(db.prisma).fillsOf(stored?.id ?? '')).toHaveLength(1);
  });

  it('cancels a take-profit in the Algo Service', async () => {
    fake.setPrice('BTCUSDT', '95000.0');
    const placed = await stopLoss('tp-1', '97000', 'TAKE_PROFIT_MARKET');
    expect(placed.body).toMatchObject({ status: 'PENDING_TRIGGER' });
    const closed = await h.call('PUT', '/api/orders/close', { id: placed.body.id });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'CANCELED' });
    expect(fake.algoOrders.get('tp-1')?.algoStatus).toBe('CANCELED');
    // Canceled means it can no longer fire.
    fake.setPrice('BTCUSDT', '97100.0');
    expect(fake.algoOrders.get('tp-1')?.algoStatus).toBe('CANCELED');
    fake.setPrice('BTCUSDT', '95000.0');
  });

  it('refuses what the Algo Service refuses, as a 4xx, storing nothing', async () => {
    // errors.md -2021: a sell stop above the last price would fire at once.
    const res = await stopLoss('sl-bad', '96000');
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body.error.message).toContain('immediately trigger');
    expect(fake.algoOrders.has('sl-bad')).toBe(false);
  });

  it('reconciles a trigger whose events were lost while user data was down, through the Algo Service', async () => {
    const placed = await stopLoss('sl-gap', '93700');
    expect(placed.body).toMatchObject({ status: 'PENDING_TRIGGER' });
    const reconciled = h.seen.filter((e) => e.type === 'PROVIDER_RECONCILIATION').length;
    fake.ws.refuseUserData({ code: -1125, msg: 'This listenKey does not exist.' });
    fake.ws.dropAll();
    fake.setPrice('BTCUSDT', '93690.0');
    expect(fake.algoOrders.get('sl-gap')?.algoStatus).toBe('FINISHED');
    fake.ws.refuseUserData(undefined);
    await eventually(() =>
      expect(h.seen.filter((e) => e.type === 'PROVIDER_RECONCILIATION').length).toBeGreaterThan(reconciled),
    );
    await eventually(async () =>
      expect((await h.call('GET', '/api/orders/sl-gap')).body).toMatchObject({
        status: 'FILLED',
        quantityExecuted: '0.002',
        externalId: fake.algoOrders.get('sl-gap')?.actualOrderId,
      }),
    );
    expect(fillsOf(h.seen, 'sl-gap')).toHaveLength(1);
    // Known as conditional, it was looked up in the Algo Service, then its real order by actualOrderId.
    const lookups = fake.requests.filter((r) => r.method === 'GET' && r.path === '/fapi/v1/algoOrder');
    expect(lookups.some((r) => r.query.get('clientAlgoId') === 'sl-gap')).toBe(true);
  });

  it('reconciles after a restart an algo order that triggered while the provider was down', async () => {
    const placed = await stopLoss('sl-down', '93000');
    expect(placed.body).toMatchObject({ status: 'PENDING_TRIGGER' });
    const waiting = await stopLoss('tp-down', '99000', 'TAKE_PROFIT_MARKET');
    expect(waiting.body).toMatchObject({ status: 'PENDING_TRIGGER' });
    await h.stop();
    fake.setPrice('BTCUSDT', '92900.0');
    expect(fake.algoOrders.get('sl-down')?.algoStatus).toBe('FINISHED');
    await startProvider();
    await eventually(async () =>
      expect((await h.call('GET', '/api/orders/sl-down')).body).toMatchObject({
        status: 'FILLED',
        quantityExecuted: '0.002',
      }),
    );
    const repo = createOrdersRepository(db.prisma);
    const stored = await repo.findByClientOrderId('sl-down');
    const fills = await repo.fillsOf(stored?.id ?? '');
    expect(fills).toHaveLength(1);
    expect(fills[0]).toMatchObject({ quantity: '0.002', price: '92900' });
    expect(fillsOf(h.seen, 'sl-down')).toHaveLength(1);
    // Nothing on the venue is adopted twice: the real order is the platform order, not an external one.
    const reconciliation = await h.call('GET', '/api/connectors/testnetBinanceFutures/futures/reconciliation');
    expect(reconciliation.body.mismatches.filter((m: { kind: string }) => m.kind === 'missingLocal')).toEqual([]);
    expect(reconciliation.body.mismatches.filter((m: { kind: string }) => m.kind === 'missingRemote')).toEqual([]);
    // The one still waiting in the Algo Service is found there after the restart, and canceled there.
    expect((await h.call('GET', '/api/orders/tp-down')).body).toMatchObject({ status: 'PENDING_TRIGGER' });
    const closed = await h.call('PUT', '/api/orders/close', { id: waiting.body.id });
    expect(closed.body).toMatchObject({ status: 'CANCELED' });
    expect(fake.algoOrders.get('tp-down')?.algoStatus).toBe('CANCELED');
  });
});
