import { AlpacaOrderSchema } from './alpaca-schemas';
import { timeInForceOf, toOrderBody, toOrderState } from './alpaca-mappers';

const order = (time_in_force: string) =>
  AlpacaOrderSchema.parse({
    id: 'ord-1',
    client_order_id: 'cid-1',
    symbol: 'AAPL',
    created_at: '2026-01-05T15:00:00Z',
    updated_at: null,
    qty: '3',
    filled_qty: '0',
    filled_avg_price: null,
    type: 'limit',
    side: 'buy',
    time_in_force,
    limit_price: '189.5',
    stop_price: null,
    status: 'new',
  });

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

describe('alpaca order body', () => {
  const req = {
    clientOrderId: 'c1',
    symbol: 'BTCUSD',
    side: 'BUY' as const,
    type: 'LIMIT' as const,
    quantity: '0.01',
    price: '90000',
  };

  it('sends what was asked: crypto IOC stays IOC, no time in force is gtc for crypto and day for stocks', () => {
    expect(toOrderBody({ ...req, timeInForce: 'IOC' }, 'BTC/USD')).toMatchObject({
      type: 'limit',
      time_in_force: 'ioc',
    });
    expect(toOrderBody(req, 'BTC/USD')).toMatchObject({ time_in_force: 'gtc' });
    expect(toOrderBody({ ...req, symbol: 'AAPL' }, 'AAPL')).toMatchObject({ time_in_force: 'day' });
    expect(toOrderBody({ ...req, symbol: 'AAPL', timeInForce: 'FOK' }, 'AAPL')).toMatchObject({ time_in_force: 'fok' });
  });

  it.each([
    [
      { ...req, timeInForce: 'FOK' as const },
      'BTC/USD',
      'UNSUPPORTED_TIME_IN_FORCE',
      'time in force FOK is not offered by Alpaca for crypto',
    ],
    [
      { ...req, type: 'LIMIT_MAKER' as const },
      'BTC/USD',
      'UNSUPPORTED_ORDER_TYPE',
      'order type LIMIT_MAKER is not offered by Alpaca',
    ],
    [
      { ...req, type: 'LIMIT_MAKER' as const, symbol: 'AAPL' },
      'AAPL',
      'UNSUPPORTED_ORDER_TYPE',
      'order type LIMIT_MAKER is not offered by Alpaca',
    ],
    [
      { ...req, type: 'STOP_MARKET' as const, stopPrice: '80000' },
      'BTC/USD',
      'UNSUPPORTED_ORDER_TYPE',
      'order type STOP_MARKET is not offered by Alpaca for crypto',
    ],
  ])('refuses what Alpaca cannot honour, naming it (%#)', (order, venueSymbol, code, message) => {
    expect(() => toOrderBody(order, venueSymbol)).toThrow(
      expect.objectContaining({ code, invalidRequest: true, message: expect.stringContaining(message) }),
    );
  });
});
