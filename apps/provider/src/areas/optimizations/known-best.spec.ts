import { z } from 'zod';
import { createNormal, createRng, defineDetector, detectorParamsJsonSchema } from '@barfinex/detector-kit';
import type { Detector } from '@barfinex/detector-kit';
import { appendCandles, createSharedSeries } from './candle-buffer';
import { runOptimization } from './optimizer';
import type { SearchMethod } from './search';
import { buildSearchSpace } from './space';
import { runTrial } from './trial-runner';

// Seeded minute bars with a known edge: every hour the price rises over minutes 20-29 and drifts
// down the rest of the hour (zero net), plus noise. A detector that buys at one minute of the hour
// does best entering around minute 19; the search must find that region through the real engine.
const HOUR = 60;
const BARS = HOUR * 24 * 3;

function patternSeries() {
  const normal = createNormal(createRng(2026));
  const series = createSharedSeries('BTCUSDT', 'min1', 60_000, BARS);
  let close = 100;
  const start = Date.UTC(2024, 0, 1);
  const candles = Array.from({ length: BARS }, (_, i) => {
    const minute = i % HOUR;
    const open = close;
    close = open * (1 + (minute >= 20 && minute < 30 ? 0.0006 : -0.00012) + normal() * 0.0002);
    const c = (v: number) => String(Math.round(v * 10_000) / 10_000);
    return {
      symbol: 'BTCUSDT',
      interval: 'min1' as const,
      time: start + i * 60_000,
      open: c(open),
      high: c(Math.max(open, close) * 1.00005),
      low: c(Math.min(open, close) * 0.99995),
      close: c(close),
      volume: '1',
      closed: true,
    };
  });
  appendCandles(series, candles);
  return series;
}

const minuteBuyer = defineDetector({
  name: 'minute-buyer',
  inputs: { timeframes: ['min1'], warmup: 1 },
  params: z.object({ entryMinute: z.number().int().min(0).max(59).default(0) }),
  rules: [
    {
      id: 'at-minute',
      direction: 'LONG',
      weight: 1,
      when: (ctx) => new Date(ctx.candle.time).getUTCMinutes() === ctx.params.entryMinute,
    },
  ],
  thresholds: { long: 1, short: 1 },
  levels: (ctx) => ({ entry: ctx.candle.close, stop: ctx.candle.close * 0.97, targets: [ctx.candle.close * 1.004] }),
  expires: { bars: 12 },
}) as unknown as Detector;

const series = patternSeries();
const settings = {
  initialBalance: '10000',
  positionSizing: { mode: 'percent' as const, percent: 50 },
  fees: { maker: '0', taker: '0.0001' },
};

it.each<SearchMethod>(['grid', 'random', 'tpe'])(
  '%s finds the known best entry minute through the real backtest engine',
  async (method) => {
    const result = await runOptimization(
      {
        space: buildSearchSpace(detectorParamsJsonSchema(minuteBuyer), { entryMinute: { min: 0, max: 59, step: 1 } }),
        folds: [{ index: 0, isStart: 0, isEnd: BARS }],
        method,
        trials: 20,
        seed: 3,
        objective: 'netProfit',
        constraints: { minTrades: 10 },
        intervalMs: 60_000,
        timeAt: (i) => i * 60_000,
        prepare: (p) => minuteBuyer.parseParams(p) as Record<string, unknown>,
      },
      {
        stored: [],
        evaluate: async (params, window) => runTrial(minuteBuyer, params, series, window, settings),
        store: async () => undefined,
      },
    );
    const minute = Number(result.chosen?.['entryMinute']);
    expect(minute).toBeGreaterThanOrEqual(15);
    expect(minute).toBeLessThanOrEqual(22);
    expect(result.folds[0]?.inSampleScore?.score).toBeGreaterThan(0);
  },
  120_000,
);
