import type { Bar } from '../bar';
import { assertPeriod, createNumberRing, pick } from './types';
import type { Indicator, PriceSource } from './types';

export interface SourceOptions {
  /** Candle field to read when a candle is passed; default `close`. */
  source?: PriceSource;
}

/** Simple moving average over the last `period` inputs. */
export function sma(period: number, options: SourceOptions = {}): Indicator<number> & { readonly feed: 'candle' } {
  assertPeriod('sma', period);
  const source = options.source ?? 'close';
  const ring = createNumberRing(period);
  let sum = 0;
  let value: number | undefined;
  return {
    name: `sma(${period})`,
    feed: 'candle',
    get value() {
      return value;
    },
    update(input: number | Bar) {
      const x = pick(source, input);
      const out = ring.push(x);
      sum += x - (out ?? 0);
      if (ring.wrapped) sum = ring.sum();
      value = ring.size === period ? sum / period : undefined;
      return value;
    },
    reset() {
      ring.clear();
      sum = 0;
      value = undefined;
    },
  };
}

/**
 * Exponential moving average, alpha = 2 / (period + 1), seeded with the SMA of the first
 * `period` inputs as TA-Lib does, so the first value appears on input number `period`.
 */
export function ema(period: number, options: SourceOptions = {}): Indicator<number> & { readonly feed: 'candle' } {
  assertPeriod('ema', period);
  const source = options.source ?? 'close';
  const alpha = 2 / (period + 1);
  let count = 0;
  let seed = 0;
  let value: number | undefined;
  return {
    name: `ema(${period})`,
    feed: 'candle',
    get value() {
      return value;
    },
    update(input: number | Bar) {
      const x = pick(source, input);
      if (value === undefined) {
        seed += x;
        count += 1;
        if (count === period) value = seed / period;
        return value;
      }
      value += alpha * (x - value);
      return value;
    },
    reset() {
      count = 0;
      seed = 0;
      value = undefined;
    },
  };
}
