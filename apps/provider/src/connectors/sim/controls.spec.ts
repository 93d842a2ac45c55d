import { createHash } from 'node:crypto';
import { createSimClock } from './clock';
import { createSimExchange } from './exchange';
import { SimErrorCode } from './errors';
import { MAX_QUEUED_POINTS } from './market';
import { T0, TEST_SYMBOL, harness, recorder } from './spec-helpers';

const digest = (log: string[]) => createHash('sha256').update(log.join('\n')).digest('hex');

describe('sim control inputs obey the instrument filters', () => {
  it('refuses a scripted price above maxPrice, below minPrice or off the tick grid, naming the field, and changes nothing', () => {
    const { ex, rec } = harness();
    const before = ex.snapshot();
    expect(() => ex.setPrice('TESTUSDT', '9007199254740992')).toThrow(
      expect.objectContaining({ code: SimErrorCode.PRICE_FILTER, details: { field: 'price' } }),
    );
    expect(() => ex.setPrice('TESTUSDT', '100000.01')).toThrow(
      expect.objectContaining({ code: SimErrorCode.PRICE_FILTER }),
    );
    expect(() => ex.setPrice('TESTUSDT', '0.001')).toThrow(
      expect.objectContaining({ code: SimErrorCode.PRICE_FILTER }),
    );
    expect(() => ex.pushPricePath('TESTUSDT', ['101', '1e6', '102'])).toThrow(
      expect.objectContaining({ code: SimErrorCode.PRICE_FILTER, details: { field: 'prices[1]' } }),
    );
    expect(rec.trades).toHaveLength(0);
    expect(ex.snapshot()).toEqual(before);
    ex.setPrice('TESTUSDT', '100000');
    expect(ex.lastPrice('spot', 'TESTUSDT')).toBe('100000');
    // What was accepted restores: the stored state stays valid.
    expect(() => ex.restore(JSON.parse(JSON.stringify(ex.snapshot())))).not.toThrow();
  });

  it('bounds the points one symbol may have queued over every push', () => {
    const { ex } = harness();
    const half = Array.from({ length: MAX_QUEUED_POINTS / 2 }, () => '101');
    ex.pushPricePath('TESTUSDT', half, { intervalMs: 1 });
    ex.pushPricePath('TESTUSDT', half, { intervalMs: 1 });
    expect(() => ex.pushPricePath('TESTUSDT', ['101'], { intervalMs: 1 })).toThrow(
      expect.objectContaining({
        code: SimErrorCode.INVALID_ARGUMENT,
        details: { field: 'prices', queued: MAX_QUEUED_POINTS },
      }),
    );
    expect(ex.clearPricePath('TESTUSDT')).toBe(MAX_QUEUED_POINTS);
  });
});

describe('sim steps in slices', () => {
  const play = (slices: boolean) => {
    const rec = recorder();
    const ex = createSimExchange({ seed: 3, clock: createSimClock({ startMs: T0, paused: true }), sink: rec.sink });
    let calls = 0;
    if (slices) {
      const target = ex.now() + 600_000;
      while (!ex.stepSlice(target, 7)) calls++;
    } else {
      ex.step(600_000);
    }
    return { ex, rec, calls };
  };

  it('plays the same trades as one step, in many slices, with each slice reporting a touched book and ticker once', () => {
    const whole = play(false);
    const sliced = play(true);
    expect(sliced.calls).toBeGreaterThan(150);
    expect(sliced.ex.now()).toBe(whole.ex.now());
    const trades = (log: string[]) => log.filter((l) => l.startsWith('trade '));
    expect(digest(trades(sliced.rec.log))).toBe(digest(trades(whole.rec.log)));
    expect(sliced.ex.snapshot()).toEqual(whole.ex.snapshot());
    const books = (log: string[]) => log.filter((l) => l.startsWith('book ')).length;
    // 600 ticks × 3 symbols × 2 markets one by one; at most one per market per slice of 7 events.
    expect(books(whole.rec.log)).toBe(3600);
    expect(books(sliced.rec.log)).toBeLessThanOrEqual((sliced.calls + 1) * 6);
    expect(sliced.rec.log.at(-1)).toBe(whole.rec.log.at(-1));
  });

  it('stops a slice only between instants, so every symbol due at the same time plays before it yields', () => {
    const { ex, rec } = harness({
      symbols: [
        { ...TEST_SYMBOL, symbol: 'AAAUSDT' },
        { ...TEST_SYMBOL, symbol: 'BBBUSDT' },
      ],
    });
    const target = ex.now() + 5_000;
    expect(ex.stepSlice(target, 1)).toBe(false);
    const times = (symbol: string) => rec.trades.filter((t) => t.symbol === symbol).map((t) => t.time);
    expect(new Set(times('AAAUSDT'))).toEqual(new Set([T0 + 1_000]));
    expect(new Set(times('BBBUSDT'))).toEqual(new Set([T0 + 1_000]));
    while (!ex.stepSlice(target, 1));
    expect(new Set(times('BBBUSDT'))).toEqual(new Set([1, 2, 3, 4, 5].map((s) => T0 + s * 1_000)));
  });

  it('a live timer waking after a long gap plays at most liveCatchUpMs and skips the rest, like a restart', () => {
    const { ex, rec } = harness({ liveCatchUpMs: 5_000 });
    ex.resume();
    ex.advance(3_600_000);
    expect(ex.now()).toBe(T0 + 3_600_000);
    const spot = rec.trades.filter((t) => t.marketType === 'spot');
    expect(new Set(spot.map((t) => t.time))).toEqual(new Set([1, 2, 3, 4, 5].map((s) => T0 + 3_595_000 + s * 1_000)));
  });
});
