import type { Bar } from '../bar';
import type { SourceOptions } from './moving-average';
import { assertPeriod, createNumberRing, pick } from './types';
import type { Indicator } from './types';

/**
 * Wilder's ATR. The first bar's true range is high − low (there is no previous close); the
 * first ATR is the mean of the first `period` true ranges, later ones are smoothed with 1/period.
 */
export function atr(period = 14): Indicator<number, Bar> & { readonly feed: 'candle' } {
  assertPeriod('atr', period);
  let prevClose: number | undefined;
  let count = 0;
  let acc = 0;
  let value: number | undefined;
  return {
    name: `atr(${period})`,
    feed: 'candle',
    get value() {
      return value;
    },
    update(bar: Bar) {
      const tr =
        prevClose === undefined
          ? bar.high - bar.low
          : Math.max(bar.high - bar.low, Math.abs(bar.high - prevClose), Math.abs(bar.low - prevClose));
      prevClose = bar.close;
      if (value === undefined) {
        acc += tr;
        count += 1;
        if (count === period) value = acc / period;
        return value;
      }
      value = (value * (period - 1) + tr) / period;
      return value;
    },
    reset() {
      prevClose = undefined;
      count = 0;
      acc = 0;
      value = undefined;
    },
  };
}

export interface BollingerValue {
  upper: number;
  middle: number;
  lower: number;
  /** Population standard deviation of the window, as TA-Lib uses. */
  stdDev: number;
}

export interface BollingerOptions extends SourceOptions {
  period?: number;
  /** Band width in standard deviations; default 2. */
  multiplier?: number;
}

/** Bollinger bands: SMA ± multiplier × population standard deviation over `period` inputs. */
export function bollinger(options: BollingerOptions = {}): Indicator<BollingerValue> & { readonly feed: 'candle' } {
  const period = options.period ?? 20;
  const k = options.multiplier ?? 2;
  assertPeriod('bollinger', period);
  const source = options.source ?? 'close';
  const ring = createNumberRing(period);
  // Sums are kept around a shift (the first input) so squares stay small and cancellation mild.
  let shift: number | undefined;
  let sum = 0;
  let sumSq = 0;
  let value: BollingerValue | undefined;
  const resync = () => {
    sum = 0;
    sumSq = 0;
    ring.forEach((v) => {
      sum += v;
      sumSq += v * v;
    });
  };
  return {
    name: `bollinger(${period},${k})`,
    feed: 'candle',
    get value() {
      return value;
    },
    update(input: number | Bar) {
      const raw = pick(source, input);
      if (shift === undefined) shift = raw;
      const x = raw - shift;
      const out = ring.push(x);
      sum += x;
      sumSq += x * x;
      if (out !== undefined) {
        sum -= out;
        sumSq -= out * out;
      }
      if (ring.wrapped) resync();
      if (ring.size < period) return value;
      const mean = sum / period;
      const variance = Math.max(0, sumSq / period - mean * mean);
      const sd = Math.sqrt(variance);
      const middle = mean + shift;
      value = { upper: middle + k * sd, middle, lower: middle - k * sd, stdDev: sd };
      return value;
    },
    reset() {
      ring.clear();
      shift = undefined;
      sum = 0;
      sumSq = 0;
      value = undefined;
    },
  };
}
