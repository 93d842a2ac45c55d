import type { Order } from '@barfinex/contracts';
import type { ExchangeConnector, VenueOpenOrder } from '../connector';
import { createReconciler } from './reconciler';

const T0 = Date.UTC(2026, 0, 5);
const resting = (i: number): Order => ({
  id: `o${i}`,
  clientOrderId: `c${i}`,
  externalId: `x${i}`,
  symbol: 'BTCUSDT',
  side: 'BUY',
  type: 'LIMIT',
  status: 'NEW',
  price: '50000',
  quantity: '0.01',
  quantityExecuted: '0',
  connectorType: 'sim',
  marketType: 'spot',
  source: { type: 'provider' },
  createdAt: T0,
  updatedAt: T0,
});
const atVenue = (o: Order): VenueOpenOrder => ({
  clientOrderId: o.clientOrderId,
  externalId: o.externalId ?? '',
  symbol: o.symbol,
  status: o.status,
  quantityExecuted: o.quantityExecuted,
  side: o.side,
  type: o.type,
  quantity: o.quantity,
  createdAt: o.createdAt,
  updatedAt: o.updatedAt,
});

describe('a periodic reconciliation', () => {
  it('costs no per-order reads or queue work for resting orders the venue holds as stored', async () => {
    const local = Array.from({ length: 500 }, (_, i) => resting(i));
    const calls = { find: 0, onVenueOrder: 0, settle: 0 };
    const reconciler = createReconciler({
      repo: {
        listAll: async () => local,
        insert: async () => undefined,
        findByClientOrderId: async () => {
          calls.find += 1;
          return undefined;
        },
      },
      orders: {
        onVenueOrder: async () => {
          calls.onVenueOrder += 1;
          return undefined;
        },
        settle: async () => {
          calls.settle += 1;
          return { kind: 'gone' };
        },
      },
      events: { emit: () => undefined },
      now: () => T0,
    });
    const connector = {
      type: 'sim',
      openOrders: async () => local.map(atVenue),
      queryOrder: async () => undefined,
    } as unknown as ExchangeConnector;
    const result = await reconciler.run(connector, 'spot');
    expect(result).toMatchObject({ matched: 500, mismatches: [] });
    expect(calls).toEqual({ find: 0, onVenueOrder: 0, settle: 0 });
  });
});
