import { z } from 'zod';
import {
  ConfidenceLowSchema,
  DecisionStageSchema,
  ExecutionIntentSchema,
  Id,
  SymbolName,
  TradeSideSchema,
  UnixMs,
} from '@barfinex/contracts';

/** How a decision ended; REST filters by it. */
export const DecisionOutcome = {
  approved: 'approved',
  rejected: 'rejected',
  lowConfidence: 'low_confidence',
  throttled: 'throttled',
  duplicate: 'duplicate',
} as const;
export type DecisionOutcome = (typeof DecisionOutcome)[keyof typeof DecisionOutcome];
export const DecisionOutcomeSchema = z.enum(Object.values(DecisionOutcome) as [DecisionOutcome, ...DecisionOutcome[]]);

/** A stored decision as REST returns it: the decision, its stages, the inputs, and the intent it produced. */
export const DecisionRecordSchema = z.object({
  decisionId: Id,
  dedupKey: z.string(),
  signalId: Id.optional(),
  requestId: Id.optional(),
  symbol: SymbolName,
  direction: TradeSideSchema.optional(),
  outcome: DecisionOutcomeSchema,
  approved: z.boolean(),
  confidence: z.number().min(0).max(1),
  reasoning: z.string(),
  stages: z.array(DecisionStageSchema),
  context: z.record(z.string(), z.unknown()),
  intent: ExecutionIntentSchema.optional(),
  /** Kept so a republish after a crash sends the same confidence-low event. */
  confidenceLow: ConfidenceLowSchema.optional(),
  correlationId: z.string().optional(),
  causationId: z.string().optional(),
  decidedAt: UnixMs,
  publishedAt: UnixMs.optional(),
});
export type DecisionRecord = z.output<typeof DecisionRecordSchema>;
