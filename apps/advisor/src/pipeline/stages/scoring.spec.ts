import { candleSeries } from '../../testing/fixtures';
import type { NumericBar } from '../types';
import { ScoringConfigSchema, requiredBars, scoringStage } from './scoring';

const config = ScoringConfigSchema.parse({});
const toBars = (drift: number, count = 60): NumericBar[] =>
  candleSeries({ count, drift }).map((c) => ({
    time: c.time,
    open: Number(c.open),
    high: Number(c.high),
    low: Number(c.low),
    close: Number(c.close),
    volume: 1,
  }));

describe('scoring stage', () => {
  it('needs enough bars for every indicator: exactly enough passes, one fewer fails', () => {
    const needed = requiredBars(config);
    expect(needed).toBe(21);
    expect(scoringStage(toBars(0.1, needed), 'LONG', config).passed).toBe(true);
    const out = scoringStage(toBars(0.1, needed - 1), 'LONG', config);
    expect(out.passed).toBe(false);
    expect(out.reason).toBe('scoring needs 21 candles, got 20');
  });

  it('scores its own view: an uptrend backs a LONG and opposes a SHORT', () => {
    const long = scoringStage(toBars(0.1), 'LONG', config);
    const short = scoringStage(toBars(0.1), 'SHORT', config);
    expect(long.data?.trend).toBeGreaterThan(0.5);
    expect(long.data?.momentum).toBeGreaterThan(0);
    expect(long.score).toBeGreaterThan(0.7);
    expect(short.score).toBeLessThan(0.3);
    expect((long.score ?? 0) + (short.score ?? 0)).toBeCloseTo(1, 12);
  });

  it('picks the stronger side when no direction is proposed', () => {
    expect(scoringStage(toBars(-0.1), undefined, config).data?.direction).toBe('SHORT');
    expect(scoringStage(toBars(0.1), undefined, config).data?.direction).toBe('LONG');
  });

  it('shrinks the score outside the tradeable volatility band', () => {
    const calm = scoringStage(toBars(0.1), 'LONG', config);
    const narrow = scoringStage(toBars(0.1), 'LONG', { ...config, maxAtrPct: 0.05 });
    expect(narrow.data?.volatilityFactor).toBeLessThan(1);
    expect(narrow.score).toBeLessThan(calm.score ?? 0);
  });

  it('rejects a config whose fast period is not below the slow one', () => {
    expect(ScoringConfigSchema.safeParse({ fastPeriod: 21, slowPeriod: 21 }).success).toBe(false);
  });
});
