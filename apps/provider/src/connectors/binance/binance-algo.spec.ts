import { eventually } from '@barfinex/testing';
import { createOrdersRepository } from '../../areas/orders/orders.repository';
import { algoHarness } from './testing/algo-harness';

/** Protective orders on USD-M go through the Algo Service; the fake implements it as documented. */
describe('Binance USD-M conditional orders through the Algo Service, end to end', () => {
  const t = algoHarness();

  it('places a reduce-only STOP_MARKET stop-loss in the Algo Service, pending its trigger, once', async () => {
    const placed = await t.stopLoss('sl-1', '94000');
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({ status: 'PENDING_TRIGGER', externalId: expect.stringMatching(/^algo-\d+$/) });
    expect(t.fake.algoOrders.get('sl-1')).toMatchObject({
      algoStatus: 'NEW',
      orderType: 'STOP_MARKET',
      triggerPrice: '94000',
      reduceOnly: true,
      workingType: 'CONTRACT_PRICE',
    });
    // The same clientOrderId again is the same order: nothing is sent twice.
    const again = await t.stopLoss('sl-1', '94000');
    expect(again.body).toMatchObject({ id: placed.body.id, status: 'PENDING_TRIGGER' });
    expect(t.fake.algoOrderPosts('sl-1')).toBe(1);
    expect(t.fake.orderPosts('sl-1')).toBe(0);
  });

  it('resolves a placement whose outcome was unknown (-1007) in the Algo Service, without sending it twice', async () => {
    t.fake.answerNextOrderWith({ status: 408, code: -1007, msg: 'Timeout waiting for response from backend server.' });
    const placed = await t.stopLoss('sl-timeout', '93500');
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({ status: 'PENDING_TRIGGER', externalId: expect.stringMatching(/^algo-\d+$/) });
    expect(t.fake.algoOrderPosts('sl-timeout')).toBe(1);
  });

  it('fills it once when the price moves through the trigger', async () => {
    t.fake.setPrice('BTCUSDT', '93950.0');
    expect(t.fake.algoOrders.get('sl-1')?.algoStatus).toBe('FINISHED');
    await eventually(async () =>
      expect((await t.h.call('GET', '/api/orders/sl-1')).body).toMatchObject({
        status: 'FILLED',
        quantityExecuted: '0.002',
      }),
    );
    // The real order's ORDER_TRADE_UPDATE (the trade), then ALGO_UPDATE TRIGGERED and FINISHED: all in,
    // then a close request queued behind them, and still one fill and one close.
    const actual = t.fake.algoOrders.get('sl-1')?.actualOrderId;
    await eventually(() =>
      expect(t.updates.filter((u) => u.clientOrderId === 'sl-1' && u.status === 'FILLED')).toHaveLength(2),
    );
    const done = await t.h.call('GET', '/api/orders/sl-1');
    expect((await t.h.call('PUT', '/api/orders/close', { id: done.body.id })).status).toBeLessThan(500);
    expect(t.fillsOf(t.h.seen, 'sl-1')).toHaveLength(1);
    expect(t.fillsOf(t.h.seen, 'sl-1')[0]?.payload).toMatchObject({
      externalId: actual,
      quantity: '0.002',
      price: '93950',
    });
    const closes = t.h.seen.filter(
      (e) => e.type === 'PROVIDER_ORDER_CLOSE' && (e.payload as { clientOrderId: string }).clientOrderId === 'sl-1',
    );
    expect(closes).toHaveLength(1);
    const stored = await createOrdersRepository(t.db.prisma).findByClientOrderId('sl-1');
    expect(await createOrdersRepository(t.db.prisma).fillsOf(stored?.id ?? '')).toHaveLength(1);
  });

  it('cancels a take-profit in the Algo Service', async () => {
    t.fake.setPrice('BTCUSDT', '95000.0');
    const placed = await t.stopLoss('tp-1', '97000', 'TAKE_PROFIT_MARKET');
    expect(placed.body).toMatchObject({ status: 'PENDING_TRIGGER' });
    const closed = await t.h.call('PUT', '/api/orders/close', { id: placed.body.id });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'CANCELED' });
    expect(t.fake.algoOrders.get('tp-1')?.algoStatus).toBe('CANCELED');
    // Canceled means it can no longer fire.
    t.fake.setPrice('BTCUSDT', '97100.0');
    expect(t.fake.algoOrders.get('tp-1')?.algoStatus).toBe('CANCELED');
    t.fake.setPrice('BTCUSDT', '95000.0');
  });

  it('refuses what the Algo Service refuses, as a 4xx, storing nothing', async () => {
    // errors.md -2021: a sell stop above the last price would fire at once.
    const res = await t.stopLoss('sl-bad', '96000');
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body.error.message).toContain('immediately trigger');
    expect(t.fake.algoOrders.has('sl-bad')).toBe(false);
  });

  it('reconciles a trigger whose events were lost while user data was down, through the Algo Service', async () => {
    const placed = await t.stopLoss('sl-gap', '93700');
    expect(placed.body).toMatchObject({ status: 'PENDING_TRIGGER' });
    const reconciled = t.h.seen.filter((e) => e.type === 'PROVIDER_RECONCILIATION').length;
    t.fake.ws.refuseUserData({ code: -1125, msg: 'This listenKey does not exist.' });
    t.fake.ws.dropAll();
    t.fake.setPrice('BTCUSDT', '93690.0');
    expect(t.fake.algoOrders.get('sl-gap')?.algoStatus).toBe('FINISHED');
    t.fake.ws.refuseUserData(undefined);
    await eventually(() =>
      expect(t.h.seen.filter((e) => e.type === 'PROVIDER_RECONCILIATION').length).toBeGreaterThan(reconciled),
    );
    await eventually(async () =>
      expect((await t.h.call('GET', '/api/orders/sl-gap')).body).toMatchObject({
        status: 'FILLED',
        quantityExecuted: '0.002',
        externalId: t.fake.algoOrders.get('sl-gap')?.actualOrderId,
      }),
    );
    expect(t.fillsOf(t.h.seen, 'sl-gap')).toHaveLength(1);
    // Known as conditional, it was looked up in the Algo Service, then its real order by actualOrderId.
    const lookups = t.fake.requests.filter((r) => r.method === 'GET' && r.path === '/fapi/v1/algoOrder');
    expect(lookups.some((r) => r.query.get('clientAlgoId') === 'sl-gap')).toBe(true);
  });

  it('reconciles after a restart an algo order that triggered while the provider was down', async () => {
    const placed = await t.stopLoss('sl-down', '93000');
    expect(placed.body).toMatchObject({ status: 'PENDING_TRIGGER' });
    const waiting = await t.stopLoss('tp-down', '99000', 'TAKE_PROFIT_MARKET');
    expect(waiting.body).toMatchObject({ status: 'PENDING_TRIGGER' });
    await t.h.stop();
    t.fake.setPrice('BTCUSDT', '92900.0');
    expect(t.fake.algoOrders.get('sl-down')?.algoStatus).toBe('FINISHED');
    await t.start();
    await eventually(async () =>
      expect((await t.h.call('GET', '/api/orders/sl-down')).body).toMatchObject({
        status: 'FILLED',
        quantityExecuted: '0.002',
      }),
    );
    const repo = createOrdersRepository(t.db.prisma);
    const stored = await repo.findByClientOrderId('sl-down');
    const fills = await repo.fillsOf(stored?.id ?? '');
    expect(fills).toHaveLength(1);
    expect(fills[0]).toMatchObject({ quantity: '0.002', price: '92900' });
    expect(t.fillsOf(t.h.seen, 'sl-down')).toHaveLength(1);
    // Nothing on the venue is adopted twice: the real order is the platform order, not an external one.
    const reconciliation = await t.h.call('GET', '/api/connectors/testnetBinanceFutures/futures/reconciliation');
    expect(reconciliation.body.mismatches.filter((m: { kind: string }) => m.kind === 'missingLocal')).toEqual([]);
    expect(reconciliation.body.mismatches.filter((m: { kind: string }) => m.kind === 'missingRemote')).toEqual([]);
    // The one still waiting in the Algo Service is found there after the restart, and canceled there.
    expect((await t.h.call('GET', '/api/orders/tp-down')).body).toMatchObject({ status: 'PENDING_TRIGGER' });
    const closed = await t.h.call('PUT', '/api/orders/close', { id: waiting.body.id });
    expect(closed.body).toMatchObject({ status: 'CANCELED' });
    expect(t.fake.algoOrders.get('tp-down')?.algoStatus).toBe('CANCELED');
  });
});
