import { SimErrorCode } from './errors';
import { balanceOf, harness } from './spec-helpers';

const spot = { marketType: 'spot', symbol: 'TESTUSDT' } as const;

describe('sim spot balances', () => {
  it('locks quote for a resting BUY (fee included) and base for a resting SELL, and unlocks on cancel', () => {
    const { ex, rec } = harness();
    const buy = ex.placeOrder('a', { ...spot, side: 'BUY', type: 'LIMIT', quantity: '2', price: '99' }).order;
    const sell = ex.placeOrder('a', { ...spot, side: 'SELL', type: 'LIMIT', quantity: '3', price: '101' }).order;
    expect(balanceOf(ex, 'a', 'spot', 'USDT')).toMatchObject({ free: '9801.802', locked: '198.198', total: '10000' });
    expect(balanceOf(ex, 'a', 'spot', 'TEST')).toMatchObject({ free: '7', locked: '3', total: '10' });
    expect(rec.balances.map((b) => `${b.asset}:${b.locked}`)).toEqual(['USDT:198.198', 'TEST:3']);
    ex.cancelOrder('a', 'spot', buy.id);
    ex.cancelOrder('a', 'spot', sell.id);
    expect(balanceOf(ex, 'a', 'spot', 'USDT')).toMatchObject({ free: '10000', locked: '0' });
    expect(balanceOf(ex, 'a', 'spot', 'TEST')).toMatchObject({ free: '10', locked: '0' });
  });

  it('spends the lock on fill and returns the excess when the fill is at a better price', () => {
    const { ex } = harness();
    // Locked 1 × 100.05 × 1.001; filled at the ask 100.01: cost 100.01 + fee 0.10001.
    const { order } = ex.placeOrder('a', { ...spot, side: 'BUY', type: 'LIMIT', quantity: '1', price: '100.05' });
    expect(order.status).toBe('FILLED');
    expect(balanceOf(ex, 'a', 'spot', 'USDT')).toMatchObject({ free: '9899.88999', locked: '0' });
    expect(balanceOf(ex, 'a', 'spot', 'TEST')).toMatchObject({ free: '11', locked: '0' });
  });

  it('locks enough for the maker fee too when it is the higher rate, so a maker fill never overdraws', () => {
    const { ex } = harness({
      balances: { spot: { USDT: '99.2' } },
      fees: { spot: { maker: '0.002', taker: '0.001' }, futures: { maker: '0.0002', taker: '0.0005' } },
    });
    // 1 × 99 × 1.002 = 99.198 is reserved: the order can only fill as a maker at 99.
    const { order } = ex.placeOrder('a', { ...spot, side: 'BUY', type: 'LIMIT', quantity: '1', price: '99' });
    expect(balanceOf(ex, 'a', 'spot', 'USDT')).toMatchObject({ free: '0.002', locked: '99.198' });
    ex.setPrice('TESTUSDT', '99');
    expect(ex.getOrder('a', order.id)).toMatchObject({ status: 'FILLED', commission: '0.198' });
    expect(balanceOf(ex, 'a', 'spot', 'USDT')).toMatchObject({ free: '0.002', locked: '0', total: '0.002' });
  });

  it('counts locked funds as unavailable for the next order', () => {
    const { ex } = harness({ balances: { spot: { USDT: '200' } } });
    ex.placeOrder('a', { ...spot, side: 'BUY', type: 'LIMIT', quantity: '1.5', price: '99' });
    expect(() => ex.placeOrder('a', { ...spot, side: 'BUY', type: 'LIMIT', quantity: '0.6', price: '99' })).toThrow(
      expect.objectContaining({ code: SimErrorCode.INSUFFICIENT_BALANCE }),
    );
  });

  it('cancelAll cancels only the chosen market and symbol', () => {
    const { ex } = harness();
    ex.placeOrder('a', { ...spot, side: 'BUY', type: 'LIMIT', quantity: '1', price: '99' });
    ex.placeOrder('a', { ...spot, side: 'BUY', type: 'LIMIT', quantity: '1', price: '98' });
    ex.placeOrder('a', {
      marketType: 'futures',
      symbol: 'TESTUSDT',
      side: 'BUY',
      type: 'LIMIT',
      quantity: '1',
      price: '98',
    });
    expect(ex.cancelAll('a', 'spot').map((o) => o.status)).toEqual(['CANCELED', 'CANCELED']);
    expect(ex.openOrders('a').map((o) => o.marketType)).toEqual(['futures']);
  });
});

