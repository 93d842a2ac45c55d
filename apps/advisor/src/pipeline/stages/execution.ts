import { z } from 'zod';
import { Money, NonNegativeDecimalString, PositiveDecimalString } from '@barfinex/contracts';
import type { TradeSide } from '@barfinex/enums';
import type { StageOutcome } from '../types';
import type { MarketView } from './market-context';

export const ExecutionConfigSchema = z
  .object({
    /** Tight trading limit on the spread, in percent of the mid. */
    maxSpreadPct: NonNegativeDecimalString.default('0.1'),
    minRiskReward: PositiveDecimalString.default('1.5'),
    /** For explicit requests (no detector levels): stop and target in ATRs from the entry. */
    atrStopMultiple: PositiveDecimalString.default('1.5'),
    atrTargetMultiple: PositiveDecimalString.default('3'),
  })
  .strict();
export type ExecutionConfig = z.output<typeof ExecutionConfigSchema>;

export interface ExecutionPlan {
  entry: string;
  stopLoss: string;
  takeProfit: string;
  riskReward: string;
}

export interface ExecutionInput {
  direction: TradeSide;
  entry?: string;
  stop?: string;
  targets: readonly string[];
  /** ATR as a decimal string, for requests without detector levels. */
  atr?: string;
}

/** Levels from the idea, or entry at the touch and ATR-based stop/target when the idea brings none. */
function levels(
  input: ExecutionInput,
  view: MarketView,
  config: ExecutionConfig,
): { entry?: Money; stop?: Money; target?: Money } {
  const long = input.direction === 'LONG';
  const touch = long ? view.bestAsk : view.bestBid;
  const entry = input.entry !== undefined ? new Money(input.entry) : (touch ?? view.lastPrice);
  if (entry === undefined) return {};
  const sign = long ? 1 : -1;
  const atr = input.atr !== undefined ? new Money(input.atr) : undefined;
  const stop =
    input.stop !== undefined
      ? new Money(input.stop)
      : atr?.gt(0)
        ? entry.minus(atr.times(config.atrStopMultiple).times(sign))
        : undefined;
  // The nearest target is the one the risk:reward must hold for.
  const targets = input.targets.map((t) => new Money(t));
  const nearest = targets.sort((a, b) => a.minus(entry).abs().cmp(b.minus(entry).abs()))[0];
  const target = nearest ?? (atr?.gt(0) ? entry.plus(atr.times(config.atrTargetMultiple).times(sign)) : undefined);
  return { entry, ...(stop ? { stop } : {}), ...(target ? { target } : {}) };
}

/** Spread under the trading limit, stop and target on the right sides, and risk:reward at least the minimum; all decimal. */
export function executionStage(
  input: ExecutionInput,
  view: MarketView,
  config: ExecutionConfig,
): StageOutcome<ExecutionPlan | undefined> {
  if (view.spreadPct !== undefined && view.spreadPct.gt(config.maxSpreadPct)) {
    return {
      passed: false,
      reason: `spread ${view.spreadPct.toSignificantDigits(4).toString()}% above ${config.maxSpreadPct}%`,
      data: undefined,
    };
  }
  const { entry, stop, target } = levels(input, view, config);
  if (!entry || !stop || !target)
    return { passed: false, reason: 'no entry, stop or target to validate', data: undefined };
  const long = input.direction === 'LONG';
  const stopOk = long ? stop.lt(entry) : stop.gt(entry);
  const targetOk = long ? target.gt(entry) : target.lt(entry);
  if (!stopOk || !targetOk) {
    return {
      passed: false,
      reason: `levels inconsistent for ${input.direction}: entry ${entry.toString()}, stop ${stop.toString()}, target ${target.toString()}`,
      data: undefined,
    };
  }
  const risk = entry.minus(stop).abs();
  const reward = target.minus(entry).abs();
  const rr = reward.div(risk);
  const plan: ExecutionPlan = {
    entry: entry.toString(),
    stopLoss: stop.toString(),
    takeProfit: target.toString(),
    riskReward: rr.toSignificantDigits(10).toString(),
  };
  // Compared as reward ≥ min × risk, so the limit is exact (no rounded quotient).
  const passed = reward.gte(risk.times(config.minRiskReward));
  return {
    passed,
    score: rr.toNumber(),
    reason: `risk:reward ${rr.toSignificantDigits(4).toString()} ${passed ? '≥' : '<'} ${config.minRiskReward} (entry ${plan.entry}, stop ${plan.stopLoss}, target ${plan.takeProfit})`,
    data: plan,
  };
}
