import { z } from 'zod';
import { atr, ema, rsi } from '@barfinex/detector-kit';
import type { TradeSide } from '@barfinex/enums';
import type { NumericBar, StageOutcome } from '../types';

export const ScoringConfigSchema = z
  .object({
    fastPeriod: z.number().int().min(1).default(9),
    slowPeriod: z.number().int().min(2).default(21),
    rsiPeriod: z.number().int().min(2).default(14),
    atrPeriod: z.number().int().min(1).default(14),
    trendWeight: z.number().min(0).default(0.6),
    momentumWeight: z.number().min(0).default(0.4),
    /** Volatility (ATR in % of price) inside this band is tradeable; outside it the score shrinks. */
    minAtrPct: z.number().min(0).default(0.02),
    maxAtrPct: z.number().positive().default(3),
    volatilityWeight: z.number().min(0).max(1).default(0.3),
  })
  .strict()
  .refine((c) => c.fastPeriod < c.slowPeriod, { message: 'fastPeriod must be below slowPeriod', path: ['fastPeriod'] })
  .refine((c) => c.minAtrPct < c.maxAtrPct, { message: 'minAtrPct must be below maxAtrPct', path: ['minAtrPct'] })
  .refine((c) => c.trendWeight + c.momentumWeight > 0, {
    message: 'trendWeight + momentumWeight must be positive',
    path: ['trendWeight'],
  });
export type ScoringConfig = z.output<typeof ScoringConfigSchema>;

export interface ScoringResult {
  direction: TradeSide;
  /** EMA spread in ATRs squashed to (-1, 1); positive = up. */
  trend: number;
  /** RSI mapped to [-1, 1]. */
  momentum: number;
  atr: number;
  atrPct: number;
  volatilityFactor: number;
  /** Trend and momentum agreement with the direction, in [-1, 1]. */
  alignment: number;
}

export function requiredBars(config: ScoringConfig): number {
  return Math.max(config.slowPeriod, config.rsiPeriod + 1, config.atrPeriod);
}

function volatilityFactor(atrPct: number, config: ScoringConfig): number {
  if (atrPct < config.minAtrPct) return atrPct / config.minAtrPct;
  if (atrPct > config.maxAtrPct) return config.maxAtrPct / atrPct;
  return 1;
}

/**
 * The advisor's own view of the market from the candles, independent of the detector's score:
 * trend (EMA spread), momentum (RSI) and volatility (ATR). The score in [0, 1] says how well the
 * market backs the proposed direction; with no direction given, the stronger side is taken.
 */
export function scoringStage(
  bars: readonly NumericBar[],
  direction: TradeSide | undefined,
  config: ScoringConfig,
): StageOutcome<ScoringResult | undefined> {
  const needed = requiredBars(config);
  if (bars.length < needed)
    return { passed: false, score: 0, reason: `scoring needs ${needed} candles, got ${bars.length}`, data: undefined };
  const fast = ema(config.fastPeriod);
  const slow = ema(config.slowPeriod);
  const strength = rsi(config.rsiPeriod);
  const range = atr(config.atrPeriod);
  for (const bar of bars) {
    fast.update(bar.close);
    slow.update(bar.close);
    strength.update(bar.close);
    range.update(bar);
  }
  const lastClose = bars.at(-1)?.close ?? 0;
  const atrValue = range.value ?? 0;
  const trend = atrValue > 0 ? Math.tanh(((fast.value ?? 0) - (slow.value ?? 0)) / atrValue) : 0;
  const momentum = ((strength.value ?? 50) - 50) / 50;
  const atrPct = lastClose > 0 ? (atrValue / lastClose) * 100 : 0;
  const volFactor = volatilityFactor(atrPct, config);
  const weights = config.trendWeight + config.momentumWeight;
  const raw = (config.trendWeight * trend + config.momentumWeight * momentum) / weights;
  const side: TradeSide = direction ?? (raw >= 0 ? 'LONG' : 'SHORT');
  const alignment = side === 'LONG' ? raw : -raw;
  const score = ((alignment + 1) / 2) * (1 - config.volatilityWeight * (1 - volFactor));
  const data: ScoringResult = {
    direction: side,
    trend,
    momentum,
    atr: atrValue,
    atrPct,
    volatilityFactor: volFactor,
    alignment,
  };
  return {
    passed: true,
    score,
    reason: `${side}: trend ${trend.toFixed(2)}, momentum ${momentum.toFixed(2)}, ATR ${atrPct.toFixed(3)}% → score ${score.toFixed(3)}`,
    data,
  };
}
