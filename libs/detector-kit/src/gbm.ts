import type { TimeFrame } from '@barfinex/enums';
import { timeFrameMs } from '@barfinex/enums';
import type { Bar } from './bar';

/** Mulberry32: a tiny seeded PRNG, uniform in [0, 1); good enough for test data, not for crypto. */
export function createRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws from a uniform source (Box–Muller). */
export function createNormal(rng: () => number): () => number {
  return () => {
    const u = 1 - rng();
    const v = rng();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

export interface GbmOptions {
  seed: number;
  count: number;
  /** Open time of the first bar; default 2024-01-01T00:00:00Z. */
  start?: number;
  timeframe?: Exclude<TimeFrame, 'month'>;
  startPrice?: number;
  /** Drift and volatility per bar (not annualised). */
  drift?: number;
  volatility?: number;
  /** Price path steps inside each bar; high/low come from them. */
  stepsPerBar?: number;
  /** Prices are rounded to this many decimals, like a venue's tick size. */
  decimals?: number;
  baseVolume?: number;
}

/**
 * Geometric Brownian motion candles: the same seed always gives the same bars, so tests and
 * examples can assert exact signals.
 */
export function generateGbmCandles(options: GbmOptions): Bar[] {
  const timeframe = options.timeframe ?? 'min1';
  const step = timeFrameMs(timeframe);
  const steps = options.stepsPerBar ?? 8;
  const drift = options.drift ?? 0;
  const vol = options.volatility ?? 0.01;
  const factor = 10 ** (options.decimals ?? 2);
  const round = (x: number) => Math.max(1 / factor, Math.round(x * factor) / factor);
  const baseVolume = options.baseVolume ?? 100;
  const rng = createRng(options.seed);
  const normal = createNormal(rng);
  const start = options.start ?? Date.UTC(2024, 0, 1);
  const stepDrift = (drift - (vol * vol) / 2) / steps;
  const stepVol = vol / Math.sqrt(steps);
  let price = options.startPrice ?? 100;
  const bars: Bar[] = [];
  for (let i = 0; i < options.count; i += 1) {
    const open = price;
    let high = open;
    let low = open;
    for (let s = 0; s < steps; s += 1) {
      price *= Math.exp(stepDrift + stepVol * normal());
      if (price > high) high = price;
      if (price < low) low = price;
    }
    const volume = Math.round(baseVolume * (0.5 + rng()) * 1000) / 1000;
    bars.push({
      time: start + i * step,
      open: round(open),
      high: round(high),
      low: round(low),
      close: round(price),
      volume,
    });
  }
  return bars;
}
