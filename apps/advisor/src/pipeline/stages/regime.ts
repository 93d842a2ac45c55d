import { z } from 'zod';
import type { TradeSide } from '@barfinex/enums';
import type { NumericBar, StageOutcome } from '../types';

export const Regime = { TREND: 'TREND', RANGE: 'RANGE', VOLATILE: 'VOLATILE' } as const;
export type Regime = (typeof Regime)[keyof typeof Regime];

const Scale = z.number().min(0).max(1.5);

export const RegimeConfigSchema = z
  .object({
    lookback: z.number().int().min(2).default(50),
    /** Kaufman efficiency ratio (net move / path length) at or above which the market trends. */
    trendEfficiency: z.number().gt(0).max(1).default(0.3),
    /** ATR in % of price at or above which the market counts as volatile, whatever its direction. */
    volatileAtrPct: z.number().positive().default(2),
    scale: z
      .object({ TREND: Scale.default(1), RANGE: Scale.default(0.85), VOLATILE: Scale.default(0.6) })
      .strict()
      .prefault({}),
    /** Extra factor for trading against an established trend. */
    counterTrendScale: Scale.default(0.7),
  })
  .strict();
export type RegimeConfig = z.output<typeof RegimeConfigSchema>;

export interface RegimeResult {
  regime: Regime;
  efficiency: number;
  trendSide?: TradeSide;
  factor: number;
  calibrated: number;
}

export function efficiencyRatio(closes: readonly number[]): number {
  if (closes.length < 2) return 0;
  let path = 0;
  for (let i = 1; i < closes.length; i += 1) path += Math.abs((closes[i] ?? 0) - (closes[i - 1] ?? 0));
  return path > 0 ? Math.abs((closes.at(-1) ?? 0) - (closes[0] ?? 0)) / path : 0;
}

/** Classifies the window (trend / range / volatile) and scales the conviction by the regime's factor. */
export function regimeStage(
  input: { bars: readonly NumericBar[]; atrPct: number; direction: TradeSide; conviction: number },
  config: RegimeConfig,
): StageOutcome<RegimeResult> {
  const closes = input.bars.slice(-config.lookback).map((b) => b.close);
  const efficiency = efficiencyRatio(closes);
  const net = (closes.at(-1) ?? 0) - (closes[0] ?? 0);
  const regime: Regime =
    input.atrPct >= config.volatileAtrPct ? 'VOLATILE' : efficiency >= config.trendEfficiency ? 'TREND' : 'RANGE';
  const trendSide: TradeSide | undefined = regime === 'TREND' && net !== 0 ? (net > 0 ? 'LONG' : 'SHORT') : undefined;
  const against = trendSide !== undefined && trendSide !== input.direction;
  const factor = config.scale[regime] * (against ? config.counterTrendScale : 1);
  const calibrated = Math.min(1, Math.max(0, input.conviction * factor));
  const result: RegimeResult = { regime, efficiency, factor, calibrated };
  if (trendSide) result.trendSide = trendSide;
  return {
    passed: true,
    score: calibrated,
    reason: `${regime}${trendSide ? ` ${trendSide}` : ''} (efficiency ${efficiency.toFixed(2)}, ATR ${input.atrPct.toFixed(3)}%)${against ? ', against the trend' : ''}: × ${factor.toFixed(3)} → ${calibrated.toFixed(3)}`,
    data: result,
  };
}
