import { RiskActionSchema, UnixMs } from '@barfinex/contracts';
import { z } from 'zod';

export const AuditCheckSchema = z.object({
  policy: z.string(),
  passed: z.boolean(),
  action: RiskActionSchema,
  current: z.string(),
  limit: z.string(),
  reason: z.string(),
});

/** One risk decision (or kill-switch change) with the policy and the numbers that decided it. */
export const AuditRecordSchema = z.object({
  id: z.string().optional(),
  dedupKey: z.string().min(1),
  kind: z.enum(['intent', 'position_request', 'kill_switch', 'drawdown', 'exit']),
  action: RiskActionSchema,
  policy: z.string().optional(),
  reason: z.string(),
  symbol: z.string().optional(),
  intentId: z.string().optional(),
  requestId: z.string().optional(),
  positionId: z.string().optional(),
  correlationId: z.string().optional(),
  /** Account figures at decision time (equity, peak, drawdown, exposure...), decimal strings. */
  numbers: z.record(z.string(), z.union([z.string(), z.number()])),
  checks: z.array(AuditCheckSchema),
  at: UnixMs,
});
export type AuditRecord = z.output<typeof AuditRecordSchema>;
