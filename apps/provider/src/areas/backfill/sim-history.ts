import type { Candle } from '@barfinex/contracts';
import { nextTimeFrameStart, timeFrameStart } from '@barfinex/enums';
import type { MarketType, TimeFrame } from '@barfinex/enums';
import { hashString, hashUnit } from '../../connectors/sim/prng';

const MINUTE = 60_000;
const MINUTES_PER_DAY = 1_440;
/** Where an unanchored walk starts (at the symbol's configured price); earlier days walk backwards. */
const DEFAULT_ORIGIN = Date.UTC(2020, 0, 1);
const DAY = 86_400_000;
/** Longest history one call serves, so a typo in a range cannot pin the CPU. */
const MAX_DAYS = 3_700;

export interface SimHistorySymbol {
  symbol: string;
  price: string | number;
  tickSize: string | number;
  stepSize: string | number;
  /** Annualised. */
  volatility: number;
  tradeSize: string | number;
}

/** Where the simulator's live market began: its time and the price its first tick moved from. */
export interface SimLiveStart {
  time: number;
  price: string | number;
}

export interface SimHistoryOptions {
  /**
   * Anchors history to the live market: the walk is generated backwards from `price` at `time`,
   * so the last history bar closes at the price live data starts from, and history ends there
   * (later bars are the live market's, which a seeded walk cannot reproduce). Without it the walk
   * starts at the symbol's price on 2020-01-01 and runs forward without end.
   */
  liveFrom?: SimLiveStart;
}

const placesOf = (value: string | number) => {
  const step = String(value);
  return step.includes('.') ? step.length - step.indexOf('.') - 1 : 0;
};

function normal(seed: number, a: number, b: number): number {
  const u = 1 - hashUnit(seed, a, b, 0x51);
  const v = hashUnit(seed, a, b, 0xa7);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * Deterministic candle history for the simulator: a pure function of (seed, symbol, anchor,
 * time), so any page, in any order, at any interval gives the same bars, and coarser bars are
 * exactly the aggregate of the minute bars inside them. The walk is pinned at the anchor minute
 * (the live start, or 2020-01-01) and takes one-day segments from there: segment marks follow a
 * random walk at the symbol's volatility, backwards before the anchor and forwards after it, and
 * the minutes between two marks are a Brownian bridge, so no page depends on another.
 */
export function createSimHistory(seed: number | string, spec: SimHistorySymbol, options: SimHistoryOptions = {}) {
  const key = hashString(`${String(seed)}:${spec.symbol}:history`);
  const dailyVol = spec.volatility / Math.sqrt(365);
  const minuteVol = dailyVol / Math.sqrt(MINUTES_PER_DAY);
  const live = options.liveFrom;
  const anchorLog = Math.log(Number(live?.price ?? spec.price));
  /** The minute mark pinned to the anchor price: the close of the last bar that ends by the anchor. */
  const anchorMinute = Math.floor((live?.time ?? DEFAULT_ORIGIN) / MINUTE);
  const endMs = live?.time ?? Number.POSITIVE_INFINITY;
  const pricePlaces = placesOf(spec.tickSize);
  const volumePlaces = placesOf(spec.stepSize);
  const tradeSize = Number(spec.tradeSize);
  /** Log price at the start of segment k (k = 0 starts at the anchor). */
  const marks = new Map<number, number>([[0, anchorLog]]);
  const stepOf = (k: number) => dailyVol * normal(key, k, 1) - (dailyVol * dailyVol) / 2;

  function markLog(k: number): number {
    const cached = marks.get(k);
    if (cached !== undefined) return cached;
    // Walk from the nearest known mark towards k, caching on the way, so long ranges stay linear.
    const dir = k > 0 ? 1 : -1;
    let from = k;
    while (!marks.has(from)) from -= dir;
    let log = marks.get(from) as number;
    for (let j = from + dir; dir > 0 ? j <= k : j >= k; j += dir) {
      log += dir > 0 ? stepOf(j - 1) : -stepOf(j);
      marks.set(j, log);
    }
    return log;
  }

  /** Log prices at the 1,441 minute marks of segment k (both segment marks included). */
  function segmentPath(k: number): Float64Array {
    const start = markLog(k);
    const end = markLog(k + 1);
    const walk = new Float64Array(MINUTES_PER_DAY + 1);
    for (let m = 1; m <= MINUTES_PER_DAY; m += 1) walk[m] = (walk[m - 1] as number) + minuteVol * normal(key, k, m + 2);
    const drift = (walk[MINUTES_PER_DAY] as number) / MINUTES_PER_DAY;
    for (let m = 0; m <= MINUTES_PER_DAY; m += 1)
      walk[m] = start + ((end - start) * m) / MINUTES_PER_DAY + (walk[m] as number) - drift * m;
    return walk;
  }

  return {
    /** Closed bars with open time in [fromMs, toMs] (and closed by `nowMs` and by the live start), oldest first. */
    candles(
      market: MarketType,
      interval: TimeFrame,
      fromMs: number,
      toMs: number,
      nowMs: number = Number.POSITIVE_INFINITY,
    ): Candle[] {
      const out: Candle[] = [];
      let open = timeFrameStart(interval, fromMs);
      if (open < fromMs) open = nextTimeFrameStart(interval, open);
      if ((toMs - open) / DAY > MAX_DAYS) throw new RangeError(`at most ${MAX_DAYS} days of history per call`);
      const until = Math.min(nowMs, endMs);
      let path: Float64Array | undefined;
      let pathSegment = Number.NaN;
      const price = (t: number) => {
        const minute = Math.floor(t / MINUTE) - anchorMinute;
        const k = Math.floor(minute / MINUTES_PER_DAY);
        if (k !== pathSegment) {
          path = segmentPath(k);
          pathSegment = k;
        }
        return (path as Float64Array)[minute - k * MINUTES_PER_DAY] as number;
      };
      while (open <= toMs) {
        const close = nextTimeFrameStart(interval, open);
        if (close > until) break;
        let high = Number.NEGATIVE_INFINITY;
        let low = Number.POSITIVE_INFINITY;
        let volume = 0;
        const o = price(open);
        for (let t = open; t < close; t += MINUTE) {
          const a = price(t);
          const b = price(t + MINUTE);
          // Wicks beyond the open/close line of each minute, the same whichever bar contains it.
          const minute = Math.floor(t / MINUTE);
          high = Math.max(high, Math.max(a, b) + Math.abs(normal(key, minute, -1)) * minuteVol * 0.5);
          low = Math.min(low, Math.min(a, b) - Math.abs(normal(key, minute, -2)) * minuteVol * 0.5);
          volume += tradeSize * (0.5 + hashUnit(key, minute, -3, 7)) * 20;
        }
        const c = price(close);
        const fmt = (log: number) => Math.exp(log).toFixed(pricePlaces);
        const [po, pc] = [fmt(o), fmt(c)];
        const ph = fmt(Math.max(high, o, c));
        const pl = fmt(Math.min(low, o, c));
        out.push({
          symbol: spec.symbol,
          interval,
          time: open,
          closeTime: close - 1,
          open: po,
          high: ph,
          low: pl,
          close: pc,
          volume: volume.toFixed(volumePlaces),
          closed: true,
          connectorType: 'sim',
          marketType: market,
        });
        open = close;
      }
      return out;
    },
  };
}

export type SimHistory = ReturnType<typeof createSimHistory>;
