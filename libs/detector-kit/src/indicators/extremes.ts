import type { Bar } from '../bar';
import type { SourceOptions } from './moving-average';
import { assertPeriod, pick } from './types';
import type { Indicator } from './types';

/**
 * Max (or min) over the last `period` inputs with a monotonic deque: each input is pushed and
 * popped at most once, so updates are amortised O(1) whatever the period.
 */
function rollingExtreme(
  kind: 'high' | 'low',
  period: number,
  options: SourceOptions,
): Indicator<number> & { readonly feed: 'candle' } {
  assertPeriod(kind === 'high' ? 'rollingHigh' : 'rollingLow', period);
  const source = options.source ?? kind;
  // Circular storage for the deque; it never holds more than `period` entries.
  const values = new Float64Array(period);
  const indexes = new Float64Array(period);
  let head = 0;
  let size = 0;
  let seen = 0;
  let value: number | undefined;
  const dominated = kind === 'high' ? (old: number, x: number) => old <= x : (old: number, x: number) => old >= x;
  return {
    name: `${kind === 'high' ? 'rollingHigh' : 'rollingLow'}(${period})`,
    feed: 'candle',
    get value() {
      return value;
    },
    update(input: number | Bar) {
      const x = pick(source, input);
      const index = seen;
      seen += 1;
      // Evict first so the push below always has a free slot.
      if (size > 0 && (indexes[head] ?? 0) <= index - period) {
        head = (head + 1) % period;
        size -= 1;
      }
      while (size > 0 && dominated(values[(head + size - 1) % period] ?? 0, x)) size -= 1;
      const tail = (head + size) % period;
      values[tail] = x;
      indexes[tail] = index;
      size += 1;
      value = seen >= period ? values[head] : undefined;
      return value;
    },
    reset() {
      head = 0;
      size = 0;
      seen = 0;
      value = undefined;
    },
  };
}

/** Highest value of the last `period` inputs (candle `high` by default). */
export function rollingHigh(period: number, options: SourceOptions = {}) {
  return rollingExtreme('high', period, options);
}

/** Lowest value of the last `period` inputs (candle `low` by default). */
export function rollingLow(period: number, options: SourceOptions = {}) {
  return rollingExtreme('low', period, options);
}
