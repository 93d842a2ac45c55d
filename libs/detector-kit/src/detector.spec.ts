import { z } from 'zod';
import { formatCandlesCsv, parseCandlesCsv } from './csv';
import { compileRuleScorer, scoreRules } from './context';
import { defineDetector } from './detector';
import { DetectorDefinitionError } from './errors';
import { createRng, generateGbmCandles } from './gbm';
import { ema } from './indicators/moving-average';
import { macd } from './indicators/oscillators';

describe('defineDetector', () => {
  it('infers params and indicator value types into ctx', () => {
    const detector = defineDetector({
      name: 'typed',
      inputs: { timeframes: ['min1'] },
      params: z.object({ period: z.number().default(5), label: z.string().default('x') }),
      setup: (p) => ({ avg: ema(p.period), m: macd() }),
      evaluate: (ctx) => {
        const period: number = ctx.params.period;
        const label: string = ctx.params.label;
        const avg: number = ctx.values.avg;
        const hist: number = ctx.values.m.histogram;
        // @ts-expect-error unknown indicator
        void ctx.values.missing;
        // @ts-expect-error macd is not numeric, so it cannot be crossed
        ctx.crossedAbove('m', 0);
        return period > 0 && label && avg > hist ? null : null;
      },
    });
    expect(detector.kind).toBe('evaluate');
    expect(detector.version).toBe('0.0.0');
    expect(detector.parseParams(undefined)).toEqual({ period: 5, label: 'x' });
  });

  it.each([
    ['no name', { name: ' ', inputs: { timeframes: ['min1'] }, evaluate: () => null }, /name/],
    ['no timeframes', { name: 'a', inputs: { timeframes: [] }, evaluate: () => null }, /timeframes/],
    ['neither rules nor evaluate', { name: 'a', inputs: { timeframes: ['min1'] } }, /either rules or evaluate/],
    [
      'rules without thresholds',
      {
        name: 'a',
        inputs: { timeframes: ['min1'] },
        rules: [{ id: 'r', direction: 'LONG', weight: 1, when: (): boolean => true }],
      },
      /thresholds/,
    ],
    [
      'duplicate rule ids',
      {
        name: 'a',
        inputs: { timeframes: ['min1'] },
        thresholds: { long: 1, short: 1 },
        rules: [
          { id: 'r', direction: 'LONG', weight: 1, when: (): boolean => true },
          { id: 'r', direction: 'SHORT', weight: 1, when: (): boolean => true },
        ],
      },
      /duplicate/,
    ],
    [
      'zero weight',
      {
        name: 'a',
        inputs: { timeframes: ['min1'] },
        thresholds: { long: 1, short: 1 },
        rules: [{ id: 'r', direction: 'LONG', weight: 0, when: (): boolean => true }],
      },
      /weight/,
    ],
  ])('rejects %s', (_label, spec, message) => {
    expect(() => defineDetector(spec as never)).toThrow(DetectorDefinitionError);
    expect(() => defineDetector(spec as never)).toThrow(message);
  });
});

