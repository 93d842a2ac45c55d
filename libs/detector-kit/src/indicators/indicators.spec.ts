import type { Bar } from '../bar';
import { generateGbmCandles } from '../gbm';
import { rollingHigh, rollingLow } from './extremes';
import { ema, sma } from './moving-average';
import { macd, rsi } from './oscillators';
import { refAtr, refBollinger, refEma, refMacd, refRsi, refSma, refVwap, refWindow } from './reference';
import { atr, bollinger } from './volatility';
import { tradeVolumeDelta, volumeDelta, vwap } from './volume';

// Two seeded datasets: prices near 100, and near 60 000 where float cancellation would show.
const low = generateGbmCandles({ seed: 1, count: 3000, startPrice: 100, volatility: 0.01, timeframe: 'min15' });
const high = generateGbmCandles({ seed: 2, count: 3000, startPrice: 60000, volatility: 0.02, timeframe: 'h1' });

function expectClose(actual: number | undefined, expected: number | undefined, at: number): void {
  if (expected === undefined || actual === undefined) {
    expect({ at, actual }).toEqual({ at, actual: expected });
    return;
  }
  const tolerance = 1e-9 * Math.max(1, Math.abs(expected));
  if (Math.abs(actual - expected) > tolerance) throw new Error(`at ${at}: ${actual} differs from ${expected}`);
}

describe.each([
  ['prices near 100', low],
  ['prices near 60 000', high],
])('indicators against naive references (%s)', (_label, bars: Bar[]) => {
  const closes = bars.map((b) => b.close);

  it.each([1, 2, 14, 50])('sma(%i)', (n) => {
    const ind = sma(n);
    const ref = refSma(closes, n);
    bars.forEach((b, i) => expectClose(ind.update(b), ref[i], i));
  });

  it.each([1, 9, 26, 200])('ema(%i)', (n) => {
    const ind = ema(n);
    const ref = refEma(closes, n);
    bars.forEach((b, i) => expectClose(ind.update(b), ref[i], i));
  });

  it.each([2, 14, 30])('rsi(%i)', (n) => {
    const ind = rsi(n);
    const ref = refRsi(closes, n);
    bars.forEach((b, i) => expectClose(ind.update(b), ref[i], i));
  });

  it('macd(12, 26, 9)', () => {
    const ind = macd();
    const ref = refMacd(closes, 12, 26, 9);
    bars.forEach((b, i) => {
      const v = ind.update(b);
      const r = ref[i];
      expect(v === undefined).toBe(r === undefined);
      expectClose(v?.macd, r?.macd, i);
      expectClose(v?.signal, r?.signal, i);
      expectClose(v?.histogram, r?.histogram, i);
    });
    // Slow EMA seeded on input 26, signal EMA on the 9th line value: 34 inputs in all.
    expect(ref.findIndex((r) => r !== undefined)).toBe(33);
  });

  it.each([1, 14])('atr(%i)', (n) => {
    const ind = atr(n);
    const ref = refAtr(bars, n);
    bars.forEach((b, i) => expectClose(ind.update(b), ref[i], i));
  });

  it.each([
    [20, 2],
    [5, 1.5],
  ])('bollinger(%i, %d)', (n, k) => {
    const ind = bollinger({ period: n, multiplier: k });
    const ref = refBollinger(closes, n, k);
    bars.forEach((b, i) => {
      const v = ind.update(b);
      for (const key of ['upper', 'middle', 'lower', 'stdDev'] as const) expectClose(v?.[key], ref[i]?.[key], i);
    });
  });

  it('vwap with daily sessions', () => {
    const ind = vwap();
    const ref = refVwap(bars, 86_400_000);
    bars.forEach((b, i) => expectClose(ind.update(b), ref[i], i));
  });

  it.each([1, 3, 20, 100])('rollingHigh / rollingLow(%i)', (n) => {
    const hi = rollingHigh(n);
    const lo = rollingLow(n);
    const refHi = refWindow(
      bars.map((b) => b.high),
      n,
      (w) => Math.max(...w),
    );
    const refLo = refWindow(
      bars.map((b) => b.low),
      n,
      (w) => Math.min(...w),
    );
    bars.forEach((b, i) => {
      expect(hi.update(b)).toBe(refHi[i]);
      expect(lo.update(b)).toBe(refLo[i]);
    });
  });

  it('volumeDelta(10) classifies by candle colour without taker volume', () => {
    const ind = volumeDelta(10);
    const signed = bars.map((b) => (b.close >= b.open ? b.volume : -b.volume));
    const ref = refWindow(signed, 10, (w) => w.reduce((a, x) => a + x, 0));
    bars.forEach((b, i) => expectClose(ind.update(b)?.delta, ref[i], i));
  });
});

