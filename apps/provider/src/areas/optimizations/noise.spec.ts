import { EXAMPLE_DETECTORS } from '@barfinex/detector-kit/examples';
import { detectorParamsJsonSchema } from '@barfinex/detector-kit';
import type { Detector } from '@barfinex/detector-kit';
import { syntheticCandles } from '../backtest/candle-source';
import { appendCandles, createSharedSeries } from './candle-buffer';
import { runOptimization } from './optimizer';
import { buildSearchSpace } from './space';
import { runTrial } from './trial-runner';
import { walkForwardFolds } from './walk-forward';

const settings = {
  initialBalance: '10000',
  positionSizing: { mode: 'percent' as const, percent: 10 },
  fees: { maker: '0.0002', taker: '0.0005' },
};

// The real engine on pure noise (driftless GBM): whatever the search finds in-sample is luck.
it('flags an optimisation of pure noise data: the in-sample best does not hold out of sample', async () => {
  const bars = 8_000;
  const series = createSharedSeries('BTCUSDT', 'min1', 60_000, bars);
  appendCandles(
    series,
    syntheticCandles(
      { type: 'synthetic', seed: 99, bars, startPrice: 100, drift: 0, volatility: 0.003 },
      { symbol: 'BTCUSDT', interval: 'min1' },
    ),
  );
  const detector = EXAMPLE_DETECTORS['ema-cross-atr'] as Detector;
  const result = await runOptimization(
    {
      space: buildSearchSpace(detectorParamsJsonSchema(detector), {
        fast: { min: 3, max: 12, step: 1 },
        slow: { min: 15, max: 60, step: 5 },
      }),
      folds: walkForwardFolds(bars, { mode: 'rolling', folds: 2, inSampleRatio: 0.7 }) ?? [],
      method: 'random',
      trials: 16,
      seed: 5,
      objective: 'sharpe',
      constraints: { minTrades: 0 },
      intervalMs: 60_000,
      timeAt: (i) => i * 60_000,
      prepare: (p) => detector.parseParams(p) as Record<string, unknown>,
    },
    {
      stored: [],
      evaluate: async (params, window) => runTrial(detector, params, series, window, settings),
      store: async () => undefined,
    },
  );
  expect(result.headlineKind).toBe('outOfSample');
  expect(result.guard.flagged).toBe(true);
  expect(result.guard.reasons.length).toBeGreaterThan(0);
  expect(result.guard.verdict).toMatch(/^Do not trust these parameters/);
}, 120_000);
