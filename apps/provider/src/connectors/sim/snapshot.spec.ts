import { createSimClock } from './clock';
import { createSimExchange } from './exchange';
import type { SimExchange } from './exchange';
import { SimErrorCode } from './errors';
import { SimSnapshotSchema } from './snapshot';
import { T0, recorder } from './spec-helpers';

const round2 = (value: number): string => value.toFixed(2);

/** Resting limits near the price, stops, a trailing stop, a futures position and a scripted path. */
function before(ex: SimExchange): void {
  ex.step(30_000);
  const btc = Number(ex.lastPrice('spot', 'BTCUSDT'));
  for (const [account, offset] of [
    ['a', 15],
    ['b', 25],
    ['a', 40],
  ] as const) {
    ex.placeOrder(account, {
      marketType: 'spot',
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      quantity: '0.1',
      price: round2(btc - offset),
    });
    ex.placeOrder(account, {
      marketType: 'spot',
      symbol: 'BTCUSDT',
      side: 'SELL',
      type: 'LIMIT',
      quantity: '0.1',
      price: round2(btc + offset),
    });
  }
  ex.placeOrder('f', { marketType: 'futures', symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.2' });
  ex.placeOrder('f', {
    marketType: 'futures',
    symbol: 'BTCUSDT',
    side: 'SELL',
    type: 'STOP_MARKET',
    quantity: '0.1',
    stopPrice: round2(btc - 30),
    reduceOnly: true,
  });
  ex.placeOrder('f', {
    marketType: 'futures',
    symbol: 'BTCUSDT',
    side: 'SELL',
    type: 'TRAILING_STOP_MARKET',
    quantity: '0.1',
    callbackRate: '0.1',
  });
  ex.placeOrder('f', {
    marketType: 'futures',
    symbol: 'ETHUSDT',
    side: 'SELL',
    type: 'LIMIT',
    quantity: '1',
    price: '3010',
    clientOrderId: 'eth-tp',
  });
  ex.pushPricePath('ETHUSDT', ['3005', '3010', { price: '3012', volume: '0.5' }, '2990'], { intervalMs: 7_000 });
  ex.step(45_000);
}

function after(ex: SimExchange): void {
  ex.step(60_000);
  ex.placeOrder('b', { marketType: 'spot', symbol: 'SOLUSDT', side: 'BUY', type: 'MARKET', quantity: '3' });
  ex.placeOrder('f', {
    marketType: 'futures',
    symbol: 'ETHUSDT',
    side: 'SELL',
    type: 'LIMIT',
    quantity: '1',
    price: '3010',
    clientOrderId: 'eth-tp',
  });
  const open = ex.openOrders('a', 'spot');
  if (open[0] !== undefined) ex.cancelOrder('a', 'spot', open[0].id);
  ex.setPrice('BTCUSDT', round2(Number(ex.lastPrice('spot', 'BTCUSDT')) - 60));
  for (let i = 0; i < 8; i++) {
    const btc = Number(ex.lastPrice('futures', 'BTCUSDT'));
    ex.placeOrder('b', {
      marketType: 'futures',
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      quantity: '0.05',
      price: round2(btc - 5),
    });
    ex.placeOrder('b', {
      marketType: 'futures',
      symbol: 'BTCUSDT',
      side: 'SELL',
      type: 'LIMIT',
      quantity: '0.05',
      price: round2(btc + 5),
    });
    ex.step(20_000);
  }
  ex.step(120_000);
}

describe('sim snapshot and restore', () => {
  it('continuing after snapshot → JSON → restore gives exactly what continuing without a restart gives', () => {
    const straight = recorder();
    const a = createSimExchange({ seed: 21, clock: createSimClock({ startMs: T0 }), sink: straight.sink });
    before(a);
    const mark = straight.log.length;
    after(a);

    const first = recorder();
    const b = createSimExchange({ seed: 21, clock: createSimClock({ startMs: T0 }), sink: first.sink });
    before(b);
    const saved = JSON.parse(JSON.stringify(b.snapshot())) as unknown;
    expect(first.fills.length).toBeGreaterThan(0);
    expect(b.openOrders('a').length + b.openOrders('b').length + b.openOrders('f').length).toBeGreaterThan(3);

    const resumed = recorder();
    const c = createSimExchange({ seed: 999, clock: createSimClock({ startMs: 0, paused: true }), sink: resumed.sink });
    c.restore(saved);
    expect(c.now()).toBe(b.now());
    expect(c.isPaused()).toBe(false);
    after(c);

    expect(resumed.log.length).toBeGreaterThan(1000);
    expect(resumed.fills.length).toBeGreaterThan(10);
    expect(resumed.log).toEqual(straight.log.slice(mark));
    expect(c.snapshot()).toEqual(a.snapshot());
    expect(c.positions('f')).toEqual(a.positions('f'));
    expect(c.balances('b', 'spot')).toEqual(a.balances('b', 'spot'));
  });

  it('produces a snapshot that its own schema accepts and that survives JSON unchanged', () => {
    const ex = createSimExchange({ seed: 4, clock: createSimClock({ startMs: T0 }) });
    before(ex);
    const snap = ex.snapshot();
    expect(SimSnapshotSchema.parse(snap)).toEqual(snap);
    expect(JSON.parse(JSON.stringify(snap))).toEqual(snap);
  });

  it('refuses a malformed or mismatched snapshot and keeps running on its current state', () => {
    const ex = createSimExchange({ seed: 4, clock: createSimClock({ startMs: T0 }) });
    before(ex);
    const good = ex.snapshot();
    expect(() => ex.restore({ version: 2 })).toThrow(expect.objectContaining({ code: SimErrorCode.INVALID_SNAPSHOT }));
    const other = createSimExchange({
      symbols: [{ ...ex.config.symbols[0], symbol: 'XYZUSDT' } as never],
      clock: createSimClock({ startMs: T0 }),
    });
    expect(() => other.restore(good)).toThrow(expect.objectContaining({ code: SimErrorCode.INVALID_SNAPSHOT }));
    const broken = { ...good, orders: good.orders.map((o) => ({ ...o, accountId: 'ghost' })) };
    expect(() => ex.restore(broken)).toThrow(expect.objectContaining({ code: SimErrorCode.INVALID_SNAPSHOT }));
    expect(ex.snapshot()).toEqual(good);
  });
});
