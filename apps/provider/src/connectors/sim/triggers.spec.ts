import { SimErrorCode } from './errors';
import type { SimOrderRequest } from './types';
import { harness } from './spec-helpers';

const fut = { marketType: 'futures', symbol: 'TESTUSDT', quantity: '1' } as const;

type Case = [
  label: string,
  request: Omit<SimOrderRequest, 'marketType' | 'symbol' | 'quantity'>,
  notYet: string,
  fires: string,
  fillPrice: string,
];

/** From a last price of 100; `notYet` moves toward the trigger without reaching it. */
const cases: Case[] = [
  [
    'BUY STOP_MARKET fires at >= stop',
    { side: 'BUY', type: 'STOP_MARKET', stopPrice: '101' },
    '100.99',
    '101',
    '101.01',
  ],
  ['SELL STOP_MARKET fires at <= stop', { side: 'SELL', type: 'STOP_MARKET', stopPrice: '99' }, '99.01', '99', '99'],
  [
    'BUY TAKE_PROFIT_MARKET fires at <= stop',
    { side: 'BUY', type: 'TAKE_PROFIT_MARKET', stopPrice: '99' },
    '99.01',
    '99',
    '99.01',
  ],
  [
    'SELL TAKE_PROFIT_MARKET fires at >= stop',
    { side: 'SELL', type: 'TAKE_PROFIT_MARKET', stopPrice: '101' },
    '100.99',
    '101',
    '101',
  ],
  [
    'BUY STOP (limit) fires at >= stop',
    { side: 'BUY', type: 'STOP', stopPrice: '101', price: '101.5' },
    '100.99',
    '101',
    '101.01',
  ],
  [
    'SELL STOP_LOSS_LIMIT fires at <= stop',
    { side: 'SELL', type: 'STOP_LOSS_LIMIT', stopPrice: '99', price: '98.9' },
    '99.01',
    '99',
    '99',
  ],
  [
    'BUY TAKE_PROFIT_LIMIT fires at <= stop',
    { side: 'BUY', type: 'TAKE_PROFIT_LIMIT', stopPrice: '99', price: '99.05' },
    '99.01',
    '99',
    '99.01',
  ],
  [
    'SELL TAKE_PROFIT (limit) fires at >= stop',
    { side: 'SELL', type: 'TAKE_PROFIT', stopPrice: '101', price: '100.9' },
    '100.99',
    '101',
    '101',
  ],
];

describe('sim conditional orders', () => {
  it.each(cases)('%s', (_label, request, notYet, fires, fillPrice) => {
    const { ex, rec } = harness();
    const { order } = ex.placeOrder('f', { ...fut, ...request });
    expect(order).toMatchObject({ status: 'PENDING_TRIGGER', triggered: false });
    ex.setPrice('TESTUSDT', notYet);
    expect(ex.getOrder('f', order.id)?.status).toBe('PENDING_TRIGGER');
    ex.setPrice('TESTUSDT', fires);
    const updates = rec.orders.filter((o) => o.id === order.id).map((o) => `${o.status}:${o.triggered}`);
    expect(updates).toEqual(['PENDING_TRIGGER:false', 'NEW:true', 'FILLED:true']);
    expect(rec.fills.filter((f) => f.orderId === order.id).map((f) => [f.price, f.isMaker])).toEqual([
      [fillPrice, false],
    ]);
  });

  it('turns a stop-limit into a resting LIMIT when its price is not marketable after the trigger', () => {
    const { ex } = harness();
    const { order } = ex.placeOrder('f', {
      ...fut,
      side: 'SELL',
      type: 'STOP_LOSS_LIMIT',
      stopPrice: '99',
      price: '99.5',
    });
    ex.setPrice('TESTUSDT', '99');
    expect(ex.getOrder('f', order.id)).toMatchObject({ status: 'NEW', triggered: true, executedQty: '0' });
    ex.setPrice('TESTUSDT', '99.5');
    expect(ex.getOrder('f', order.id)).toMatchObject({ status: 'FILLED', avgPrice: '99.5' });
  });

  it('takes a TAKE_PROFIT given only a price as its stop price too (reference mapping)', () => {
    const { ex } = harness();
    const { order } = ex.placeOrder('f', { ...fut, side: 'SELL', type: 'TAKE_PROFIT', price: '101' });
    expect(order).toMatchObject({ stopPrice: '101', price: '101' });
  });

  it('fires only the stops the price actually reaches', () => {
    const { ex } = harness();
    const ids = ['99', '98', '97'].map(
      (stop) => ex.placeOrder('f', { ...fut, side: 'SELL', type: 'STOP_MARKET', stopPrice: stop }).order.id,
    );
    ex.setPrice('TESTUSDT', '98.5');
    expect(ids.map((id) => ex.getOrder('f', id)?.status)).toEqual(['FILLED', 'PENDING_TRIGGER', 'PENDING_TRIGGER']);
    ex.setPrice('TESTUSDT', '96');
    expect(ids.map((id) => ex.getOrder('f', id)?.status)).toEqual(['FILLED', 'FILLED', 'FILLED']);
  });

  it('rejects a stop whose trigger is already reached, or fires it at once when configured to', () => {
    const { ex } = harness();
    expect(() => ex.placeOrder('f', { ...fut, side: 'BUY', type: 'STOP_MARKET', stopPrice: '99' })).toThrow(
      expect.objectContaining({ code: SimErrorCode.WOULD_TRIGGER_IMMEDIATELY }),
    );
    const eager = harness({ immediateTrigger: 'trigger' }).ex;
    const { order, fills } = eager.placeOrder('f', { ...fut, side: 'BUY', type: 'STOP_MARKET', stopPrice: '99' });
    expect(order).toMatchObject({ status: 'FILLED', triggered: true });
    expect(fills).toHaveLength(1);
  });

  it('reserves funds for an armed spot stop and spends them when it fires', () => {
    const { ex } = harness();
    ex.placeOrder('a', {
      marketType: 'spot',
      symbol: 'TESTUSDT',
      side: 'SELL',
      type: 'STOP_LOSS_LIMIT',
      quantity: '2',
      stopPrice: '99',
      price: '98',
    });
    expect(ex.balances('a', 'spot').find((b) => b.asset === 'TEST')).toMatchObject({ free: '8', locked: '2' });
    ex.setPrice('TESTUSDT', '99');
    expect(ex.balances('a', 'spot').find((b) => b.asset === 'TEST')).toMatchObject({ free: '8', locked: '0' });
  });
});

