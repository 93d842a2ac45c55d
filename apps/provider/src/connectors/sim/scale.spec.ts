import Decimal from 'decimal.js';
import { createRng, seedRngState } from './prng';
import { balanceOf, harness } from './spec-helpers';

const spot = { marketType: 'spot', symbol: 'TESTUSDT' } as const;

describe('sim with 10,000 resting orders', () => {
  it('places, cancels and fills them in price-time priority with exact balances', () => {
    const { ex, rec } = harness({
      balances: { spot: { USDT: '1000000000', TEST: '1000000' }, futures: { USDT: '1000000000' } },
    });
    const rng = createRng(seedRngState(3, 'scale'));
    const placed: { id: string; side: 'BUY' | 'SELL'; price: string; qty: string }[] = [];
    for (let i = 0; i < 10_000; i++) {
      const side = i % 2 === 0 ? 'BUY' : 'SELL';
      const ticks = 1 + Math.floor(rng.next() * 1000);
      const price = (side === 'BUY' ? 9_000 + ticks : 10_010 + ticks) / 100;
      const qty = ((60 + Math.floor(rng.next() * 1000)) / 1000).toFixed(3);
      const { order } = ex.placeOrder('a', { ...spot, side, type: 'LIMIT', quantity: qty, price: price.toFixed(2) });
      expect(order.status).toBe('NEW');
      placed.push({ id: order.id, side, price: order.price as string, qty });
    }
    expect(ex.openOrders('a')).toHaveLength(10_000);

    const cancelled = new Set(placed.filter(() => rng.next() < 0.3).map((o) => o.id));
    for (const id of cancelled) expect(ex.cancelOrder('a', 'spot', id).status).toBe('CANCELED');
    const live = placed.filter((o) => !cancelled.has(o.id));
    expect(ex.openOrders('a')).toHaveLength(live.length);

    const buys = live.filter((o) => o.side === 'BUY');
    const sells = live.filter((o) => o.side === 'SELL');
    const lockedQuote = buys.reduce((sum, o) => sum.plus(new Decimal(o.qty).mul(o.price).mul('1.001')), new Decimal(0));
    const lockedBase = sells.reduce((sum, o) => sum.plus(o.qty), new Decimal(0));
    expect(balanceOf(ex, 'a', 'spot', 'USDT')?.locked).toBe(lockedQuote.toFixed());
    expect(balanceOf(ex, 'a', 'spot', 'TEST')?.locked).toBe(lockedBase.toFixed());

    const mark = rec.fills.length;
    ex.setPrice('TESTUSDT', '89');
    const buyFills = rec.fills.slice(mark);
    expect(buyFills).toHaveLength(buys.length);
    const expectedBuyOrder = [...buys]
      .sort((x, y) => Number(y.price) - Number(x.price) || Number(x.id) - Number(y.id))
      .map((o) => o.id);
    expect(buyFills.map((f) => f.orderId)).toEqual(expectedBuyOrder);
    expect(balanceOf(ex, 'a', 'spot', 'USDT')?.locked).toBe('0');

    const mark2 = rec.fills.length;
    ex.setPrice('TESTUSDT', '111');
    const sellFills = rec.fills.slice(mark2);
    const expectedSellOrder = [...sells]
      .sort((x, y) => Number(x.price) - Number(y.price) || Number(x.id) - Number(y.id))
      .map((o) => o.id);
    expect(sellFills.map((f) => f.orderId)).toEqual(expectedSellOrder);
    expect(ex.openOrders('a')).toHaveLength(0);

    const bought = buys.reduce((sum, o) => sum.plus(o.qty), new Decimal(0));
    expect(balanceOf(ex, 'a', 'spot', 'TEST')).toMatchObject({
      locked: '0',
      free: new Decimal('1000000').plus(bought).minus(lockedBase).toFixed(),
    });
  });

  it('fires thousands of armed stops in trigger order, touching only those the price reaches', () => {
    const { ex, rec } = harness({ balances: { futures: { USDT: '1000000000' } } });
    const ids: string[] = [];
    for (let i = 0; i < 2_000; i++) {
      const stop = (9_999 - (i % 500)).toString();
      ids.push(
        ex.placeOrder('f', {
          marketType: 'futures',
          symbol: 'TESTUSDT',
          side: 'SELL',
          type: 'STOP_MARKET',
          quantity: '0.06',
          stopPrice: `${stop.slice(0, 2)}.${stop.slice(2)}`,
        }).order.id,
      );
    }
    ex.setPrice('TESTUSDT', '97.5');
    const fired = rec.orders.filter((o) => o.status === 'FILLED');
    // Stops 99.99 … 97.50 (250 levels × 4 orders) fired; 97.49 … 95.00 still armed.
    expect(fired).toHaveLength(1_000);
    expect(ex.openOrders('f')).toHaveLength(1_000);
    const stops = fired.map((o) => Number(o.stopPrice));
    expect(stops).toEqual([...stops].sort((x, y) => y - x));
    expect(ids).toHaveLength(2_000);
  });
});
