import Decimal from 'decimal.js';
import { MINUTE, T0 } from '../../testing/fixtures';
import type { NumericBar } from '../types';
import { DataQualityConfigSchema, countMissingBars, dataQualityStage } from './data-quality';
import type { MarketView } from './market-context';

const config = DataQualityConfigSchema.parse({
  minCandles: 5,
  maxStalenessMs: 60_000,
  maxMissingBars: 1,
  maxSpreadPct: '0.5',
});
const bars = (times: number[]): NumericBar[] =>
  times.map((time) => ({ time, open: 1, high: 1, low: 1, close: 1, volume: 1 }));
const minutes = (n: number) => Array.from({ length: n }, (_, i) => T0 + i * MINUTE);

function view(times: number[], spread: string | null = '0.1'): MarketView {
  const v: MarketView = { bars: bars(times) };
  const last = times.at(-1);
  if (last !== undefined) v.lastBarTime = last;
  if (spread !== null) v.spreadPct = new Decimal(spread);
  return v;
}
// The last of n one-minute bars closes at T0 + n minutes.
const closedAt = (n: number) => T0 + n * MINUTE;

describe('data quality stage', () => {
  it('passes at exactly the minimum candle count and fails one below', () => {
    expect(dataQualityStage(view(minutes(5)), { interval: 'min1', now: closedAt(5) }, config).passed).toBe(true);
    const out = dataQualityStage(view(minutes(4)), { interval: 'min1', now: closedAt(4) }, config);
    expect(out.passed).toBe(false);
    expect(out.reason).toBe('4 candles, need 5');
  });

  it('accepts data exactly at the staleness limit and refuses it one millisecond later', () => {
    expect(dataQualityStage(view(minutes(5)), { interval: 'min1', now: closedAt(5) + 60_000 }, config).passed).toBe(
      true,
    );
    const out = dataQualityStage(view(minutes(5)), { interval: 'min1', now: closedAt(5) + 60_001 }, config);
    expect(out.passed).toBe(false);
    expect(out.data.stalenessMs).toBe(60_001);
  });

  it('counts missing bars and allows exactly the configured number', () => {
    expect(countMissingBars([0, MINUTE, 3 * MINUTE, 6 * MINUTE], MINUTE)).toBe(3);
    const oneGap = [...minutes(3), T0 + 4 * MINUTE, T0 + 5 * MINUTE];
    expect(dataQualityStage(view(oneGap), { interval: 'min1', now: closedAt(6) }, config).passed).toBe(true);
    const twoGaps = [...minutes(2), T0 + 3 * MINUTE, T0 + 5 * MINUTE, T0 + 6 * MINUTE];
    expect(dataQualityStage(view(twoGaps), { interval: 'min1', now: closedAt(7) }, config).reason).toBe(
      '2 missing bars, limit 1',
    );
  });

  it('compares the spread exactly: at the limit passes, the next digit fails', () => {
    expect(dataQualityStage(view(minutes(5), '0.5'), { interval: 'min1', now: closedAt(5) }, config).passed).toBe(true);
    expect(
      dataQualityStage(view(minutes(5), '0.50000000000000001'), { interval: 'min1', now: closedAt(5) }, config).passed,
    ).toBe(false);
    expect(dataQualityStage(view(minutes(5), '-0.01'), { interval: 'min1', now: closedAt(5) }, config).reason).toBe(
      'crossed order book',
    );
  });

  it('requires a two-sided book unless told otherwise', () => {
    expect(dataQualityStage(view(minutes(5), null), { interval: 'min1', now: closedAt(5) }, config).reason).toBe(
      'no two-sided order book',
    );
    const lax = { ...config, requireOrderBook: false };
    expect(dataQualityStage(view(minutes(5), null), { interval: 'min1', now: closedAt(5) }, lax).passed).toBe(true);
  });

  it('scores the share of checks passed', () => {
    const out = dataQualityStage(view(minutes(4), '2'), { interval: 'min1', now: closedAt(4) }, config);
    expect(out.score).toBe(0.5);
  });
});
