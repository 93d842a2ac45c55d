import { AlpacaOrderSchema } from './alpaca-schemas';
import { timeInForceOf, toOrderState } from './alpaca-mappers';

const order = (time_in_force: string) =>
  AlpacaOrderSchema.parse({ id: 'ord-1', client_order_id: 'cid-1', symbol: 'AAPL', created_at: '2026-01-05T15:00:00Z', updated_at: null, qty: '3', filled_qty: '0', filled_avg_price: null, type: 'limit', side: 'buy', time_in_force, limit_price: '189.5', stop_price: null, status: 'new' });

describe('alpaca time in force', () => {
  it.each([
    ['gtc', 'GTC'],
    ['ioc', 'IOC'],
    ['fok', 'FOK'],
    ['GTC', 'GTC'],
  ])('reads %s as %s', (venue, ours) => {
    expect(timeInForceOf(venue)).toBe(ours);
    expect(toOrderState(order(venue)).timeInForce).toBe(ours);
  });

  // The platform has no DAY: a session-bound order must not be reported as good till cancelled.
  it.each(['day', 'opg', 'cls'])('leaves %s without a time in force rather than calling it GTC', (venue) => {
    expect(timeInForceOf(venue)).toBeUndefined();
    const state = toOrderState(order(venue));
    expect(state).not.toHaveProperty('timeInForce');
    expect(state).toMatchObject({ clientOrderId: 'cid-1', type: 'LIMIT', status: 'NEW', price: '189.5' });
  });
});
