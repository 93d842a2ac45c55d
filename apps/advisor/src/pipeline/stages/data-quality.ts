import { z } from 'zod';
import { Money, NonNegativeDecimalString } from '@barfinex/contracts';
import { timeFrameMs } from '@barfinex/enums';
import type { FixedTimeFrame } from '@barfinex/enums';
import type { StageOutcome } from '../types';
import type { MarketView } from './market-context';

export const DataQualityConfigSchema = z
  .object({
    minCandles: z.number().int().min(1).default(50),
    /** Longest time since the last bar closed. */
    maxStalenessMs: z.number().int().min(0).default(180_000),
    /** Missing bars tolerated inside the window. */
    maxMissingBars: z.number().int().min(0).default(0),
    /** A sanity bound (crossed or absurd books); the execution stage applies the tight trading limit. */
    maxSpreadPct: NonNegativeDecimalString.default('1'),
    requireOrderBook: z.boolean().default(true),
  })
  .strict();
export type DataQualityConfig = z.output<typeof DataQualityConfigSchema>;

export interface DataQualityReport {
  candles: number;
  stalenessMs?: number;
  missingBars: number;
  spreadPct?: string;
}

export function countMissingBars(times: readonly number[], intervalMs: number): number {
  let missing = 0;
  for (let i = 1; i < times.length; i += 1) {
    const step = (times[i] ?? 0) - (times[i - 1] ?? 0);
    if (step > intervalMs) missing += Math.round(step / intervalMs) - 1;
  }
  return missing;
}

/** Blocks decisions on thin, stale, gappy data or a broken book; the score is the share of checks passed. */
export function dataQualityStage(
  view: MarketView,
  input: { interval: FixedTimeFrame; now: number },
  config: DataQualityConfig,
): StageOutcome<DataQualityReport> {
  const intervalMs = timeFrameMs(input.interval);
  const problems: string[] = [];
  const report: DataQualityReport = {
    candles: view.bars.length,
    missingBars: countMissingBars(
      view.bars.map((b) => b.time),
      intervalMs,
    ),
  };
  if (view.bars.length < config.minCandles) problems.push(`${view.bars.length} candles, need ${config.minCandles}`);
  if (view.lastBarTime !== undefined) {
    // A bar is fresh until one interval after it closed.
    report.stalenessMs = Math.max(0, input.now - (view.lastBarTime + intervalMs));
    if (report.stalenessMs > config.maxStalenessMs)
      problems.push(`last bar ${report.stalenessMs} ms old, limit ${config.maxStalenessMs} ms`);
  }
  if (report.missingBars > config.maxMissingBars)
    problems.push(`${report.missingBars} missing bars, limit ${config.maxMissingBars}`);
  if (view.spreadPct === undefined) {
    if (config.requireOrderBook) problems.push('no two-sided order book');
  } else {
    report.spreadPct = view.spreadPct.toString();
    if (view.spreadPct.isNegative()) problems.push('crossed order book');
    else if (view.spreadPct.gt(new Money(config.maxSpreadPct)))
      problems.push(`spread ${view.spreadPct.toSignificantDigits(4).toString()}% above ${config.maxSpreadPct}%`);
  }
  const checks = 4;
  const score = Math.max(0, (checks - problems.length) / checks);
  return problems.length === 0
    ? { passed: true, score, reason: `data fresh and complete (${view.bars.length} candles)`, data: report }
    : { passed: false, score, reason: problems.join('; '), data: report };
}
