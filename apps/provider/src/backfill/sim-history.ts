import type { Candle } from '@barfinex/contracts';
import { nextTimeFrameStart, timeFrameStart } from '@barfinex/enums';
import type { MarketType, TimeFrame } from '@barfinex/enums';
import { hashString, hashUnit } from '../connectors/sim/prng';

const MINUTE = 60_000;
const DAY = 86_400_000;
const MINUTES_PER_DAY = 1_440;
/** Day 0 of the history walk; earlier days walk backwards from it. */
const EPOCH_DAY = Math.floor(Date.UTC(2020, 0, 1) / DAY);
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
 * Deterministic candle history for the simulator: a pure function of (seed, symbol, time), so
 * any page, in any order, at any interval gives the same bars, and coarser bars are exactly the
 * aggregate of the minute bars inside them. Day opens follow a random walk at the symbol's
 * volatility; minutes between two day opens are a Brownian bridge, so no page depends on another.
 */
export function createSimHistory(seed: number | string, spec: SimHistorySymbol) {
  const key = hashString(`${String(seed)}:${spec.symbol}:history`);
  const dailyVol = spec.volatility / Math.sqrt(365);
  const minuteVol = dailyVol / Math.sqrt(MINUTES_PER_DAY);
  const logStart = Math.log(Number(spec.price));
  const pricePlaces = placesOf(spec.tickSize);
  const volumePlaces = placesOf(spec.stepSize);
  const tradeSize = Number(spec.tradeSize);
  const dayLog = new Map<number, number>();

  function dayOpenLog(day: number): number {
    const cached = dayLog.get(day);
    if (cached !== undefined) return cached;
    let log = logStart;
    if (day >= EPOCH_DAY) for (let d = EPOCH_DAY; d < day; d += 1) log += dailyVol * normal(key, d, 1) - (dailyVol * dailyVol) / 2;
    else for (let d = day; d < EPOCH_DAY; d += 1) log -= dailyVol * normal(key, d, 1) - (dailyVol * dailyVol) / 2;
    dayLog.set(day, log);
    return log;
  }

  /** Log prices at the 1,441 minute marks of one day (both day opens included). */
  function dayPath(day: number): Float64Array {
    const start = dayOpenLog(day);
    const end = dayOpenLog(day + 1);
    const walk = new Float64Array(MINUTES_PER_DAY + 1);
    for (let m = 1; m <= MINUTES_PER_DAY; m += 1) walk[m] = (walk[m - 1] as number) + minuteVol * normal(key, day, m + 2);
    const drift = (walk[MINUTES_PER_DAY] as number) / MINUTES_PER_DAY;
    for (let m = 0; m <= MINUTES_PER_DAY; m += 1) walk[m] = start + ((end - start) * m) / MINUTES_PER_DAY + (walk[m] as number) - drift * m;
    return walk;
  }

  return {
    /** Closed bars with open time in [fromMs, toMs] (and closed by `nowMs`), oldest first. */
    candles(market: MarketType, interval: TimeFrame, fromMs: number, toMs: number, nowMs: number = Number.POSITIVE_INFINITY): Candle[] {
      const out: Candle[] = [];
      let open = timeFrameStart(interval, fromMs);
      if (open < fromMs) open = nextTimeFrameStart(interval, open);
      if ((toMs - open) / DAY > MAX_DAYS) throw new RangeError(`at most ${MAX_DAYS} days of history per call`);
      let path: Float64Array | undefined;
      let pathDay = Number.NaN;
      const price = (t: number) => {
        const day = Math.floor(t / DAY);
        if (day !== pathDay) {
          path = dayPath(day);
          pathDay = day;
        }
        return (path as Float64Array)[Math.floor((t - day * DAY) / MINUTE)] as number;
      };
      while (open <= toMs) {
        const close = nextTimeFrameStart(interval, open);
        if (close > nowMs) break;
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
        out.push({ symbol: spec.symbol, interval, time: open, closeTime: close - 1, open: po, high: ph, low: pl, close: pc, volume: volume.toFixed(volumePlaces), closed: true, connectorType: 'sim', marketType: market });
        open = close;
      }
      return out;
    },
  };
}

export type SimHistory = ReturnType<typeof createSimHistory>;
