import type { BacktestRequest } from '@barfinex/contracts';
import type { Detector } from '@barfinex/detector-kit';
import { createBacktestEngine } from '../backtest/engine';
import { createSeriesReader } from './candle-buffer';
import type { SharedSeries } from './candle-buffer';
import { CSCV_BLOCKS } from './scoring';
import type { TrialStats } from './scoring';

export interface TrialSettings {
  initialBalance: string;
  positionSizing: BacktestRequest['positionSizing'];
  fees: BacktestRequest['fees'];
}

/** One backtest window: bars [runFrom, end) are fed, bars [scoreFrom, end) are scored. */
export interface TrialWindow {
  runFrom: number;
  scoreFrom: number;
  end: number;
}

const CURVE_POINTS = 200;

/**
 * Runs a detector with one parameter set over a window of a shared series and sums what the
 * scoring needs. Bars before `scoreFrom` only warm indicators and positions up; nothing at or
 * after `end` is ever read, which is what keeps an out-of-sample bar out of an in-sample choice.
 */
export function runTrial(
  detector: Detector,
  params: Record<string, unknown>,
  series: SharedSeries,
  window: TrialWindow,
  settings: TrialSettings,
): TrialStats {
  const reader = createSeriesReader(series);
  const end = Math.min(window.end, reader.length);
  const scored = Math.max(0, end - window.scoreFrom);
  const blockLen = Math.max(1, Math.ceil(scored / CSCV_BLOCKS));
  const blocks = new Array<number>(CSCV_BLOCKS * 3).fill(0);
  const curveEvery = Math.max(1, Math.ceil(scored / CURVE_POINTS));
  const stats: TrialStats = {
    bars: 0,
    sum: 0,
    sumSq: 0,
    downSq: 0,
    totalReturn: 0,
    maxDrawdownPct: 0,
    netProfit: 0,
    grossProfit: 0,
    grossLoss: 0,
    trades: 0,
    blocks,
    curve: [],
  };
  let index = window.runFrom;
  let previous = Number(settings.initialBalance);
  let start = previous;
  let peak = previous;
  const engine = createBacktestEngine({
    detector,
    params,
    symbol: series.symbol,
    interval: series.interval,
    initialBalance: settings.initialBalance,
    positionSizing: settings.positionSizing,
    fees: settings.fees,
    onMark: (equity) => {
      const value = equity.toNumber();
      if (index >= window.scoreFrom) {
        const offset = index - window.scoreFrom;
        if (offset === 0) {
          start = previous;
          peak = previous;
        }
        const r = previous > 0 ? value / previous - 1 : 0;
        stats.bars += 1;
        stats.sum += r;
        stats.sumSq += r * r;
        stats.sumCu = (stats.sumCu ?? 0) + r * r * r;
        stats.sumQu = (stats.sumQu ?? 0) + r * r * r * r;
        if (r < 0) stats.downSq += r * r;
        const b = Math.min(CSCV_BLOCKS - 1, Math.floor(offset / blockLen)) * 3;
        blocks[b] = (blocks[b] as number) + 1;
        blocks[b + 1] = (blocks[b + 1] as number) + r;
        blocks[b + 2] = (blocks[b + 2] as number) + r * r;
        if (value > peak) peak = value;
        else if (peak > 0) stats.maxDrawdownPct = Math.max(stats.maxDrawdownPct, ((peak - value) / peak) * 100);
        if (offset % curveEvery === 0 || index === end - 1) stats.curve.push([reader.time(index), value]);
      }
      previous = value;
    },
  });
  for (; index < end; index += 1) engine.onCandle(reader.candle(index));
  const outcome = engine.finish();
  const from = window.scoreFrom < end ? reader.time(window.scoreFrom) : Infinity;
  for (const t of outcome.trades) {
    if (t.exitTime < from) continue;
    stats.trades += 1;
    const pnl = Number(t.pnl);
    if (pnl > 0) stats.grossProfit += pnl;
    else stats.grossLoss -= pnl;
  }
  // What is still open is closed at the last close: the final cash is the result.
  const final = Number(outcome.metrics.finalEquity);
  const endValue = scored > 0 ? final : start;
  stats.netProfit = endValue - start;
  stats.totalReturn = start > 0 ? endValue / start - 1 : 0;
  return stats;
}
