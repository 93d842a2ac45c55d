import type { Bar, TradeTick } from '../bar';
import { assertPeriod, createNumberRing } from './types';
import type { Indicator } from './types';

const DAY_MS = 86_400_000;

export interface VwapOptions {
  /**
   * When the running sums restart: `day` (UTC midnight, the default), `none` (never), or a
   * session length in ms aligned to the epoch.
   */
  session?: 'day' | 'none' | number;
}

/** Volume-weighted average of the typical price (h + l + c) / 3, reset per session. */
export function vwap(options: VwapOptions = {}): Indicator<number, Bar> & { readonly feed: 'candle' } {
  const session = options.session ?? 'day';
  const sessionMs = session === 'day' ? DAY_MS : session === 'none' ? undefined : session;
  if (sessionMs !== undefined && !(sessionMs > 0))
    throw new RangeError(`vwap: session must be positive, got ${sessionMs}`);
  let sessionId: number | undefined;
  let pv = 0;
  let vol = 0;
  let value: number | undefined;
  return {
    name: `vwap(${String(session)})`,
    feed: 'candle',
    get value() {
      return value;
    },
    update(bar: Bar) {
      const id = sessionMs === undefined ? 0 : Math.floor(bar.time / sessionMs);
      if (id !== sessionId) {
        sessionId = id;
        pv = 0;
        vol = 0;
      }
      pv += ((bar.high + bar.low + bar.close) / 3) * bar.volume;
      vol += bar.volume;
      value = vol > 0 ? pv / vol : undefined;
      return value;
    },
    reset() {
      sessionId = undefined;
      pv = 0;
      vol = 0;
      value = undefined;
    },
  };
}

export interface VolumeDeltaValue {
  buy: number;
  sell: number;
  /** buy − sell */
  delta: number;
  /** buy / (buy + sell), 0.5 when there was no volume. */
  ratio: number;
}

function deltaValue(buy: number, sell: number): VolumeDeltaValue {
  const total = buy + sell;
  return { buy, sell, delta: buy - sell, ratio: total > 0 ? buy / total : 0.5 };
}

/**
 * Buy − sell volume over the last `period` candles. A candle's buy volume is its `buyVolume`
 * when the venue reports taker-buy volume; otherwise the whole candle counts for the side of its
 * colour (close ≥ open is buying), a coarse but common approximation.
 */
export function volumeDelta(period: number): Indicator<VolumeDeltaValue, Bar> & { readonly feed: 'candle' } {
  assertPeriod('volumeDelta', period);
  const buys = createNumberRing(period);
  const sells = createNumberRing(period);
  let buy = 0;
  let sell = 0;
  let value: VolumeDeltaValue | undefined;
  return {
    name: `volumeDelta(${period})`,
    feed: 'candle',
    get value() {
      return value;
    },
    update(bar: Bar) {
      const b = bar.buyVolume ?? (bar.close >= bar.open ? bar.volume : 0);
      const s = bar.volume - b;
      buy += b - (buys.push(b) ?? 0);
      sell += s - (sells.push(s) ?? 0);
      if (buys.wrapped) {
        buy = buys.sum();
        sell = sells.sum();
      }
      value = buys.size === period ? deltaValue(buy, sell) : undefined;
      return value;
    },
    reset() {
      buys.clear();
      sells.clear();
      buy = 0;
      sell = 0;
      value = undefined;
    },
  };
}

/**
 * Buy − sell volume of the trades in the last `windowMs` before the newest trade, by aggressor
 * side. Amortised O(1): each trade enters and leaves the window once. A value exists from the
 * first trade on.
 */
export function tradeVolumeDelta(
  windowMs: number,
): Indicator<VolumeDeltaValue, TradeTick> & { readonly feed: 'trade' } {
  if (!(windowMs > 0)) throw new RangeError(`tradeVolumeDelta: windowMs must be positive, got ${windowMs}`);
  let times: number[] = [];
  let signed: number[] = [];
  let start = 0;
  let buy = 0;
  let sell = 0;
  let value: VolumeDeltaValue | undefined;
  return {
    name: `tradeVolumeDelta(${windowMs}ms)`,
    feed: 'trade',
    get value() {
      return value;
    },
    update(trade: TradeTick) {
      times.push(trade.time);
      signed.push(trade.side === 'LONG' ? trade.volume : -trade.volume);
      if (trade.side === 'LONG') buy += trade.volume;
      else sell += trade.volume;
      const horizon = trade.time - windowMs;
      while (start < times.length && (times[start] ?? 0) <= horizon) {
        const v = signed[start] ?? 0;
        if (v > 0) buy -= v;
        else sell += v;
        start += 1;
      }
      // Compact once the dead prefix dominates, keeping memory proportional to the window.
      if (start > 1024 && start * 2 > times.length) {
        times = times.slice(start);
        signed = signed.slice(start);
        start = 0;
      }
      value = deltaValue(Math.max(0, buy), Math.max(0, sell));
      return value;
    },
    reset() {
      times = [];
      signed = [];
      start = 0;
      buy = 0;
      sell = 0;
      value = undefined;
    },
  };
}
