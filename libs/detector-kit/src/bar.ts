import type { Candle, CandleValues } from '@barfinex/contracts';
import type { TradeSide } from '@barfinex/enums';

/**
 * A candle as indicators and detectors see it: the contracts' Candle's open time and values as
 * plain numbers, because indicator maths is statistics, not money. Prices become decimal strings
 * again when a signal leaves the runner.
 */
export type Bar = Pick<Candle, 'time'> &
  CandleValues<number> & {
    /** Taker-buy volume when the venue reports it; volume delta falls back to the candle's colour. */
    buyVolume?: number;
  };

/** One trade print as trade-fed indicators see it; `side` is the aggressor. */
export interface TradeTick {
  time: number;
  price: number;
  volume: number;
  side: TradeSide;
}

/** Anything carrying OHLCV as numbers or decimal strings, such as the contracts' `Candle`. */
export type CandleLike = Pick<Candle, 'time'> & CandleValues<number | string> & { buyVolume?: number | string };

export interface TradeLike {
  time: number;
  price: number | string;
  volume: number | string;
  side: TradeSide;
}

function num(value: number | string, field: string): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) throw new TypeError(`${field} is not a finite number: ${JSON.stringify(value)}`);
  return n;
}

function isNumericBar(candle: CandleLike): candle is Bar {
  return (
    typeof candle.open === 'number' &&
    Number.isFinite(candle.open) &&
    typeof candle.high === 'number' &&
    Number.isFinite(candle.high) &&
    typeof candle.low === 'number' &&
    Number.isFinite(candle.low) &&
    typeof candle.close === 'number' &&
    Number.isFinite(candle.close) &&
    typeof candle.volume === 'number' &&
    Number.isFinite(candle.volume) &&
    (candle.buyVolume === undefined || typeof candle.buyVolume === 'number')
  );
}

/** Numbers pass through untouched (no copy on the hot path); decimal strings are converted. */
export function toBar(candle: CandleLike): Bar {
  if (isNumericBar(candle)) return candle;
  const bar: Bar = {
    time: candle.time,
    open: num(candle.open, 'open'),
    high: num(candle.high, 'high'),
    low: num(candle.low, 'low'),
    close: num(candle.close, 'close'),
    volume: num(candle.volume, 'volume'),
  };
  if (candle.buyVolume !== undefined) bar.buyVolume = num(candle.buyVolume, 'buyVolume');
  return bar;
}

export function toTradeTick(trade: TradeLike): TradeTick {
  return { time: trade.time, price: num(trade.price, 'price'), volume: num(trade.volume, 'volume'), side: trade.side };
}
