// Naive O(n)-per-point reference implementations for the indicator specs: written from the
// textbook definitions over whole arrays, deliberately sharing no code with the incremental ones.
import type { Bar } from '../bar';

type Series = (number | undefined)[];

export function refSma(xs: readonly number[], n: number): Series {
  return xs.map((_, i) => (i + 1 < n ? undefined : xs.slice(i + 1 - n, i + 1).reduce((a, b) => a + b, 0) / n));
}

export function refEma(xs: readonly number[], n: number): Series {
  const out: Series = [];
  const k = 2 / (n + 1);
  let prev: number | undefined;
  xs.forEach((x, i) => {
    if (i + 1 < n) out.push(undefined);
    else if (i + 1 === n) out.push((prev = xs.slice(0, n).reduce((a, b) => a + b, 0) / n));
    else out.push((prev = x * k + (prev ?? 0) * (1 - k)));
  });
  return out;
}

export function refRsi(xs: readonly number[], n: number): Series {
  const out: Series = [undefined];
  const gains = xs.slice(1).map((x, i) => Math.max(0, x - (xs[i] ?? 0)));
  const losses = xs.slice(1).map((x, i) => Math.max(0, (xs[i] ?? 0) - x));
  let g = 0;
  let l = 0;
  for (let i = 0; i < gains.length; i += 1) {
    if (i + 1 < n) {
      out.push(undefined);
      continue;
    }
    if (i + 1 === n) {
      g = gains.slice(0, n).reduce((a, b) => a + b, 0) / n;
      l = losses.slice(0, n).reduce((a, b) => a + b, 0) / n;
    } else {
      g = (g * (n - 1) + (gains[i] ?? 0)) / n;
      l = (l * (n - 1) + (losses[i] ?? 0)) / n;
    }
    out.push(l === 0 ? (g === 0 ? 50 : 100) : 100 - 100 / (1 + g / l));
  }
  return out;
}

export function refMacd(xs: readonly number[], fast: number, slow: number, signal: number) {
  const f = refEma(xs, fast);
  const s = refEma(xs, slow);
  const line = xs.map((_, i) => (s[i] === undefined ? undefined : (f[i] ?? 0) - (s[i] ?? 0)));
  const defined = line.filter((v): v is number => v !== undefined);
  const sig = refEma(defined, signal);
  const offset = line.length - defined.length;
  return line.map((m, i) => {
    const sv = i >= offset ? sig[i - offset] : undefined;
    return m === undefined || sv === undefined ? undefined : { macd: m, signal: sv, histogram: m - sv };
  });
}

export function refAtr(bars: readonly Bar[], n: number): Series {
  const tr = bars.map((b, i) => {
    const pc = bars[i - 1]?.close;
    return pc === undefined ? b.high - b.low : Math.max(b.high - b.low, Math.abs(b.high - pc), Math.abs(b.low - pc));
  });
  const out: Series = [];
  let prev = 0;
  tr.forEach((t, i) => {
    if (i + 1 < n) out.push(undefined);
    else if (i + 1 === n) out.push((prev = tr.slice(0, n).reduce((a, b) => a + b, 0) / n));
    else out.push((prev = (prev * (n - 1) + t) / n));
  });
  return out;
}

export function refBollinger(xs: readonly number[], n: number, k: number) {
  return xs.map((_, i) => {
    if (i + 1 < n) return undefined;
    const w = xs.slice(i + 1 - n, i + 1);
    const mean = w.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(w.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
    return { upper: mean + k * sd, middle: mean, lower: mean - k * sd, stdDev: sd };
  });
}

export function refVwap(bars: readonly Bar[], sessionMs: number): Series {
  return bars.map((b, i) => {
    const session = Math.floor(b.time / sessionMs);
    const inSession = bars.slice(0, i + 1).filter((x) => Math.floor(x.time / sessionMs) === session);
    const vol = inSession.reduce((a, x) => a + x.volume, 0);
    const pv = inSession.reduce((a, x) => a + ((x.high + x.low + x.close) / 3) * x.volume, 0);
    return vol > 0 ? pv / vol : undefined;
  });
}

export function refWindow(xs: readonly number[], n: number, fn: (w: number[]) => number): Series {
  return xs.map((_, i) => (i + 1 < n ? undefined : fn(xs.slice(i + 1 - n, i + 1))));
}
