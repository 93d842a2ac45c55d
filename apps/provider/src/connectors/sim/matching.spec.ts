import { SimErrorCode } from './errors';
import { balanceOf, harness } from './spec-helpers';

const spot = { marketType: 'spot', symbol: 'TESTUSDT' } as const;
const futures = { marketType: 'futures', symbol: 'TESTUSDT' } as const;

describe('sim matching: market orders', () => {
  it('walks the book level by level with a VWAP average price and taker fees', () => {
    const { ex } = harness();
    const { order, fills } = ex.placeOrder('a', { ...spot, side: 'BUY', type: 'MARKET', quantity: '2.5' });
    expect(fills.map((f) => [f.price, f.quantity, f.isMaker])).toEqual([
      ['100.01', '1', false],
      ['100.02', '1', false],
      ['100.03', '0.5', false],
    ]);
    expect(order).toMatchObject({
      status: 'FILLED',
      executedQty: '2.5',
      cumulativeQuoteQty: '250.045',
      avgPrice: '100.018',
      commission: '0.250045',
    });
    expect(balanceOf(ex, 'a', 'spot', 'USDT')).toMatchObject({ free: '9749.704955', locked: '0' });
    expect(balanceOf(ex, 'a', 'spot', 'TEST')).toMatchObject({ free: '12.5', locked: '0' });
  });

  it('sells into the bids', () => {
    const { ex } = harness();
    const { order, fills } = ex.placeOrder('a', { ...spot, side: 'SELL', type: 'MARKET', quantity: '1.5' });
    expect(fills.map((f) => [f.price, f.quantity])).toEqual([
      ['100', '1'],
      ['99.99', '0.5'],
    ]);
    expect(order.avgPrice).toBe('99.99666667');
    // proceeds 149.995 minus 0.1 % fee 0.149995
    expect(balanceOf(ex, 'a', 'spot', 'USDT')?.free).toBe('10149.845005');
  });

  it('fills what the book has and expires the rest (IOC semantics) when the order is larger than the book', () => {
    const { ex } = harness();
    const { order, fills } = ex.placeOrder('a', { ...spot, side: 'BUY', type: 'MARKET', quantity: '25' });
    expect(fills).toHaveLength(20);
    expect(order).toMatchObject({
      status: 'EXPIRED',
      executedQty: '20',
      reason: 'BOOK_EXHAUSTED',
      cumulativeQuoteQty: '2002.1',
    });
  });

  it('rejects a market buy the quote balance cannot pay for, fee included', () => {
    const { ex, rec } = harness({ balances: { spot: { USDT: '100.1' } } });
    expect(() => ex.placeOrder('a', { ...spot, side: 'BUY', type: 'MARKET', quantity: '1' })).toThrow(
      expect.objectContaining({ code: SimErrorCode.INSUFFICIENT_BALANCE }),
    );
    expect(rec.orders).toHaveLength(0);
    const ok = ex.placeOrder('a', { ...spot, side: 'BUY', type: 'MARKET', quantity: '0.999' });
    expect(ok.order.status).toBe('FILLED');
  });
});

