import { generateGbmCandles } from '@barfinex/detector-kit';
import { EXAMPLE_DETECTORS } from '@barfinex/detector-kit/examples';
import type { Detector } from '@barfinex/detector-kit';
import { barToCandle } from '../backtest/candle-source';
import { appendCandles, createSharedSeries } from './candle-buffer';
import { createTrialPool } from './pool';
import { runTrial } from './trial-runner';

const settings = {
  initialBalance: '10000',
  positionSizing: { mode: 'percent' as const, percent: 10 },
  fees: { maker: '0.0002', taker: '0.0005' },
};

function series(count: number) {
  const s = createSharedSeries('BTCUSDT', 'min1', 60_000, count);
  const bars = generateGbmCandles({ seed: 3, count, volatility: 0.004, decimals: 2 });
  appendCandles(
    s,
    bars.map((b) => barToCandle(b, { symbol: 'BTCUSDT', interval: 'min1' }, 60_000)),
  );
  return s;
}

describe('research pool', () => {
  it('runs a trial on a worker thread over shared candles, with the same result as in process', async () => {
    const data = series(3_000);
    const detector = EXAMPLE_DETECTORS['ema-cross-atr'] as Detector;
    const params = detector.parseParams({ fast: 5, slow: 20 }) as Record<string, unknown>;
    const window = { runFrom: 500, scoreFrom: 1_000, end: 2_500 };
    const local = runTrial(detector, params, data, window, settings);
    const pool = createTrialPool({ size: 2, nice: 0 });
    try {
      pool.share('s', data);
      const [a, b] = await Promise.all([
        pool.run({ detector: 'ema-cross-atr', params, seriesKey: 's', window, settings }),
        pool.run({ detector: 'ema-cross', params, seriesKey: 's', window, settings }),
      ]);
      expect(a).toEqual(local);
      expect(b).toEqual(local);
      expect(local.bars).toBe(1_500);
      expect(local.trades).toBeGreaterThan(0);
      await expect(pool.run({ detector: 'nope', params, seriesKey: 's', window, settings })).rejects.toThrow(
        /unknown detector/,
      );
      // A trial no longer wanted when a worker frees up (its job cancelled or stopping) is not run.
      const task = { detector: 'ema-cross-atr', params, seriesKey: 's', window, settings };
      const busy = [pool.run(task), pool.run(task)];
      await expect(pool.run(task, () => false)).rejects.toThrow(/no longer wanted/);
      await Promise.all(busy);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('reads no bar at or after the window end: changing later bars changes nothing', () => {
    const a = series(2_000);
    const b = series(2_000);
    const f = new Float64Array(b.buffer);
    for (let col = 1; col <= 5; col += 1) for (let i = 1_200; i < 2_000; i += 1) f[col * b.capacity + i] = 1 + (i % 7);
    const detector = EXAMPLE_DETECTORS['ema-cross-atr'] as Detector;
    const params = detector.parseParams({}) as Record<string, unknown>;
    const window = { runFrom: 0, scoreFrom: 0, end: 1_200 };
    expect(runTrial(detector, params, b, window, settings)).toEqual(runTrial(detector, params, a, window, settings));
  });
});
