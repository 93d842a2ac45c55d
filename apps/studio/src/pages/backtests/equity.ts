import type { BacktestTrade } from '@barfinex/contracts';

export interface EquityPoint {
  /** Unix seconds (the chart's time unit). */
  time: number;
  equity: number;
  /** Fall from the running peak, as a negative percentage (0 at a new high). */
  drawdownPct: number;
}

/**
 * The equity curve of a run, one point per closed trade (the starting balance at the first
 * entry), and its drawdown from the running peak. Trades closing in the same second are merged.
 */
export function equityCurve(initialBalance: string, trades: readonly BacktestTrade[]): EquityPoint[] {
  const sorted = [...trades].sort((a, b) => a.exitTime - b.exitTime || a.seq - b.seq);
  let equity = Number(initialBalance);
  let peak = equity;
  const points: EquityPoint[] = [];
  const first = sorted[0];
  if (first) points.push({ time: Math.floor(first.entryTime / 1000), equity, drawdownPct: 0 });
  for (const t of sorted) {
    equity += Number(t.pnl);
    peak = Math.max(peak, equity);
    const point = {
      time: Math.floor(t.exitTime / 1000),
      equity,
      drawdownPct: peak > 0 ? ((equity - peak) / peak) * 100 : 0,
    };
    const last = points[points.length - 1];
    if (last && last.time >= point.time) points[points.length - 1] = { ...point, time: last.time };
    else points.push(point);
  }
  return points;
}
