import { EVENT_CATALOG, EventValidationError, compileFastCheck } from '@barfinex/events';
import Decimal from 'decimal.js';
import { defineDetector } from './detector';
import { DETECTOR_EVENT_NAMES, priceString } from './emission';
import { createRng, generateGbmCandles } from './gbm';
import { runDetector } from './harness';
import { atr } from './indicators/volatility';
import { ema } from './indicators/moving-average';

/** The reference: what priceString did with decimal.js before its allocation-free fast path. */
function viaDecimal(value: number, decimals: number): string | undefined {
  const d = new Decimal(value).toDecimalPlaces(decimals);
  return d.gt(0) ? d.toFixed() : undefined;
}

describe('priceString', () => {
  it('rounds half-up on the shortest decimal form, like decimal.js', () => {
    expect(priceString(1.005, 2)).toBe('1.01');
    expect(priceString(99.999999995, 8)).toBe('100');
    expect(priceString(0.1 + 0.2, 8)).toBe('0.3');
    expect(priceString(60000.5, 0)).toBe('60001');
    expect(priceString(0.0000000049, 8)).toBeUndefined();
    expect(priceString(-1, 8)).toBeUndefined();
    expect(priceString(Number.NaN, 8)).toBeUndefined();
    expect(priceString('123.4500', 8)).toBe('123.45');
    expect(priceString(1e21, 2)).toBe('1000000000000000000000');
    expect(priceString(1e-7, 8)).toBe('0.0000001');
  });

  it('agrees with decimal.js on 50,000 seeded prices across magnitudes and precisions', () => {
    const rng = createRng(3);
    let mismatches = 0;
    for (let i = 0; i < 10_000; i += 1) {
      const value = rng() * 10 ** Math.floor(rng() * 14 - 7);
      for (const d of [0, 1, 2, 4, 8]) if (priceString(value, d) !== viaDecimal(value, d)) mismatches += 1;
    }
    expect(mismatches).toBe(0);
  });
});

describe('emitted payloads', () => {
  const detector = defineDetector({
    name: 'fast-path',
    inputs: { timeframes: ['min1'], warmup: 20 },
    setup: () => ({ fast: ema(5), slow: ema(20), atr: atr(14) }),
    rules: [
      { id: 'up', direction: 'LONG', weight: 1, when: (ctx) => ctx.values.fast > ctx.values.slow },
      { id: 'down', direction: 'SHORT', weight: 1, when: (ctx) => ctx.values.fast < ctx.values.slow },
    ],
    thresholds: { long: 1, short: 1 },
    levels: (ctx, side) => {
      const s = side === 'LONG' ? 1 : -1;
      return {
        stop: ctx.candle.close - s * 2 * ctx.values.atr,
        targets: [ctx.candle.close + s * ctx.values.atr, ctx.candle.close + s * 3 * ctx.values.atr],
      };
    },
    expires: { bars: 30 },
    managePosition: true,
  });

  it('are already canonical, so validation takes the compiled path for every lifecycle event', () => {
    const candles = generateGbmCandles({ seed: 5, count: 3000, startPrice: 100, volatility: 0.004 });
    const { events } = runDetector(detector, { candles, symbol: 'BTCUSDT', timeframe: 'min1' });
    const seen = new Set(events.map((e) => e.name));
    for (const name of DETECTOR_EVENT_NAMES) expect(seen.has(name)).toBe(true);
    const slow = events.filter((e) => !compileFastCheck(EVENT_CATALOG[e.name].payload)(e.payload));
    expect(slow).toEqual([]);
  });

  it('still fail validation when an author supplies a bad field', () => {
    const bad = defineDetector({
      name: 'bad-score',
      inputs: { timeframes: ['min1'] },
      evaluate: (ctx) =>
        ctx.barIndex === 1 ? { signal: { direction: 'LONG', score: Number.NaN, confidence: 0.5 } } : undefined,
    });
    const candles = generateGbmCandles({ seed: 1, count: 3, startPrice: 100 });
    expect(() => runDetector(bad, { candles, symbol: 'BTCUSDT', timeframe: 'min1' })).toThrow(EventValidationError);
    expect(runDetector(bad, { candles, symbol: 'BTCUSDT', timeframe: 'min1', validate: false }).signals).toHaveLength(
      1,
    );
  });
});
