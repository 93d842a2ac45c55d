import { z } from 'zod';
import { ConnectorTypeSchema, Id, MarketTypeSchema, OrderSideSchema, SymbolName, UnixMs } from './common';
import { PositiveDecimalString } from './decimal';
import { Confidence } from './signal';

export const DecisionRequestSchema = z
  .object({
    requestId: Id,
    symbol: SymbolName,
    signalId: Id.optional(),
    connectorType: ConnectorTypeSchema.optional(),
    marketType: MarketTypeSchema.optional(),
    requestedBy: z.string().optional(),
    context: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'DecisionRequest' });
export type DecisionRequest = z.output<typeof DecisionRequestSchema>;

/** One pipeline stage's verdict, kept so a decision can be audited step by step. */
export const DecisionStageSchema = z.object({
  name: z.string().min(1),
  passed: z.boolean(),
  score: z.number().finite().optional(),
  reason: z.string().optional(),
  durationMs: z.number().nonnegative().optional(),
});
export type DecisionStage = z.output<typeof DecisionStageSchema>;

export const DecisionSchema = z
  .object({
    decisionId: Id,
    signalId: Id.optional(),
    requestId: Id.optional(),
    symbol: SymbolName.optional(),
    approved: z.boolean(),
    confidence: Confidence,
    reasoning: z.string(),
    stages: z.array(DecisionStageSchema).default([]),
    decidedAt: UnixMs.optional(),
  })
  .meta({ id: 'Decision' });
export type Decision = z.output<typeof DecisionSchema>;

/** The inputs a decision was made from; free-form by design (market snapshot, features). */
export const DecisionContextSnapshotSchema = z
  .object({
    decisionId: Id,
    symbol: SymbolName.optional(),
    context: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'DecisionContextSnapshot' });
export type DecisionContextSnapshot = z.output<typeof DecisionContextSnapshotSchema>;

export const ConfidenceLowSchema = z
  .object({
    decisionId: Id,
    signalId: Id.optional(),
    symbol: SymbolName.optional(),
    confidence: Confidence,
    threshold: Confidence,
    reason: z.string().optional(),
  })
  .meta({ id: 'ConfidenceLow' });
export type ConfidenceLow = z.output<typeof ConfidenceLowSchema>;

export const ModelSwitchedSchema = z
  .object({ from: z.string().optional(), to: z.string().min(1), reason: z.string().optional() })
  .meta({ id: 'ModelSwitched' });
export type ModelSwitched = z.output<typeof ModelSwitchedSchema>;

export const HallucinationDetectedSchema = z
  .object({
    decisionId: Id.optional(),
    symbol: SymbolName.optional(),
    model: z.string().optional(),
    reason: z.string().min(1),
    output: z.string().optional(),
  })
  .meta({ id: 'HallucinationDetected' });
export type HallucinationDetected = z.output<typeof HallucinationDetectedSchema>;

/**
 * What the advisor wants executed; the inspector gates it and places the order. Sized either by
 * `quantity` or by `notional` (quote currency), so at least one is required.
 */
export const ExecutionIntentSchema = z
  .object({
    intentId: Id,
    idempotencyKey: Id,
    decisionId: Id.optional(),
    signalId: Id.optional(),
    symbol: SymbolName,
    side: OrderSideSchema,
    quantity: PositiveDecimalString.optional(),
    notional: PositiveDecimalString.optional(),
    entry: PositiveDecimalString.optional(),
    stopLoss: PositiveDecimalString.optional(),
    takeProfit: PositiveDecimalString.optional(),
    confidence: Confidence.optional(),
    connectorType: ConnectorTypeSchema,
    marketType: MarketTypeSchema,
    expiresAt: UnixMs.optional(),
  })
  .refine((intent) => intent.quantity !== undefined || intent.notional !== undefined, {
    message: 'an execution intent needs quantity or notional',
    path: ['quantity'],
  })
  .meta({ id: 'ExecutionIntent' });
export type ExecutionIntent = z.output<typeof ExecutionIntentSchema>;