describe('reference values', () => {
  // StockCharts' RSI(14) worked example (cs-rsi.xls). Their sheet rounds the averages, which
  // moves early values by a few hundredths; the exact first value follows from the data by
  // hand: average gain 3.34 / 14, average loss 1.40 / 14, RS = 3.34 / 1.40.
  const closes = [
    44.34, 44.09, 44.15, 43.61, 44.33, 44.83, 45.1, 45.42, 45.84, 46.08, 45.89, 46.03, 45.61, 46.28, 46.28, 46.0, 46.03,
    46.41, 46.22, 45.64, 46.21, 46.25, 45.71, 46.45, 45.78, 45.35, 44.03, 44.18, 44.22, 44.57, 43.42, 42.66, 43.13,
  ];
  const published = [
    70.53, 66.32, 66.55, 69.41, 66.36, 57.97, 62.93, 63.26, 56.06, 62.38, 54.71, 50.42, 39.99, 41.46, 41.87, 45.46,
    37.3, 33.08, 37.77,
  ];

  it('matches the Wilder RSI worked example', () => {
    const ind = rsi(14);
    const values = closes.map((c) => ind.update(c));
    expect(values.slice(0, 14)).toEqual(new Array(14).fill(undefined));
    expect(values[14]).toBeCloseTo(100 - 100 / (1 + 3.34 / 1.4), 10);
    values.slice(14).forEach((v, i) => expect(Math.abs((v ?? 0) - (published[i] ?? 0))).toBeLessThan(0.08));
    expect(values.at(-1)).toBeCloseTo(37.79, 2);
  });

  it('computes textbook SMA/EMA values', () => {
    const s = sma(3);
    expect([1, 2, 3, 4, 5].map((x) => s.update(x))).toEqual([undefined, undefined, 2, 3, 4]);
    const e = ema(3);
    // Seed = SMA(1, 2, 3) = 2; then 2 + 0.5 × (4 − 2) = 3; then 3 + 0.5 × (5 − 3) = 4.
    expect([1, 2, 3, 4, 5].map((x) => e.update(x))).toEqual([undefined, undefined, 2, 3, 4]);
  });

  it('computes a Bollinger band by hand', () => {
    const b = bollinger({ period: 4, multiplier: 2 });
    [2, 4, 4, 4].forEach((x) => b.update(x));
    // Mean 3.5, population variance ((1.5)² + 3 × 0.5²) / 4 = 0.75.
    expect(b.value?.middle).toBeCloseTo(3.5, 12);
    expect(b.value?.stdDev).toBeCloseTo(Math.sqrt(0.75), 12);
    expect(b.value?.upper).toBeCloseTo(3.5 + 2 * Math.sqrt(0.75), 12);
  });
});

describe('indicator behaviour', () => {
  it('reset returns an indicator to warm-up', () => {
    const ind = sma(2);
    ind.update(1);
    ind.update(3);
    expect(ind.value).toBe(2);
    ind.reset();
    expect(ind.value).toBeUndefined();
    expect(ind.update(10)).toBeUndefined();
    expect(ind.update(20)).toBe(15);
  });

  it('reads the configured candle source', () => {
    const bar: Bar = { time: 0, open: 1, high: 4, low: 0, close: 2, volume: 9 };
    expect(sma(1, { source: 'hl2' }).update(bar)).toBe(2);
    expect(sma(1, { source: 'volume' }).update(bar)).toBe(9);
    expect(sma(1, { source: (b) => b.high * 10 }).update(bar)).toBe(40);
  });

  it('uses taker-buy volume when the candle has it', () => {
    const ind = volumeDelta(2);
    ind.update({ time: 0, open: 1, high: 1, low: 1, close: 1, volume: 10, buyVolume: 7 });
    expect(ind.update({ time: 1, open: 2, high: 2, low: 1, close: 1, volume: 4, buyVolume: 1 })).toEqual({
      buy: 8,
      sell: 6,
      delta: 2,
      ratio: 8 / 14,
    });
  });

  it('vwap restarts each session and can run without sessions', () => {
    const day = 86_400_000;
    const a: Bar = { time: day - 60_000, open: 10, high: 10, low: 10, close: 10, volume: 1 };
    const b: Bar = { time: day, open: 20, high: 20, low: 20, close: 20, volume: 1 };
    const daily = vwap();
    daily.update(a);
    expect(daily.update(b)).toBe(20);
    const running = vwap({ session: 'none' });
    running.update(a);
    expect(running.update(b)).toBe(15);
  });

  it('tradeVolumeDelta sums aggressor volume over a time window', () => {
    const ind = tradeVolumeDelta(1000);
    const trades = Array.from({ length: 5000 }, (_, i) => ({
      time: i * 7,
      price: 100,
      volume: (i % 13) + 1,
      side: i % 3 === 0 ? ('SHORT' as const) : ('LONG' as const),
    }));
    trades.forEach((t, i) => {
      const v = ind.update(t);
      const inWindow = trades.slice(0, i + 1).filter((x) => x.time > t.time - 1000);
      const buy = inWindow.filter((x) => x.side === 'LONG').reduce((a, x) => a + x.volume, 0);
      const sell = inWindow.filter((x) => x.side === 'SHORT').reduce((a, x) => a + x.volume, 0);
      expect(v).toEqual({ buy, sell, delta: buy - sell, ratio: buy / (buy + sell) });
    });
  });

  it('rejects nonsensical periods', () => {
    expect(() => sma(0)).toThrow(RangeError);
    expect(() => ema(1.5)).toThrow(RangeError);
    expect(() => macd({ fast: 26, slow: 12 })).toThrow(/fast/);
    expect(() => tradeVolumeDelta(0)).toThrow(RangeError);
  });
});
