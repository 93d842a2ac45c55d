import type { Bar } from '../bar';
import { ema } from './moving-average';
import type { SourceOptions } from './moving-average';
import { assertPeriod, pick } from './types';
import type { Indicator } from './types';

/**
 * Wilder's RSI: the first averages are plain means of the first `period` changes, later ones
 * are smoothed with 1/period. The first value needs `period + 1` inputs.
 */
export function rsi(period = 14, options: SourceOptions = {}): Indicator<number> & { readonly feed: 'candle' } {
  assertPeriod('rsi', period);
  const source = options.source ?? 'close';
  let previous: number | undefined;
  let changes = 0;
  let avgGain = 0;
  let avgLoss = 0;
  let value: number | undefined;
  const compute = () => (avgLoss === 0 ? (avgGain === 0 ? 50 : 100) : 100 - 100 / (1 + avgGain / avgLoss));
  return {
    name: `rsi(${period})`,
    feed: 'candle',
    get value() {
      return value;
    },
    update(input: number | Bar) {
      const x = pick(source, input);
      if (previous === undefined) {
        previous = x;
        return value;
      }
      const change = x - previous;
      previous = x;
      const gain = change > 0 ? change : 0;
      const loss = change < 0 ? -change : 0;
      if (changes < period) {
        avgGain += gain / period;
        avgLoss += loss / period;
        changes += 1;
        if (changes === period) value = compute();
        return value;
      }
      avgGain = (avgGain * (period - 1) + gain) / period;
      avgLoss = (avgLoss * (period - 1) + loss) / period;
      value = compute();
      return value;
    },
    reset() {
      previous = undefined;
      changes = 0;
      avgGain = 0;
      avgLoss = 0;
      value = undefined;
    },
  };
}

export interface MacdValue {
  macd: number;
  signal: number;
  histogram: number;
}

export interface MacdOptions extends SourceOptions {
  fast?: number;
  slow?: number;
  signal?: number;
}

/**
 * MACD line = EMA(fast) − EMA(slow), signal = EMA(signal) of the line, histogram = line − signal.
 * Both EMAs start on the first input; the value appears once the signal EMA is seeded.
 */
export function macd(options: MacdOptions = {}): Indicator<MacdValue> & { readonly feed: 'candle' } {
  const fastPeriod = options.fast ?? 12;
  const slowPeriod = options.slow ?? 26;
  const signalPeriod = options.signal ?? 9;
  if (fastPeriod >= slowPeriod)
    throw new RangeError(`macd: fast (${fastPeriod}) must be shorter than slow (${slowPeriod})`);
  const source = options.source ?? 'close';
  const fast = ema(fastPeriod);
  const slow = ema(slowPeriod);
  const signal = ema(signalPeriod);
  let value: MacdValue | undefined;
  return {
    name: `macd(${fastPeriod},${slowPeriod},${signalPeriod})`,
    feed: 'candle',
    get value() {
      return value;
    },
    update(input: number | Bar) {
      const x = pick(source, input);
      const f = fast.update(x);
      const s = slow.update(x);
      if (f === undefined || s === undefined) return value;
      const line = f - s;
      const sig = signal.update(line);
      value = sig === undefined ? undefined : { macd: line, signal: sig, histogram: line - sig };
      return value;
    },
    reset() {
      fast.reset();
      slow.reset();
      signal.reset();
      value = undefined;
    },
  };
}
