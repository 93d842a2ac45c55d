import type { Bar, TradeTick } from '../bar';

/**
 * An incremental indicator: O(1) per update, `undefined` until it has seen enough input.
 * `feed` tells the runner what to push into it on its own.
 */
export interface Indicator<T, In = number | Bar> {
  readonly name: string;
  readonly feed: 'candle' | 'trade';
  readonly value: T | undefined;
  update(input: In): T | undefined;
  reset(): void;
}

export type CandleIndicator<T> = Indicator<T, Bar> & { readonly feed: 'candle' };
export type TradeIndicator<T> = Indicator<T, TradeTick> & { readonly feed: 'trade' };

/** Which number of a candle a single-input indicator reads. */
export type PriceSource =
  'open' | 'high' | 'low' | 'close' | 'volume' | 'hl2' | 'hlc3' | 'ohlc4' | ((bar: Bar) => number);

export function pick(source: PriceSource, input: number | Bar): number {
  if (typeof input === 'number') return input;
  switch (source) {
    case 'open':
    case 'high':
    case 'low':
    case 'close':
    case 'volume':
      return input[source];
    case 'hl2':
      return (input.high + input.low) / 2;
    case 'hlc3':
      return (input.high + input.low + input.close) / 3;
    case 'ohlc4':
      return (input.open + input.high + input.low + input.close) / 4;
    default:
      return source(input);
  }
}

export function assertPeriod(name: string, period: number): void {
  if (!Number.isInteger(period) || period < 1)
    throw new RangeError(`${name}: period must be a positive integer, got ${period}`);
}

/**
 * Fixed-capacity ring of numbers for windowed sums. Indicators recompute their running sums from
 * it each time it wraps, which bounds float drift at an amortised O(1) cost.
 */
export interface NumberRing {
  readonly size: number;
  readonly capacity: number;
  /** Pushes `value`; returns the value that fell out, or undefined while filling. */
  push(value: number): number | undefined;
  /** True right after a push that wrapped the write position back to the start. */
  readonly wrapped: boolean;
  sum(): number;
  forEach(fn: (value: number) => void): void;
  clear(): void;
}

export function createNumberRing(capacity: number): NumberRing {
  const data = new Float64Array(capacity);
  let head = 0;
  let size = 0;
  let wrapped = false;
  return {
    get size() {
      return size;
    },
    capacity,
    get wrapped() {
      return wrapped;
    },
    push(value) {
      const out = size === capacity ? data[head] : undefined;
      data[head] = value;
      head = head + 1 === capacity ? 0 : head + 1;
      wrapped = head === 0;
      if (size < capacity) size += 1;
      return out;
    },
    sum() {
      let total = 0;
      for (let i = 0; i < size; i += 1) total += data[i] ?? 0;
      return total;
    },
    forEach(fn) {
      for (let i = 0; i < size; i += 1) fn(data[i] ?? 0);
    },
    clear() {
      head = 0;
      size = 0;
      wrapped = false;
    },
  };
}
