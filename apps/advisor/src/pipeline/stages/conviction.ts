import { z } from 'zod';
import type { StageOutcome } from '../types';

export const ConvictionConfigSchema = z
  .object({
    /** Weight of the advisor's independent score. */
    scoreWeight: z.number().min(0).default(0.7),
    /** Weight of the detector's own confidence (ignored for explicit requests). */
    signalWeight: z.number().min(0).default(0.3),
    /** Below this final confidence a decision is rejected and ADVISOR_CONFIDENCE_LOW is published. */
    minConfidence: z.number().min(0).max(1).default(0.55),
  })
  .strict()
  .refine((c) => c.scoreWeight > 0 || c.signalWeight > 0, {
    message: 'at least one weight must be positive',
    path: ['scoreWeight'],
  });
export type ConvictionConfig = z.output<typeof ConvictionConfigSchema>;

const clamp01 = (x: number): number => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);

/** Blends the independent score with the detector's confidence into one conviction in [0, 1]. */
export function convictionStage(
  input: { score: number; detectorConfidence?: number },
  config: ConvictionConfig,
): StageOutcome<number> {
  const useSignal = input.detectorConfidence !== undefined && config.signalWeight > 0;
  const weights = config.scoreWeight + (useSignal ? config.signalWeight : 0);
  const blended =
    weights > 0
      ? (config.scoreWeight * input.score + (useSignal ? config.signalWeight * (input.detectorConfidence ?? 0) : 0)) /
        weights
      : 0;
  const conviction = clamp01(blended);
  const parts = useSignal
    ? `score ${input.score.toFixed(3)} × ${config.scoreWeight}, detector ${input.detectorConfidence?.toFixed(3)} × ${config.signalWeight}`
    : `score ${input.score.toFixed(3)}`;
  return {
    passed: true,
    score: conviction,
    reason: `conviction ${conviction.toFixed(3)} from ${parts}`,
    data: conviction,
  };
}

/** The final gate on the calibrated (and possibly synthesised) confidence. */
export function confidenceFloorStage(
  confidence: number,
  config: ConvictionConfig,
): StageOutcome<{ threshold: number }> {
  const passed = confidence >= config.minConfidence;
  return {
    passed,
    score: confidence,
    reason: `confidence ${confidence.toFixed(3)} ${passed ? '≥' : '<'} floor ${config.minConfidence}`,
    data: { threshold: config.minConfidence },
  };
}
