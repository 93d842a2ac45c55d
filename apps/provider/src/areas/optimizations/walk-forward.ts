import type { TrialStats } from './scoring';

/** Bar index ranges, end exclusive. In-sample always ends where out-of-sample begins. */
export interface Fold {
  index: number;
  isStart: number;
  isEnd: number;
  /** Absent without walk-forward: the whole range is in-sample. */
  oos?: { start: number; end: number };
}

export interface WalkForwardOptions {
  mode: 'rolling' | 'anchored';
  folds: number;
  inSampleRatio: number;
}

/** Fewest bars a fold's side may have: a shorter window scores nothing meaningful. */
export const MIN_FOLD_BARS = 20;

/**
 * Folds over `bars` bars. Rolling: an in-sample window of fixed length slides by one
 * out-of-sample length; anchored: in-sample always starts at bar 0 and grows. The out-of-sample
 * windows tile the end of the range without overlap, so stitched together they are one
 * continuous out-of-sample period. Returns undefined when the windows would be too short.
 */
export function walkForwardFolds(bars: number, options: WalkForwardOptions | undefined): Fold[] | undefined {
  if (!options) return bars >= MIN_FOLD_BARS ? [{ index: 0, isStart: 0, isEnd: bars }] : undefined;
  const r = options.inSampleRatio;
  const oosLen = Math.floor(bars / (options.folds + r / (1 - r)));
  const isLen = bars - options.folds * oosLen;
  if (oosLen < MIN_FOLD_BARS || isLen < MIN_FOLD_BARS) return undefined;
  return Array.from({ length: options.folds }, (_, k) => {
    const oosStart = isLen + k * oosLen;
    const oosEnd = k === options.folds - 1 ? bars : oosStart + oosLen;
    const isStart = options.mode === 'anchored' ? 0 : oosStart - isLen;
    return { index: k, isStart, isEnd: oosStart, oos: { start: oosStart, end: oosEnd } };
  });
}

/** Deepest fall along a curve of [time, equity] points, in percent. */
function curveDrawdownPct(curve: ReadonlyArray<readonly [number, number]>): number {
  let peak = -Infinity;
  let worst = 0;
  for (const [, v] of curve) {
    if (v > peak) peak = v;
    else if (peak > 0) worst = Math.max(worst, ((peak - v) / peak) * 100);
  }
  return worst;
}

/**
 * The out-of-sample windows one after another, each compounding on the last: the walk-forward
 * headline. Curves are rescaled to continue where the previous window ended.
 */
export function stitchStats(parts: readonly TrialStats[]): TrialStats | undefined {
  if (parts.length === 0) return undefined;
  const curve: Array<[number, number]> = [];
  let scale = 1;
  for (const p of parts) {
    const start = p.curve[0]?.[1];
    if (start === undefined || start <= 0) continue;
    const base = curve.length > 0 ? (curve[curve.length - 1] as [number, number])[1] : start;
    scale = base / start;
    for (const [t, v] of p.curve) curve.push([t, v * scale]);
  }
  return {
    bars: parts.reduce((a, p) => a + p.bars, 0),
    sum: parts.reduce((a, p) => a + p.sum, 0),
    sumSq: parts.reduce((a, p) => a + p.sumSq, 0),
    downSq: parts.reduce((a, p) => a + p.downSq, 0),
    totalReturn: parts.reduce((a, p) => a * (1 + p.totalReturn), 1) - 1,
    maxDrawdownPct: Math.max(curveDrawdownPct(curve), ...parts.map((p) => p.maxDrawdownPct)),
    netProfit: parts.reduce((a, p) => a + p.netProfit, 0),
    grossProfit: parts.reduce((a, p) => a + p.grossProfit, 0),
    grossLoss: parts.reduce((a, p) => a + p.grossLoss, 0),
    trades: parts.reduce((a, p) => a + p.trades, 0),
    blocks: [],
    curve,
  };
}