describe('sim trailing stops', () => {
  it('SELL: tracks the highest price since arming and fires callbackRate % below it', () => {
    const { ex, rec } = harness();
    const { order } = ex.placeOrder('f', { ...fut, side: 'SELL', type: 'TRAILING_STOP_MARKET', callbackRate: '1' });
    expect(order).toMatchObject({ status: 'PENDING_TRIGGER', trailingTriggerPrice: '99' });
    for (const price of ['101', '102', '103']) ex.setPrice('TESTUSDT', price);
    expect(ex.getOrder('f', order.id)?.trailingTriggerPrice).toBe('101.97');
    ex.setPrice('TESTUSDT', '102.5');
    ex.setPrice('TESTUSDT', '101.98');
    expect(ex.getOrder('f', order.id)?.status).toBe('PENDING_TRIGGER');
    ex.setPrice('TESTUSDT', '101.97');
    expect(ex.getOrder('f', order.id)).toMatchObject({ status: 'FILLED', triggered: true });
    expect(rec.fills.at(-1)).toMatchObject({ side: 'SELL', price: '101.97' });
  });

  it('BUY with an activation price: arms only when the price reaches it, then tracks the lowest', () => {
    const { ex } = harness();
    const { order } = ex.placeOrder('f', {
      ...fut,
      side: 'BUY',
      type: 'TRAILING_STOP_MARKET',
      callbackRate: '1',
      activationPrice: '95',
    });
    expect(order.trailingTriggerPrice).toBeNull();
    ex.setPrice('TESTUSDT', '97');
    ex.setPrice('TESTUSDT', '98.5');
    expect(ex.getOrder('f', order.id)).toMatchObject({ status: 'PENDING_TRIGGER', trailingTriggerPrice: null });
    ex.setPrice('TESTUSDT', '95');
    ex.setPrice('TESTUSDT', '94');
    expect(ex.getOrder('f', order.id)?.trailingTriggerPrice).toBe('94.94');
    ex.setPrice('TESTUSDT', '94.93');
    expect(ex.getOrder('f', order.id)?.status).toBe('PENDING_TRIGGER');
    ex.setPrice('TESTUSDT', '94.94');
    expect(ex.getOrder('f', order.id)?.status).toBe('FILLED');
  });

  it.each([
    ['missing', {}],
    ['too small', { callbackRate: '0.05' }],
    ['too large', { callbackRate: '10.5' }],
    ['finer than 0.1', { callbackRate: '1.25' }],
  ])('rejects a callbackRate that is %s', (_label, extra) => {
    const { ex } = harness();
    expect(() => ex.placeOrder('f', { ...fut, side: 'SELL', type: 'TRAILING_STOP_MARKET', ...extra })).toThrow(
      expect.objectContaining({ code: SimErrorCode.INVALID_ORDER }),
    );
  });
});
