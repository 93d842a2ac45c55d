import { SimErrorCode } from './errors';
import type { SimOrderRequest } from './types';
import { harness } from './spec-helpers';

const base: SimOrderRequest = {
  marketType: 'spot',
  symbol: 'TESTUSDT',
  side: 'BUY',
  type: 'LIMIT',
  quantity: '1',
  price: '99',
};

const rejects: [string, Partial<SimOrderRequest> | Record<string, unknown>, string][] = [
  ['unknown symbol', { symbol: 'NOPEUSDT' }, SimErrorCode.UNKNOWN_SYMBOL],
  ['unknown market', { marketType: 'margin' }, SimErrorCode.UNKNOWN_MARKET],
  ['price off the tick', { price: '99.005' }, SimErrorCode.PRICE_FILTER],
  ['price above maxPrice', { price: '100000.01' }, SimErrorCode.PRICE_FILTER],
  ['stopPrice off the tick', { type: 'STOP_LOSS_LIMIT', stopPrice: '98.001' }, SimErrorCode.PRICE_FILTER],
  ['quantity off the step', { quantity: '1.0005' }, SimErrorCode.LOT_SIZE],
  ['quantity above maxQty', { quantity: '1000.001' }, SimErrorCode.LOT_SIZE],
  ['notional below minimum', { quantity: '0.05' }, SimErrorCode.MIN_NOTIONAL],
  ['LIMIT without price', { price: undefined }, SimErrorCode.INVALID_ORDER],
  ['STOP_MARKET without stopPrice', { type: 'STOP_MARKET' }, SimErrorCode.INVALID_ORDER],
  ['STOP_LOSS_LIMIT without stopPrice', { type: 'STOP_LOSS_LIMIT' }, SimErrorCode.INVALID_ORDER],
  ['negative quantity', { quantity: '-1' }, SimErrorCode.INVALID_ORDER],
  ['quantity in exponent form', { quantity: '1e2' }, SimErrorCode.INVALID_ORDER],
  ['unknown side', { side: 'HOLD' }, SimErrorCode.INVALID_ORDER],
  ['unknown type', { type: 'ICEBERG' }, SimErrorCode.INVALID_ORDER],
  ['unknown timeInForce', { timeInForce: 'GTD' }, SimErrorCode.INVALID_ORDER],
  ['reduceOnly on spot', { reduceOnly: true }, SimErrorCode.INVALID_ORDER],
  ['malformed clientOrderId', { clientOrderId: 'has space' }, SimErrorCode.INVALID_ORDER],
  ['spot buy beyond the quote balance', { quantity: '101' }, SimErrorCode.INSUFFICIENT_BALANCE],
  [
    'spot sell beyond the base balance',
    { side: 'SELL', price: '101', quantity: '10.001' },
    SimErrorCode.INSUFFICIENT_BALANCE,
  ],
  [
    'futures margin beyond the wallet',
    { marketType: 'futures', quantity: '1000', price: '201' },
    SimErrorCode.INSUFFICIENT_BALANCE,
  ],
  ['reduce-only without a position', { marketType: 'futures', reduceOnly: true }, SimErrorCode.REDUCE_ONLY],
];

describe('sim order validation and exchange filters', () => {
  it.each(rejects)('rejects %s', (_label, patch, code) => {
    const { ex, rec } = harness();
    const before = JSON.stringify([ex.balances('a', 'spot'), ex.balances('a', 'futures')]);
    const request = { ...base, ...patch } as SimOrderRequest;
    let caught: unknown;
    try {
      ex.placeOrder('a', request);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ name: 'SimRejectError', code });
    expect((caught as Error).message.length).toBeGreaterThan(10);
    expect(rec.orders).toHaveLength(0);
    expect(JSON.stringify([ex.balances('a', 'spot'), ex.balances('a', 'futures')])).toBe(before);
    expect(ex.openOrders('a')).toHaveLength(0);
  });

  it('accepts numbers as well as decimal strings and reports canonical strings', () => {
    const { ex } = harness();
    const { order } = ex.placeOrder('a', { ...base, quantity: 1.5, price: 99.1 });
    expect(order).toMatchObject({ quantity: '1.5', price: '99.1' });
  });

  it('accepts a price exactly at the limits and a quantity exactly at minQty', () => {
    const { ex } = harness({ balances: { spot: { USDT: '1000000' } } });
    expect(ex.placeOrder('a', { ...base, quantity: '0.001', price: '99999' }).order.status).toBe('FILLED');
  });
});
