import type { OptimizationObjective, TrialScore } from '@barfinex/contracts';

/** Blocks the scored range is cut into for CSCV; each holds [bars, sum of returns, sum of squares]. */
export const CSCV_BLOCKS = 10;

/**
 * What one trial reports over its scored range: sums of per-bar equity returns (so several
 * symbols and several blocks combine exactly), drawdown, trade figures, and a thinned equity curve.
 */
export interface TrialStats {
  bars: number;
  sum: number;
  sumSq: number;
  /** Sums of cubed and fourth-power returns (skew and kurtosis for the deflated Sharpe ratio); absent in rows stored before them. */
  sumCu?: number;
  sumQu?: number;
  /** Sum of squared negative returns (Sortino's downside deviation). */
  downSq: number;
  /** Equity at the end over equity at the start of the scored range, minus 1. */
  totalReturn: number;
  maxDrawdownPct: number;
  netProfit: number;
  grossProfit: number;
  grossLoss: number;
  trades: number;
  blocks: number[];
  curve: Array<[number, number]>;
}

export interface Constraints {
  minTrades: number;
  maxDrawdownPct?: number | undefined;
}

const YEAR_MS = 365 * 86_400_000;
/** Profit factor with no losing trade: capped so a mean over trials stays finite. */
const PF_CAP = 100;
const finite = (v: number) => (Number.isFinite(v) ? v : 0);

/** Several symbols traded side by side, each on its own balance: returns pool, money adds, drawdown is the worst. */
export function combineStats(parts: readonly TrialStats[]): TrialStats {
  const first = parts[0];
  if (!first || parts.length === 1) return first as TrialStats;
  const sameLength = parts.every((p) => p.curve.length === first.curve.length);
  return {
    bars: parts.reduce((a, p) => a + p.bars, 0),
    sum: parts.reduce((a, p) => a + p.sum, 0),
    sumSq: parts.reduce((a, p) => a + p.sumSq, 0),
    sumCu: parts.reduce((a, p) => a + (p.sumCu ?? 0), 0),
    sumQu: parts.reduce((a, p) => a + (p.sumQu ?? 0), 0),
    downSq: parts.reduce((a, p) => a + p.downSq, 0),
    totalReturn: parts.reduce((a, p) => a + p.totalReturn, 0) / parts.length,
    maxDrawdownPct: Math.max(...parts.map((p) => p.maxDrawdownPct)),
    netProfit: parts.reduce((a, p) => a + p.netProfit, 0),
    grossProfit: parts.reduce((a, p) => a + p.grossProfit, 0),
    grossLoss: parts.reduce((a, p) => a + p.grossLoss, 0),
    trades: parts.reduce((a, p) => a + p.trades, 0),
    blocks: first.blocks.map((_, i) => parts.reduce((a, p) => a + (p.blocks[i] ?? 0), 0)),
    curve: sameLength
      ? first.curve.map(([t], i) => [t, parts.reduce((a, p) => a + (p.curve[i]?.[1] ?? 0), 0)])
      : first.curve,
  };
}

/** Sharpe of pooled per-bar returns from their sums, annualised. */
export function sharpeOf(bars: number, sum: number, sumSq: number, intervalMs: number): number {
  if (bars < 2) return 0;
  const mean = sum / bars;
  const variance = (sumSq - bars * mean * mean) / (bars - 1);
  return variance > 1e-24 ? finite((mean / Math.sqrt(variance)) * Math.sqrt(YEAR_MS / intervalMs)) : 0;
}

export function scoreTrial(
  stats: TrialStats,
  objective: OptimizationObjective,
  constraints: Constraints,
  intervalMs: number,
): TrialScore {
  const perYear = YEAR_MS / intervalMs;
  const mean = stats.bars > 0 ? stats.sum / stats.bars : 0;
  const down = stats.bars > 1 ? Math.sqrt(stats.downSq / (stats.bars - 1)) : 0;
  const dd = stats.maxDrawdownPct / 100;
  const years = stats.bars / perYear;
  const annual = years > 0 && stats.totalReturn > -1 ? (1 + stats.totalReturn) ** (1 / years) - 1 : stats.totalReturn;
  const figures = {
    sharpe: sharpeOf(stats.bars, stats.sum, stats.sumSq, intervalMs),
    sortino: down > 1e-12 ? finite((mean / down) * Math.sqrt(perYear)) : 0,
    calmar: dd > 0 ? finite(annual / dd) : 0,
    profitFactor:
      stats.grossLoss > 0 ? finite(stats.grossProfit / stats.grossLoss) : stats.grossProfit > 0 ? PF_CAP : 0,
    returnOverMaxDrawdown: dd > 0 ? finite(stats.totalReturn / dd) : 0,
    netProfit: finite(stats.netProfit),
    returnPct: finite(stats.totalReturn * 100),
    maxDrawdownPct: finite(stats.maxDrawdownPct),
    trades: stats.trades,
    bars: stats.bars,
  };
  const feasible =
    stats.trades >= constraints.minTrades &&
    (constraints.maxDrawdownPct === undefined || stats.maxDrawdownPct <= constraints.maxDrawdownPct);
  return { score: feasible ? figures[objective] : null, ...figures };
}

/** A trial that never ran (params its schema refuses): no figures, no score. */
export const NO_SCORE: TrialScore = {
  score: null,
  sharpe: 0,
  sortino: 0,
  calmar: 0,
  profitFactor: 0,
  returnOverMaxDrawdown: 0,
  netProfit: 0,
  returnPct: 0,
  maxDrawdownPct: 0,
  trades: 0,
  bars: 0,
};
