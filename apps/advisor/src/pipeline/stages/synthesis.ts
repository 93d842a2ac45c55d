import { z } from 'zod';
import type { StageOutcome } from '../types';

export const SynthesisConfigSchema = z
  .object({
    /** Off by default: the pipeline decides completely without a language model. */
    enabled: z.boolean().default(false),
    /** OpenAI-compatible API root, e.g. https://host/v1 (the key comes from ADVISOR_LLM_API_KEY). */
    baseUrl: z.url({ protocol: /^https?$/ }).optional(),
    model: z.string().min(1).default('gpt-4o-mini'),
    timeoutMs: z.number().int().min(100).max(120_000).default(15_000),
    /** Share of the final confidence given to the model's confidence. */
    weight: z.number().min(0).max(1).default(0.3),
    /** A model that disagrees rejects the decision instead of only lowering the confidence. */
    vetoOnDisagree: z.boolean().default(false),
  })
  .strict()
  .refine((c) => !c.enabled || c.baseUrl !== undefined, {
    message: 'baseUrl is required when synthesis is enabled',
    path: ['baseUrl'],
  });
export type SynthesisConfig = z.output<typeof SynthesisConfigSchema>;

/** What the model must answer; anything else is discarded as a hallucination. */
export const SynthesisAnswerSchema = z.object({
  verdict: z.enum(['agree', 'disagree', 'abstain']),
  confidence: z.number().min(0).max(1),
  rationale: z.string().min(1).max(2000),
});
export type SynthesisAnswer = z.output<typeof SynthesisAnswerSchema>;

/** The facts the model is shown; it never sees credentials or raw order books. */
export interface SynthesisRequest {
  symbol: string;
  direction: string;
  regime: string;
  conviction: number;
  features: Record<string, number | string>;
  levels?: { entry: string; stopLoss: string; takeProfit: string; riskReward: string };
}

export interface Synthesizer {
  readonly model: string;
  synthesize(request: SynthesisRequest): Promise<SynthesisAnswer>;
}

export type SynthesisAttempt =
  | { status: 'disabled' }
  | { status: 'failed'; error: string }
  | { status: 'invalid'; error: string }
  | { status: 'answered'; answer: SynthesisAnswer };

export interface SynthesisResult {
  confidence: number;
  status: SynthesisAttempt['status'];
  answer?: SynthesisAnswer;
}

/**
 * Folds the model's answer into the confidence. A disabled, failing or invalid model never blocks
 * a decision: the rule-based confidence stands and the reason records what happened.
 */
export function synthesisStage(
  conviction: number,
  attempt: SynthesisAttempt,
  config: SynthesisConfig,
): StageOutcome<SynthesisResult> {
  if (attempt.status === 'disabled')
    return { passed: true, reason: 'language model disabled', data: { confidence: conviction, status: 'disabled' } };
  if (attempt.status !== 'answered') {
    return {
      passed: true,
      reason: `language model ${attempt.status === 'invalid' ? 'answer discarded' : 'unavailable'}: ${attempt.error}`,
      data: { confidence: conviction, status: attempt.status },
    };
  }
  const { answer } = attempt;
  const modelView =
    answer.verdict === 'agree' ? answer.confidence : answer.verdict === 'disagree' ? 1 - answer.confidence : conviction;
  const confidence = Math.min(1, Math.max(0, (1 - config.weight) * conviction + config.weight * modelView));
  const vetoed = answer.verdict === 'disagree' && config.vetoOnDisagree;
  return {
    passed: !vetoed,
    score: confidence,
    reason: `model ${answer.verdict}s (${answer.confidence.toFixed(2)}): ${answer.rationale.slice(0, 200)}${vetoed ? ' — vetoed' : ''}`,
    data: { confidence, status: 'answered', answer },
  };
}

/** Runs the synthesizer when enabled, turning every failure into an attempt the stage can judge. */
export async function attemptSynthesis(
  synthesizer: Synthesizer | undefined,
  request: SynthesisRequest,
  config: SynthesisConfig,
): Promise<SynthesisAttempt> {
  if (!config.enabled || !synthesizer) return { status: 'disabled' };
  let raw: unknown;
  try {
    raw = await synthesizer.synthesize(request);
  } catch (err) {
    const invalid = err instanceof z.ZodError || (err instanceof Error && err.name === 'SynthesisFormatError');
    return { status: invalid ? 'invalid' : 'failed', error: err instanceof Error ? err.message : String(err) };
  }
  const parsed = SynthesisAnswerSchema.safeParse(raw);
  return parsed.success
    ? { status: 'answered', answer: parsed.data }
    : { status: 'invalid', error: parsed.error.message };
}
