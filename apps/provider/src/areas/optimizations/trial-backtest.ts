import type {
  BacktestRequest,
  OptimizationRequest,
  OptimizationResult,
  TrialBacktestRequest,
} from '@barfinex/contracts';
import { timeFrameMs } from '@barfinex/enums';
import { badRequest } from '@barfinex/service-kit';
import type { CandlesRepository } from '../candles/candles.repository';
import { DEFAULT_SYNTHETIC_START, syntheticWindow } from '../backtest/candle-source';
import { loadSeries } from './series-loader';
import { walkForwardFolds } from './walk-forward';

type Span = { from: number; to: number };
type FoldWindows = { inSample: Span; outOfSample: Span | null };

export interface TrialBacktestDeps {
  candles: Pick<CandlesRepository, 'range'>;
  maxBars: number;
}

/**
 * A fold's windows as open times of their first and last bars. A finished job stored them in its
 * result; otherwise they are worked out as the job does: the folds over the bars every symbol
 * has, timed by the first symbol's bars.
 */
async function foldWindows(
  deps: TrialBacktestDeps,
  job: { request: OptimizationRequest; result: OptimizationResult | null },
  fold: number,
): Promise<FoldWindows | undefined> {
  const known = job.result?.folds.find((f) => f.fold === fold);
  if (known) return { inSample: known.inSample, outOfSample: known.outOfSample };
  const req = job.request;
  const src = req.source;
  let bars: number;
  let timeAt: (i: number) => number;
  if (src.type === 'synthetic') {
    const intervalMs = timeFrameMs(req.interval) ?? 60_000;
    const { first, end } = syntheticWindow(src, intervalMs);
    const start = src.start ?? DEFAULT_SYNTHETIC_START;
    bars = end - first;
    timeAt = (i) => start + (first + i) * intervalMs;
  } else {
    const series = [];
    for (const symbol of req.symbols) series.push(await loadSeries(deps.candles, req, symbol, deps.maxBars));
    bars = Math.min(...series.map((s) => s.length));
    const times = new Float64Array((series[0] as (typeof series)[number]).buffer);
    timeAt = (i) => times[i] as number;
  }
  const f = walkForwardFolds(bars, req.walkForward)?.[fold];
  if (!f) return undefined;
  return {
    inSample: { from: timeAt(f.isStart), to: timeAt(f.isEnd - 1) },
    outOfSample: f.oos ? { from: timeAt(f.oos.start), to: timeAt(f.oos.end - 1) } : null,
  };
}

/**
 * The backtest that opens a trial in full: its params on one of the job's symbols, over exactly
 * its fold's in-sample window (where it was scored) or that fold's out-of-sample window. The
 * in-sample run feeds the same bars to the same engine as the trial did, so its figures are the
 * trial's own on that symbol.
 */
export async function trialBacktestRequest(
  deps: TrialBacktestDeps,
  job: { request: OptimizationRequest; result: OptimizationResult | null; params: Record<string, unknown> },
  fold: number,
  choice: TrialBacktestRequest,
): Promise<BacktestRequest> {
  const req = job.request;
  const symbols = req.symbols;
  if (choice.symbol !== undefined && !symbols.includes(choice.symbol)) {
    throw badRequest(`symbol: ${choice.symbol} is not one of the job's symbols (${symbols.join(', ')})`, {
      issues: [{ path: 'symbol', message: 'not a symbol of the job' }],
      symbols,
    });
  }
  if (choice.symbol === undefined && symbols.length > 1) {
    throw badRequest(`symbol: the job ran on ${symbols.join(', ')}: choose one`, {
      issues: [{ path: 'symbol', message: 'required when the job has several symbols' }],
      symbols,
    });
  }
  const symbol = choice.symbol ?? (symbols[0] as string);
  const windows = await foldWindows(deps, job, fold);
  if (!windows)
    throw badRequest(`fold: the job has no fold ${fold}`, { issues: [{ path: 'fold', message: 'no such fold' }] });
  const span = choice.window === 'outOfSample' ? windows.outOfSample : windows.inSample;
  if (!span) {
    throw badRequest(`window: fold ${fold} has no out-of-sample window (the job ran without walk-forward)`, {
      issues: [{ path: 'window', message: 'no out-of-sample window' }],
    });
  }
  return {
    detector: req.detector,
    params: job.params,
    symbol,
    interval: req.interval,
    source: { ...req.source, from: span.from, to: span.to },
    initialBalance: req.initialBalance,
    positionSizing: req.positionSizing,
    fees: req.fees,
  };
}