describe('sim accounts', () => {
  it('isolates accounts: each starts from the configured balances and trades alone', () => {
    const { ex } = harness();
    ex.placeOrder('one', { ...spot, side: 'BUY', type: 'MARKET', quantity: '1' });
    expect(balanceOf(ex, 'two', 'spot', 'USDT')?.free).toBe('10000');
    expect(ex.openOrders('two')).toEqual([]);
    expect(ex.accountIds()).toEqual(['one', 'two']);
  });

  it('creates an account with its own balances once, and refuses bad ids', () => {
    const { ex } = harness();
    ex.createAccount('backtest-1', { spot: { USDT: '500' }, futures: { USDT: '250' } });
    expect(ex.balances('backtest-1', 'spot')).toEqual([expect.objectContaining({ asset: 'USDT', free: '500' })]);
    expect(ex.balances('backtest-1', 'futures')).toEqual([
      expect.objectContaining({ asset: 'USDT', free: '250', total: '250' }),
    ]);
    expect(() => ex.createAccount('backtest-1')).toThrow(
      expect.objectContaining({ code: SimErrorCode.ACCOUNT_EXISTS }),
    );
    expect(() => ex.createAccount('bad id')).toThrow(expect.objectContaining({ code: SimErrorCode.INVALID_ARGUMENT }));
    expect(() => ex.createAccount('neg', { spot: { USDT: '-1' } })).toThrow(
      expect.objectContaining({ code: SimErrorCode.INVALID_ARGUMENT }),
    );
  });
});

describe('sim clientOrderId idempotency', () => {
  it('returns the first order for a repeated clientOrderId and never places a second one', () => {
    const { ex, rec } = harness();
    const request = {
      ...spot,
      side: 'BUY',
      type: 'LIMIT',
      quantity: '1',
      price: '99',
      clientOrderId: 'bot-42',
    } as const;
    const first = ex.placeOrder('a', request);
    const events = rec.log.length;
    const again = ex.placeOrder('a', { ...request, quantity: '5' });
    expect(again).toEqual({ order: first.order, fills: [], duplicate: true });
    expect(rec.log).toHaveLength(events);
    expect(ex.openOrders('a')).toHaveLength(1);
    ex.setPrice('TESTUSDT', '99');
    expect(ex.placeOrder('a', request).order).toMatchObject({ id: first.order.id, status: 'FILLED' });
    expect(ex.getOrderByClientId('a', 'bot-42')?.id).toBe(first.order.id);
  });

  it('scopes client ids per account and mints unique ones when none is given', () => {
    const { ex } = harness();
    const a = ex.placeOrder('a', {
      ...spot,
      side: 'BUY',
      type: 'LIMIT',
      quantity: '1',
      price: '99',
      clientOrderId: 'same',
    });
    const b = ex.placeOrder('b', {
      ...spot,
      side: 'BUY',
      type: 'LIMIT',
      quantity: '1',
      price: '99',
      clientOrderId: 'same',
    });
    expect(a.order.id).not.toBe(b.order.id);
    // The caller already used what the minter would produce first.
    ex.placeOrder('a', { ...spot, side: 'BUY', type: 'LIMIT', quantity: '1', price: '98', clientOrderId: 'sim-1' });
    const minted = ex.placeOrder('a', { ...spot, side: 'BUY', type: 'LIMIT', quantity: '1', price: '97' });
    expect(minted).toMatchObject({ duplicate: false, order: { clientOrderId: 'sim-2', price: '97' } });
  });

  it('a rejected request leaves its clientOrderId free for a corrected retry', () => {
    const { ex } = harness();
    expect(() =>
      ex.placeOrder('a', { ...spot, side: 'BUY', type: 'LIMIT', quantity: '1', price: '99.001', clientOrderId: 'x1' }),
    ).toThrow();
    expect(
      ex.placeOrder('a', { ...spot, side: 'BUY', type: 'LIMIT', quantity: '1', price: '99', clientOrderId: 'x1' })
        .duplicate,
    ).toBe(false);
  });
});
