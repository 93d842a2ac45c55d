import { eventually } from '@barfinex/testing';
import { algoHarness } from './testing/algo-harness';

/**
 * The docs do not say which client id a triggered conditional order's real order gets. Whatever it
 * is, the real order's trades are the platform order's fills (fetched with the ALGO_UPDATE that
 * reports its execution) and the real order, still resting, is never adopted as an external one.
 */
describe('Binance USD-M conditional orders whose real order carries a venue-chosen client id', () => {
  const t = algoHarness({ algoRealOrderIds: 'venue' });
  const realOrderOf = (clientAlgoId: string) => {
    const actual = t.fake.algoOrders.get(clientAlgoId)?.actualOrderId;
    return [...t.fake.orders.values()].find((o) => String(o.orderId) === actual);
  };

  it('fills a STOP_MARKET stop-loss once through the trigger', async () => {
    expect((await t.stopLoss('sl-v', '94000')).body).toMatchObject({ status: 'PENDING_TRIGGER' });
    t.fake.setPrice('BTCUSDT', '93950.0');
    expect(realOrderOf('sl-v')?.clientOrderId).not.toBe('sl-v');
    await eventually(async () =>
      expect((await t.h.call('GET', '/api/orders/sl-v')).body).toMatchObject({
        status: 'FILLED',
        quantityExecuted: '0.002',
      }),
    );
    await eventually(() => expect(t.fillsOf(t.h.seen, 'sl-v')).toHaveLength(1));
    expect(t.fillsOf(t.h.seen, 'sl-v')[0]?.payload).toMatchObject({ price: '93950', quantity: '0.002' });
  });

  it('a triggered stop-limit resting in the book is the platform order at reconciliation, then fills once', async () => {
    t.fake.setPrice('BTCUSDT', '95000.0');
    expect((await t.stopLoss('sl-limit', '94000', 'STOP', '94100')).body).toMatchObject({ status: 'PENDING_TRIGGER' });
    t.fake.setPrice('BTCUSDT', '93990.0');
    const real = realOrderOf('sl-limit');
    expect(real).toMatchObject({ status: 'NEW', type: 'LIMIT', price: '94100' });
    await eventually(async () =>
      expect((await t.h.call('GET', '/api/orders/sl-limit')).body).toMatchObject({
        status: 'NEW',
        externalId: String(real?.orderId),
      }),
    );
    // A reconnect reconciles: the resting real order is matched to the platform order, not adopted.
    const before = t.h.seen.filter((e) => e.type === 'PROVIDER_RECONCILIATION').length;
    t.fake.ws.dropAll();
    await eventually(() =>
      expect(t.h.seen.filter((e) => e.type === 'PROVIDER_RECONCILIATION').length).toBeGreaterThan(before),
    );
    const { body } = await t.h.call('GET', '/api/connectors/testnetBinanceFutures/futures/reconciliation');
    expect(body.mismatches.filter((m: { kind: string }) => m.kind === 'missingLocal')).toEqual([]);
    t.fake.fill(real?.clientOrderId ?? '');
    await eventually(async () =>
      expect((await t.h.call('GET', '/api/orders/sl-limit')).body).toMatchObject({
        status: 'FILLED',
        quantityExecuted: '0.002',
      }),
    );
    await eventually(() => expect(t.fillsOf(t.h.seen, 'sl-limit')).toHaveLength(1));
    expect((await t.h.call('GET', `/api/orders/${real?.clientOrderId}`)).status).toBe(404);
  });

  it('cancels a triggered stop-limit through its real order', async () => {
    t.fake.setPrice('BTCUSDT', '95000.0');
    const placed = await t.stopLoss('sl-cancel', '94000', 'STOP', '94100');
    t.fake.setPrice('BTCUSDT', '93990.0');
    const real = realOrderOf('sl-cancel');
    await eventually(async () =>
      expect((await t.h.call('GET', '/api/orders/sl-cancel')).body).toMatchObject({
        externalId: String(real?.orderId),
      }),
    );
    const closed = await t.h.call('PUT', '/api/orders/close', { id: placed.body.id });
    expect(closed.body).toMatchObject({ status: 'CANCELED' });
    expect(real?.status).toBe('CANCELED');
  });
});