describe('sim matching: limit orders', () => {
  it('rests, locks funds, and fills over several trades up to each trade size (partial fills)', () => {
    const { ex } = harness();
    const placed = ex.placeOrder('a', { ...spot, side: 'BUY', type: 'LIMIT', quantity: '3', price: '99.95' });
    expect(placed.order.status).toBe('NEW');
    expect(placed.fills).toHaveLength(0);
    expect(balanceOf(ex, 'a', 'spot', 'USDT')).toMatchObject({ free: '9699.85015', locked: '300.14985' });

    ex.setPrice('TESTUSDT', '99.95', { volume: '1' });
    expect(ex.getOrder('a', placed.order.id)).toMatchObject({ status: 'PARTIALLY_FILLED', executedQty: '1' });
    expect(balanceOf(ex, 'a', 'spot', 'USDT')).toMatchObject({ locked: '200.0999' });

    ex.setPrice('TESTUSDT', '99.94', { volume: '1.5' });
    expect(ex.getOrder('a', placed.order.id)).toMatchObject({ status: 'PARTIALLY_FILLED', executedQty: '2.5' });

    ex.setPrice('TESTUSDT', '99.9', { volume: '5' });
    const done = ex.getOrder('a', placed.order.id);
    expect(done).toMatchObject({ status: 'FILLED', executedQty: '3', avgPrice: '99.95', commission: '0.29985' });
    expect(balanceOf(ex, 'a', 'spot', 'USDT')).toMatchObject({ free: '9699.85015', locked: '0' });
    expect(balanceOf(ex, 'a', 'spot', 'TEST')).toMatchObject({ free: '13' });
  });

  it('does not fill on a print that does not reach the limit', () => {
    const { ex } = harness();
    const { order } = ex.placeOrder('a', { ...spot, side: 'SELL', type: 'LIMIT', quantity: '1', price: '100.5' });
    ex.setPrice('TESTUSDT', '100.49');
    expect(ex.getOrder('a', order.id)?.status).toBe('NEW');
    ex.setPrice('TESTUSDT', '100.5');
    expect(ex.getOrder('a', order.id)?.status).toBe('FILLED');
  });

  it('shares one print between resting orders best price first, then FIFO', () => {
    const { ex, rec } = harness();
    const first = ex.placeOrder('a', { ...spot, side: 'BUY', type: 'LIMIT', quantity: '1', price: '99.9' }).order;
    const second = ex.placeOrder('a', { ...spot, side: 'BUY', type: 'LIMIT', quantity: '1', price: '99.9' }).order;
    const better = ex.placeOrder('a', { ...spot, side: 'BUY', type: 'LIMIT', quantity: '1', price: '99.95' }).order;
    ex.setPrice('TESTUSDT', '99.8', { volume: '2.5' });
    expect(rec.fills.map((f) => [f.orderId, f.quantity, f.price])).toEqual([
      [better.id, '1', '99.95'],
      [first.id, '1', '99.9'],
      [second.id, '0.5', '99.9'],
    ]);
  });

  it('takes liquidity at taker fee when marketable on arrival, up to its price, then rests the rest', () => {
    const { ex } = harness();
    const { order, fills } = ex.placeOrder('a', {
      ...spot,
      side: 'BUY',
      type: 'LIMIT',
      quantity: '2.5',
      price: '100.02',
    });
    expect(fills.map((f) => [f.price, f.quantity, f.isMaker])).toEqual([
      ['100.01', '1', false],
      ['100.02', '1', false],
    ]);
    expect(order).toMatchObject({ status: 'PARTIALLY_FILLED', executedQty: '2' });
    expect(ex.openOrders('a', 'spot')).toHaveLength(1);
    ex.setPrice('TESTUSDT', '100.02');
    expect(ex.getOrder('a', order.id)).toMatchObject({ status: 'FILLED', executedQty: '2.5' });
  });

  it('expires the unfilled part of an IOC order', () => {
    const { ex } = harness();
    const { order } = ex.placeOrder('a', {
      ...spot,
      side: 'BUY',
      type: 'LIMIT',
      quantity: '1.5',
      price: '100.01',
      timeInForce: 'IOC',
    });
    expect(order).toMatchObject({ status: 'EXPIRED', executedQty: '1', reason: 'IOC_REMAINDER' });
    expect(balanceOf(ex, 'a', 'spot', 'USDT')?.locked).toBe('0');
  });

  it('fills a FOK order completely or not at all', () => {
    const { ex } = harness();
    const none = ex.placeOrder('a', {
      ...spot,
      side: 'BUY',
      type: 'LIMIT',
      quantity: '1.5',
      price: '100.01',
      timeInForce: 'FOK',
    });
    expect(none.order).toMatchObject({ status: 'EXPIRED', executedQty: '0', reason: 'FOK_NOT_FILLABLE' });
    expect(none.fills).toHaveLength(0);
    const all = ex.placeOrder('a', {
      ...spot,
      side: 'BUY',
      type: 'LIMIT',
      quantity: '1.5',
      price: '100.02',
      timeInForce: 'FOK',
    });
    expect(all.order).toMatchObject({ status: 'FILLED', executedQty: '1.5' });
    expect(balanceOf(ex, 'a', 'spot', 'USDT')?.locked).toBe('0');
  });

  it('rejects a LIMIT_MAKER that would take, rests one that would not', () => {
    const { ex, rec } = harness();
    expect(() =>
      ex.placeOrder('a', { ...spot, side: 'BUY', type: 'LIMIT_MAKER', quantity: '1', price: '100.01' }),
    ).toThrow(expect.objectContaining({ code: SimErrorCode.WOULD_TAKE }));
    expect(() =>
      ex.placeOrder('a', { ...spot, side: 'SELL', type: 'LIMIT_MAKER', quantity: '1', price: '100' }),
    ).toThrow(expect.objectContaining({ code: SimErrorCode.WOULD_TAKE }));
    expect(rec.orders).toHaveLength(0);
    const { order } = ex.placeOrder('a', { ...spot, side: 'BUY', type: 'LIMIT_MAKER', quantity: '1', price: '100' });
    expect(order.status).toBe('NEW');
    ex.setPrice('TESTUSDT', '100');
    expect(rec.fills.at(-1)).toMatchObject({ isMaker: true, price: '100' });
  });

  it('charges maker and taker fees at their own rates (futures 0.02 % / 0.05 %)', () => {
    const { ex } = harness();
    const taker = ex.placeOrder('f', { ...futures, side: 'BUY', type: 'MARKET', quantity: '1' });
    expect(taker.fills[0]).toMatchObject({
      price: '100.01',
      commission: '0.050005',
      isMaker: false,
      commissionAsset: 'USDT',
    });
    const maker = ex.placeOrder('f', { ...futures, side: 'SELL', type: 'LIMIT', quantity: '1', price: '101' });
    ex.setPrice('TESTUSDT', '101');
    const fill = ex.getOrder('f', maker.order.id);
    expect(fill).toMatchObject({ status: 'FILLED', commission: '0.0202' });
  });

  it('cancels a resting order, releases its funds, and refuses to cancel it twice', () => {
    const { ex } = harness();
    const { order } = ex.placeOrder('a', { ...spot, side: 'SELL', type: 'LIMIT', quantity: '2', price: '101' });
    expect(balanceOf(ex, 'a', 'spot', 'TEST')).toMatchObject({ free: '8', locked: '2' });
    expect(ex.cancelOrder('a', 'spot', order.id)).toMatchObject({ status: 'CANCELED', reason: 'USER_CANCEL' });
    expect(balanceOf(ex, 'a', 'spot', 'TEST')).toMatchObject({ free: '10', locked: '0' });
    expect(() => ex.cancelOrder('a', 'spot', order.id)).toThrow(
      expect.objectContaining({ code: SimErrorCode.ORDER_NOT_OPEN }),
    );
    expect(() => ex.cancelOrder('b', 'spot', order.id)).toThrow(
      expect.objectContaining({ code: SimErrorCode.UNKNOWN_ORDER }),
    );
    ex.setPrice('TESTUSDT', '102');
    expect(ex.getOrder('a', order.id)?.status).toBe('CANCELED');
  });

  it('reports fill, order, balances in that order for each fill', () => {
    const { ex, rec } = harness();
    ex.placeOrder('a', { ...spot, side: 'BUY', type: 'MARKET', quantity: '1' });
    const kinds = rec.log.map((line) => line.split(' ')[0]);
    expect(kinds).toEqual(['order', 'fill', 'order', 'balance', 'balance']);
  });
});