describe('scoreRules', () => {
  const rule = (id: string, direction: 'LONG' | 'SHORT', weight: number, fires: boolean) => ({
    id,
    direction,
    weight,
    when: () => fires,
  });

  it('sums fired weights, attributes them and scales confidence by the direction total', () => {
    const verdict = scoreRules(
      [
        rule('a', 'LONG', 2, true),
        rule('b', 'LONG', 1, false),
        rule('c', 'LONG', 1, true),
        rule('d', 'SHORT', 1, true),
      ],
      { long: 3, short: 2 },
      {},
    );
    expect(verdict).toEqual({
      direction: 'LONG',
      score: 3,
      confidence: 0.75,
      rulesFired: ['a', 'c'],
      reason: 'LONG score 3 ≥ 3 (a, c); SHORT score 1',
    });
  });

  it('stays silent below the threshold and on a tie between qualifying directions', () => {
    expect(scoreRules([rule('a', 'LONG', 1, true)], { long: 2, short: 2 }, {})).toBeUndefined();
    expect(
      scoreRules([rule('a', 'LONG', 2, true), rule('b', 'SHORT', 2, true)], { long: 2, short: 2 }, {}),
    ).toBeUndefined();
    expect(
      scoreRules([rule('a', 'LONG', 2, true), rule('b', 'SHORT', 3, true)], { long: 2, short: 2 }, {})?.direction,
    ).toBe('SHORT');
  });

  it('compiled for a fixed rule list, gives what scoreRules gives (seeded rule sets, 1 to 40 rules)', () => {
    const rng = createRng(9);
    for (let n = 0; n < 300; n += 1) {
      const count = 1 + Math.floor(rng() * (n % 10 === 0 ? 40 : 8));
      const fires = Array.from({ length: count }, () => rng() < 0.5);
      const rules = fires.map((f, i) => ({
        id: `r${i}`,
        direction: rng() < 0.5 ? ('LONG' as const) : ('SHORT' as const),
        weight: 1 + Math.floor(rng() * 3),
        when: (ctx: { on: boolean[] }) => ctx.on[i] === true,
      }));
      const thresholds = { long: 1 + Math.floor(rng() * 4), short: 1 + Math.floor(rng() * 4) };
      const scorer = compileRuleScorer(rules);
      for (let bar = 0; bar < 3; bar += 1) {
        const ctx = { on: fires.map(() => rng() < 0.5) };
        expect(scorer(thresholds, ctx)).toEqual(scoreRules(rules, thresholds, ctx));
      }
    }
  });

  it('compiled, still sees rules added to the list later', () => {
    const rules = [rule('a', 'LONG', 1, true)];
    const scorer = compileRuleScorer(rules);
    expect(scorer({ long: 2, short: 2 }, {})).toBeUndefined();
    rules.push(rule('b', 'LONG', 1, true));
    expect(scorer({ long: 2, short: 2 }, {})?.rulesFired).toEqual(['a', 'b']);
  });
});

describe('CSV and generated data', () => {
  it('generates the same OHLC-consistent candles for the same seed', () => {
    const a = generateGbmCandles({ seed: 9, count: 500, timeframe: 'min5' });
    expect(generateGbmCandles({ seed: 9, count: 500, timeframe: 'min5' })).toEqual(a);
    expect(generateGbmCandles({ seed: 10, count: 500, timeframe: 'min5' })).not.toEqual(a);
    a.forEach((c, i) => {
      expect(c.time).toBe(Date.UTC(2024, 0, 1) + i * 300_000);
      expect(c.low).toBeLessThanOrEqual(Math.min(c.open, c.close));
      expect(c.high).toBeGreaterThanOrEqual(Math.max(c.open, c.close));
      expect(c.volume).toBeGreaterThan(0);
    });
  });

  it('round-trips candles through CSV', () => {
    const candles = generateGbmCandles({ seed: 3, count: 50 });
    expect(parseCandlesCsv(formatCandlesCsv(candles))).toEqual(candles);
  });

  it('reads headerless rows, ISO times, reordered headers, comments and blank lines', () => {
    expect(parseCandlesCsv('# data\n\n2024-01-01T00:00:00Z,1,2,0.5,1.5,10\r\n')).toEqual([
      { time: Date.UTC(2024, 0, 1), open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 },
    ]);
    expect(parseCandlesCsv('volume,time,close,low,high,open\n10,60000,1.5,0.5,2,1')).toEqual([
      { time: 60000, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 },
    ]);
  });

  it('names the line of a bad row', () => {
    expect(() => parseCandlesCsv('time,open,high,low,close,volume\n0,1,2,0.5,1.5,10\n60000,1,x,0.5,1.5,10')).toThrow(
      /line 3: high/,
    );
    expect(() => parseCandlesCsv('0,1,2,0.5,3,10')).toThrow(/line 1: prices/);
    expect(() => parseCandlesCsv('yesterday,1,2,0.5,1.5,10')).toThrow(/line 1: time/);
    expect(() => parseCandlesCsv('0,1,2')).toThrow(/line 1: expected 6 columns/);
    expect(() => parseCandlesCsv('time,open,high\n')).toThrow(/header lacks low, close, volume/);
  });
});
