import { SimErrorCode } from './errors';
import type { SimExchange } from './exchange';
import { balanceOf, harness } from './spec-helpers';

const fut = { marketType: 'futures', symbol: 'TESTUSDT' } as const;

/**
 * Fills a futures order exactly at `price` as a maker: move the market one unit away so the
 * limit rests, then print the price.
 */
function fillAt(ex: SimExchange, side: 'BUY' | 'SELL', quantity: string, price: string, reduceOnly = false): void {
  const away = side === 'BUY' ? Number(price) + 1 : Number(price) - 1;
  ex.setPrice('TESTUSDT', away.toFixed(2));
  const { order } = ex.placeOrder('f', { ...fut, side, type: 'LIMIT', quantity, price, reduceOnly });
  ex.setPrice('TESTUSDT', price);
  expect(ex.getOrder('f', order.id)?.status).toBe('FILLED');
}

describe('sim futures positions', () => {
  it('opens a long and closes it with exact decimal PnL (entry 100, exit 110, qty 0.3 → 3)', () => {
    const { ex, rec } = harness();
    fillAt(ex, 'BUY', '0.3', '100');
    expect(ex.positions('f')).toEqual([
      expect.objectContaining({
        side: 'LONG',
        quantity: '0.3',
        entryPrice: '100',
        leverage: 20,
        initialMargin: '1.5',
        liquidationPrice: '95.4',
      }),
    ]);
    ex.setPrice('TESTUSDT', '105');
    expect(ex.positions('f')[0]?.unrealizedPnl).toBe('1.5');
    fillAt(ex, 'SELL', '0.3', '110');
    expect(rec.fills.at(-1)?.realizedPnl).toBe('3');
    expect(ex.positions('f')).toEqual([]);
    expect(rec.positions.at(-1)).toMatchObject({ quantity: '0', side: 'LONG', realizedPnl: '3' });
    // wallet: +3 PnL − maker fees 0.006 (open) and 0.0066 (close)
    expect(balanceOf(ex, 'f', 'futures', 'USDT')).toMatchObject({
      total: '10002.9874',
      free: '10002.9874',
      locked: '0',
    });
  });

  it('averages the entry on increase and keeps it on reduce', () => {
    const { ex, rec } = harness();
    ex.setLeverage('f', 'TESTUSDT', 5);
    fillAt(ex, 'BUY', '0.3', '100');
    fillAt(ex, 'BUY', '0.2', '110');
    expect(ex.positions('f')[0]).toMatchObject({ quantity: '0.5', entryPrice: '104', initialMargin: '10.4' });
    fillAt(ex, 'SELL', '0.1', '120');
    expect(rec.fills.at(-1)?.realizedPnl).toBe('1.6');
    expect(ex.positions('f')[0]).toMatchObject({ quantity: '0.4', entryPrice: '104', realizedPnl: '1.6' });
    fillAt(ex, 'SELL', '0.4', '100');
    expect(rec.fills.at(-1)?.realizedPnl).toBe('-1.6');
    expect(rec.positions.at(-1)).toMatchObject({ quantity: '0', realizedPnl: '0' });
  });

  it('realises a short exactly and flips through zero into the other side', () => {
    const { ex, rec } = harness();
    fillAt(ex, 'SELL', '0.3', '110');
    expect(ex.positions('f')[0]).toMatchObject({ side: 'SHORT', quantity: '0.3', liquidationPrice: '115.06' });
    fillAt(ex, 'BUY', '0.5', '100');
    expect(rec.fills.at(-1)?.realizedPnl).toBe('3');
    expect(ex.positions('f')).toEqual([
      expect.objectContaining({ side: 'LONG', quantity: '0.2', entryPrice: '100', realizedPnl: '0' }),
    ]);
  });

  it('reserves margin for resting orders and refuses orders the available balance cannot cover', () => {
    const { ex } = harness();
    ex.setLeverage('f', 'TESTUSDT', 1);
    const { order } = ex.placeOrder('f', { ...fut, side: 'BUY', type: 'LIMIT', quantity: '50', price: '99' });
    expect(balanceOf(ex, 'f', 'futures', 'USDT')).toMatchObject({ total: '10000', locked: '4950', free: '5050' });
    expect(() => ex.placeOrder('f', { ...fut, side: 'BUY', type: 'LIMIT', quantity: '52', price: '98' })).toThrow(
      expect.objectContaining({ code: SimErrorCode.INSUFFICIENT_BALANCE }),
    );
    ex.cancelOrder('f', 'futures', order.id);
    expect(balanceOf(ex, 'f', 'futures', 'USDT')).toMatchObject({ locked: '0', free: '10000' });
  });

  it('checks a market order against the margin of its whole walk through the book, not of the best level', () => {
    // Best ask 100.01, one unit per level, one tick apart: 20 units cost 2002.1 (VWAP 100.105), fee 1.00105.
    const { ex } = harness({ balances: { futures: { USDT: '2001.3' } } });
    ex.setLeverage('f', 'TESTUSDT', 1);
    expect(() => ex.placeOrder('f', { ...fut, side: 'BUY', type: 'MARKET', quantity: '20' })).toThrow(
      expect.objectContaining({ code: SimErrorCode.INSUFFICIENT_BALANCE }),
    );
    ex.createAccount('g', { futures: { USDT: '2003.2' } });
    ex.setLeverage('g', 'TESTUSDT', 1);
    const { order } = ex.placeOrder('g', { ...fut, side: 'BUY', type: 'MARKET', quantity: '20' });
    expect(order).toMatchObject({ status: 'FILLED', cumulativeQuoteQty: '2002.1' });
    expect(balanceOf(ex, 'g', 'futures', 'USDT')).toMatchObject({ free: '0.09895', locked: '2002.1' });
  });

  it('needs no margin to close: a full-size closing order is accepted on a fully used wallet', () => {
    const { ex } = harness({ balances: { futures: { USDT: '100' } } });
    ex.setLeverage('f', 'TESTUSDT', 1);
    fillAt(ex, 'BUY', '0.99', '100');
    expect(balanceOf(ex, 'f', 'futures', 'USDT')).toMatchObject({ free: '0.9802', locked: '99' });
    const { order } = ex.placeOrder('f', { ...fut, side: 'SELL', type: 'MARKET', quantity: '0.99' });
    expect(order.status).toBe('FILLED');
    expect(ex.positions('f')).toEqual([]);
  });

  it('a closing order placed without margin cannot open a position once the position it closed is gone', () => {
    const { ex } = harness({ balances: { futures: { USDT: '100' } } });
    ex.setLeverage('f', 'TESTUSDT', 1);
    fillAt(ex, 'BUY', '0.9', '100');
    // Closes the long when placed, so it reserves nothing.
    const { order } = ex.placeOrder('f', { ...fut, side: 'SELL', type: 'LIMIT', quantity: '0.9', price: '120' });
    expect(balanceOf(ex, 'f', 'futures', 'USDT')).toMatchObject({ locked: '90' });
    ex.placeOrder('f', { ...fut, side: 'SELL', type: 'MARKET', quantity: '0.9' });
    expect(ex.positions('f')).toEqual([]);
    // Now it would open a 108 USDT short on about 10 USDT of available margin.
    ex.setPrice('TESTUSDT', '120');
    expect(ex.getOrder('f', order.id)).toMatchObject({
      status: 'EXPIRED',
      executedQty: '0',
      reason: 'INSUFFICIENT_BALANCE',
    });
    expect(ex.positions('f')).toEqual([]);
    const usdt = balanceOf(ex, 'f', 'futures', 'USDT');
    expect(usdt).toMatchObject({ locked: '0' });
    expect(Number(usdt?.free)).toBeGreaterThan(0);
  });

  it('a closing order still opens the rest when the margin for it is available', () => {
    const { ex, rec } = harness();
    ex.setLeverage('f', 'TESTUSDT', 1);
    fillAt(ex, 'BUY', '0.9', '100');
    const { order } = ex.placeOrder('f', { ...fut, side: 'SELL', type: 'LIMIT', quantity: '0.9', price: '120' });
    ex.placeOrder('f', { ...fut, side: 'SELL', type: 'MARKET', quantity: '0.9' });
    ex.setPrice('TESTUSDT', '120');
    expect(ex.getOrder('f', order.id)).toMatchObject({ status: 'FILLED', executedQty: '0.9' });
    expect(ex.positions('f')[0]).toMatchObject({ side: 'SHORT', quantity: '0.9', initialMargin: '108' });
    expect(rec.fills.at(-1)?.isMaker).toBe(true);
  });

  it('reduce-only: refuses to grow a position, clamps to its size and expires the rest', () => {
    const { ex } = harness();
    fillAt(ex, 'BUY', '0.3', '100');
    expect(() =>
      ex.placeOrder('f', { ...fut, side: 'BUY', type: 'MARKET', quantity: '0.1', reduceOnly: true }),
    ).toThrow(expect.objectContaining({ code: SimErrorCode.REDUCE_ONLY }));
    const { order, fills } = ex.placeOrder('f', {
      ...fut,
      side: 'SELL',
      type: 'MARKET',
      quantity: '0.5',
      reduceOnly: true,
    });
    expect(fills.map((f) => f.quantity)).toEqual(['0.3']);
    expect(order).toMatchObject({ status: 'EXPIRED', executedQty: '0.3', reason: 'REDUCE_ONLY' });
    expect(ex.positions('f')).toEqual([]);
  });

  it('setLeverage validates its range and re-margins an open position', () => {
    const { ex } = harness();
    for (const bad of [0, 126, 2.5]) {
      expect(() => ex.setLeverage('f', 'TESTUSDT', bad)).toThrow(
        expect.objectContaining({ code: SimErrorCode.INVALID_LEVERAGE }),
      );
    }
    expect(() => ex.setLeverage('f', 'NOPE', 5)).toThrow(
      expect.objectContaining({ code: SimErrorCode.UNKNOWN_SYMBOL }),
    );
    fillAt(ex, 'BUY', '1', '100');
    expect(ex.positions('f')[0]?.initialMargin).toBe('5');
    expect(ex.setLeverage('f', 'TESTUSDT', 4)).toEqual({ symbol: 'TESTUSDT', leverage: 4 });
    expect(ex.positions('f')[0]).toMatchObject({ leverage: 4, initialMargin: '25', liquidationPrice: '75.4' });
  });

  it('setLeverage re-margins resting orders too, and refuses a leverage their margin cannot cover', () => {
    const { ex } = harness({ balances: { futures: { USDT: '100' } } });
    const { order } = ex.placeOrder('f', { ...fut, side: 'BUY', type: 'LIMIT', quantity: '1.5', price: '99' });
    expect(balanceOf(ex, 'f', 'futures', 'USDT')).toMatchObject({ locked: '7.425', free: '92.575' });
    ex.setLeverage('f', 'TESTUSDT', 2);
    expect(ex.getOrder('f', order.id)?.leverage).toBe(2);
    expect(balanceOf(ex, 'f', 'futures', 'USDT')).toMatchObject({ locked: '74.25', free: '25.75' });
    expect(() => ex.setLeverage('f', 'TESTUSDT', 1)).toThrow(
      expect.objectContaining({ code: SimErrorCode.INSUFFICIENT_BALANCE }),
    );
    expect(ex.leverage('f', 'TESTUSDT')).toBe(2);
    expect(ex.getOrder('f', order.id)?.leverage).toBe(2);
    expect(balanceOf(ex, 'f', 'futures', 'USDT')).toMatchObject({ locked: '74.25', free: '25.75' });
    ex.setPrice('TESTUSDT', '99');
    expect(ex.positions('f')[0]).toMatchObject({ leverage: 2, initialMargin: '74.25' });
    expect(Number(balanceOf(ex, 'f', 'futures', 'USDT')?.free)).toBeGreaterThan(0);
    ex.setLeverage('f', 'TESTUSDT', 20);
    expect(balanceOf(ex, 'f', 'futures', 'USDT')).toMatchObject({ locked: '7.425' });
  });

  it('liquidates at the liquidation price, cancels the symbol orders, and loses exactly the initial margin', () => {
    const { ex, rec } = harness();
    fillAt(ex, 'BUY', '1', '100');
    const walletBefore = balanceOf(ex, 'f', 'futures', 'USDT')?.total;
    expect(walletBefore).toBe('9999.98');
    const tp = ex.placeOrder('f', {
      ...fut,
      side: 'SELL',
      type: 'LIMIT',
      quantity: '1',
      price: '110',
      reduceOnly: true,
    }).order;
    ex.setPrice('TESTUSDT', '95.41');
    expect(ex.positions('f')).toHaveLength(1);
    ex.setPrice('TESTUSDT', '95');
    expect(ex.positions('f')).toEqual([]);
    expect(ex.getOrder('f', tp.id)).toMatchObject({ status: 'CANCELED', reason: 'LIQUIDATION' });
    expect(rec.fills.at(-1)).toMatchObject({
      isLiquidation: true,
      price: '95.4',
      realizedPnl: '-4.6',
      commission: '0.4',
    });
    expect(balanceOf(ex, 'f', 'futures', 'USDT')).toMatchObject({ total: '9994.98', locked: '0' });
  });
});
