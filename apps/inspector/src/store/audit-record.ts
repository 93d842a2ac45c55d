import { RiskActionSchema, RiskCheckSchema, UnixMs } from '@barfinex/contracts';
import { z } from 'zod';

/** One risk decision (or kill-switch change) with the policy and the numbers that decided it. */
export const AuditRecordSchema = z.object({
  id: z.string().optional(),
  dedupKey: z.string().min(1),
  /** `order`: an order placed around the inspector (an agent's), checked before it was sent. */
  kind: z.enum(['intent', 'position_request', 'kill_switch', 'drawdown', 'exit', 'order']),
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
  checks: z.array(RiskCheckSchema),
  at: UnixMs,
});
export type AuditRecord = z.output<typeof AuditRecordSchema>;
