import type { Order } from '@barfinex/contracts';
import { applyOrderEvent } from './OpenOrders';

const order = (id: string, status: Order['status']): Order => ({ id, status }) as Order;

describe('applyOrderEvent', () => {
  it('adds a new working order on top and removes it once it is final', () => {
    const open = applyOrderEvent([order('a', 'NEW')], order('b', 'NEW'));
    expect(open.map((o) => o.id)).toEqual(['b', 'a']);
    expect(applyOrderEvent(open, order('b', 'CANCELED')).map((o) => o.id)).toEqual(['a']);
  });
});
