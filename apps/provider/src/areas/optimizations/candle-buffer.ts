import type { Candle } from '@barfinex/contracts';
import type { TimeFrame } from '@barfinex/enums';

/** Columns of a packed series, in this order, each `capacity` doubles long. */
const COLUMNS = 6;

/**
 * One symbol's bars packed into a SharedArrayBuffer as six Float64 columns (open time, open, high,
 * low, close, volume). Posted to a worker it is shared, not copied: every trial on every worker
 * reads the same memory, so a year of minute bars costs 25 MB once per job, not per trial.
 */
export interface SharedSeries {
  symbol: string;
  interval: TimeFrame;
  intervalMs: number;
  buffer: SharedArrayBuffer;
  capacity: number;
  length: number;
}

export function createSharedSeries(
  symbol: string,
  interval: TimeFrame,
  intervalMs: number,
  capacity: number,
): SharedSeries {
  return {
    symbol,
    interval,
    intervalMs,
    buffer: new SharedArrayBuffer(Math.max(1, capacity) * COLUMNS * 8),
    capacity,
    length: 0,
  };
}

/** A bar as the store gives it (decimal strings) or as the generator makes it (numbers). */
type BarValues = Pick<Candle, 'time'> & Record<'open' | 'high' | 'low' | 'close' | 'volume', string | number>;

/** Appends closed bars (oldest first); bars beyond the capacity are refused. */
export function appendCandles(series: SharedSeries, candles: readonly BarValues[]): void {
  const f = new Float64Array(series.buffer);
  const cap = series.capacity;
  for (const c of candles) {
    if (series.length >= cap) throw new RangeError(`series ${series.symbol} holds at most ${cap} bars`);
    const i = series.length;
    f[i] = c.time;
    f[cap + i] = Number(c.open);
    f[2 * cap + i] = Number(c.high);
    f[3 * cap + i] = Number(c.low);
    f[4 * cap + i] = Number(c.close);
    f[5 * cap + i] = Number(c.volume);
    series.length += 1;
  }
}

/** Reads bars back as the contract's Candle, as the live path publishes them. */
export function createSeriesReader(series: SharedSeries) {
  const f = new Float64Array(series.buffer);
  const cap = series.capacity;
  return {
    length: series.length,
    time: (i: number): number => f[i] as number,
    candle(i: number): Candle {
      const time = f[i] as number;
      return {
        symbol: series.symbol,
        interval: series.interval,
        time,
        closeTime: time + series.intervalMs - 1,
        open: String(f[cap + i]),
        high: String(f[2 * cap + i]),
        low: String(f[3 * cap + i]),
        close: String(f[4 * cap + i]),
        volume: String(f[5 * cap + i]),
        closed: true,
      };
    },
  };
}
export type SeriesReader = ReturnType<typeof createSeriesReader>;
