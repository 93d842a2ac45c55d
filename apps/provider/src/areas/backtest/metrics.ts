import { D } from './decimal';
import type { BacktestMetrics, BacktestTrade } from '@barfinex/contracts';

const YEAR_MS = 365 * 86_400_000;

/**
 * Equity statistics over bar closes. Money (equity, peak, drawdown) stays decimal; the Sharpe
 * ratio is a statistic of returns, so its running sums are floats (Welford's method keeps them
 * stable over a million bars).
 */
export function createEquityTracker(initial: D, intervalMs: number) {
  let peak = initial;
  let maxDrawdown = new D(0);
  let maxDrawdownPct = 0;
  let previous = initial.toNumber();
  let bars = 0;
  let exposed = 0;
  let n = 0;
  let mean = 0;
  let m2 = 0;

  return {
    /** One bar close: the equity then, and whether a position was open at that close. */
    mark(equity: D, inPosition: boolean): void {
      bars += 1;
      if (inPosition) exposed += 1;
      if (equity.gt(peak)) peak = equity;
      else {
        const drawdown = peak.minus(equity);
        if (drawdown.gt(maxDrawdown)) maxDrawdown = drawdown;
        // The deepest fall in percent need not be the largest in money (an early 50% on a small
        // peak beats a later 10% on a big one), so the two maxima are tracked apart.
        const pct = peak.gt(0) ? drawdown.div(peak).toNumber() * 100 : 0;
        if (pct > maxDrawdownPct) maxDrawdownPct = pct;
      }
      const value = equity.toNumber();
      const r = previous > 0 ? value / previous - 1 : 0;
      previous = value;
      n += 1;
      const delta = r - mean;
      mean += delta / n;
      m2 += delta * (r - mean);
    },

    summary(input: {
      final: D;
      initial: D;
      fees: D;
      signals: number;
      trades: readonly BacktestTrade[];
      rejected: number;
    }): BacktestMetrics {
      const wins = input.trades.filter((t) => new D(t.pnl).gt(0)).length;
      const std = n > 1 ? Math.sqrt(m2 / (n - 1)) : 0;
      const sharpe = std > 0 ? (mean / std) * Math.sqrt(YEAR_MS / intervalMs) : 0;
      const net = input.final.minus(input.initial);
      return {
        bars,
        signals: input.signals,
        trades: input.trades.length,
        wins,
        losses: input.trades.length - wins,
        winRate: input.trades.length ? wins / input.trades.length : 0,
        netPnl: net.toFixed(),
        fees: input.fees.toFixed(),
        finalEquity: input.final.toFixed(),
        returnPct: input.initial.gt(0) ? net.div(input.initial).times(100).toNumber() : 0,
        maxDrawdown: maxDrawdown.toFixed(),
        maxDrawdownPct,
        sharpe: Number.isFinite(sharpe) ? sharpe : 0,
        exposure: bars ? exposed / bars : 0,
        rejectedOrders: input.rejected,
      };
    },
  };
}
