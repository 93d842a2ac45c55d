import { refEma } from '../src/indicators/reference';
import { emaCrossAtr, exampleCandles, runExample } from './ema-cross-atr';

const at = (hhmm: string) => Date.parse(`2024-01-01T${hhmm}:59.999Z`);

describe('example: EMA cross with an ATR stop', () => {
  const result = runExample();

  it('emits exactly these signals on the seeded dataset', () => {
    expect(result.errors).toEqual([]);
    expect(
      result.signals.map((s) => [s.createdAt, s.direction, s.entry?.price, s.stop?.price, s.targets?.[0]?.price]),
    ).toEqual([
      [at('00:38'), 'LONG', '99.77', '98.86', '101.58'],
      [at('00:51'), 'SHORT', '99.27', '100.2', '97.4'],
      [at('01:53'), 'LONG', '96.66', '95.79', '98.4'],
      [at('02:24'), 'SHORT', '96.71', '97.69', '94.76'],
      [at('03:17'), 'LONG', '92.44', '91.55', '94.21'],
      [at('03:51'), 'SHORT', '93.05', '93.98', '91.2'],
      [at('03:53'), 'LONG', '93.41', '92.54', '95.15'],
    ]);
    for (const s of result.signals) {
      expect(s.score).toBe(3);
      expect(s.confidence).toBe(1);
      expect(s.rulesFired).toEqual(
        s.direction === 'LONG'
          ? ['fast-crossed-above-slow', 'close-above-slow']
          : ['fast-crossed-below-slow', 'close-below-slow'],
      );
    }
  });

  it('runs the whole lifecycle: open, target, opposite signal, flip', () => {
    const names = result.events.map((e) => e.name.replace('DETECTOR_', ''));
    expect(names.slice(0, 4)).toEqual([
      'SIGNAL_GENERATED',
      'POSITION_OPEN_REQUEST',
      'SIGNAL_INVALIDATED',
      'POSITION_CLOSE_REQUEST',
    ]);
    expect(names.slice(-3)).toEqual(['SIGNAL_INVALIDATED', 'SIGNAL_GENERATED', 'POSITION_FLIP_REQUEST']);
    expect(result.position).toMatchObject({ side: 'LONG' });
    expect(result.state?.signal).toMatchObject({ direction: 'LONG', entry: 93.41 });
  });

  it('signals exactly where a naive EMA computation sees the crosses', () => {
    const candles = exampleCandles();
    const closes = candles.map((c) => c.close);
    const fast = refEma(closes, 9);
    const slow = refEma(closes, 21);
    const crosses = result.signals.map((s) => candles.findIndex((c) => c.time + 59_999 === s.createdAt));
    for (const [i, s] of crosses.map((c, k) => [c, result.signals[k]] as const)) {
      const [f0, s0, f1, s1] = [fast[i - 1] ?? NaN, slow[i - 1] ?? NaN, fast[i] ?? NaN, slow[i] ?? NaN];
      if (s?.direction === 'LONG') expect(f0 <= s0 && f1 > s1).toBe(true);
      else expect(f0 >= s0 && f1 < s1).toBe(true);
    }
  });

  it('validates params by field', () => {
    expect(() => emaCrossAtr.parseParams({ fast: 30, slow: 20 })).toThrow(/fast must be shorter than slow/);
    expect(emaCrossAtr.parseParams({})).toEqual({ fast: 9, slow: 21, atrPeriod: 14, stopAtr: 2, targetR: 2 });
  });
});
