import type { BatchBacktestRequest, BatchBacktestResult } from '@barfinex/contracts';
import { timeFrameMs } from '@barfinex/enums';
import { badRequest } from '@barfinex/service-kit';
import type { CandlesRepository } from '../candles/candles.repository';
import { checkDetectorParams, findDetector } from '../backtest/detectors';
import type { DetectorCatalog } from '../backtest/detectors';
import type { TrialPool } from './pool';
import { scoreTrial } from './scoring';
import { checkSeries, loadSeries } from './series-loader';

export type BatchRunner = { run(req: BatchBacktestRequest): Promise<BatchBacktestResult> };

/**
 * Batch backtests: every symbol × parameter set over the same range, on the research pool.
 * Each symbol's bars are loaded once and shared; the answer holds every run's figures.
 */
export function createBatchRunner(deps: {
  candles: Pick<CandlesRepository, 'range'>;
  detectors: DetectorCatalog;
  pool: () => TrialPool;
  maxBars: number;
}): BatchRunner {
  let batchSeq = 0;
  return {
    async run(req) {
      const detector = findDetector(req.detector, req.interval, deps.detectors);
      const paramSets = req.paramSets.map((p, i) => {
        try {
          return checkDetectorParams(detector, p);
        } catch (err) {
          throw badRequest(`paramSets.${i}: ${err instanceof Error ? err.message : String(err)}`, { index: i });
        }
      });
      const bars = await checkSeries(deps.candles, req, deps.maxBars);
      const pool = deps.pool();
      const prefix = `batch-${(batchSeq += 1)}:`;
      const settings = { initialBalance: req.initialBalance, positionSizing: req.positionSizing, fees: req.fees };
      const intervalMs = timeFrameMs(req.interval) ?? 60_000;
      try {
        const runs: BatchBacktestResult['runs'] = [];
        for (const symbol of req.symbols) {
          pool.share(`${prefix}${symbol}`, await loadSeries(deps.candles, req, symbol, deps.maxBars));
        }
        const jobs = req.symbols.flatMap((symbol) =>
          paramSets.map(async (params, i) => {
            const stats = await pool.run({
              detector: detector.name,
              params,
              seriesKey: `${prefix}${symbol}`,
              window: { runFrom: 0, scoreFrom: 0, end: bars },
              settings,
            });
            return {
              symbol,
              params: req.paramSets[i] ?? {},
              score: scoreTrial(stats, 'sharpe', { minTrades: 0 }, intervalMs),
            };
          }),
        );
        runs.push(...(await Promise.all(jobs)));
        return { runs };
      } finally {
        pool.drop(prefix);
      }
    },
  };
}
