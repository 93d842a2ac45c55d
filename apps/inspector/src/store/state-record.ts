import { UnixMs } from '@barfinex/contracts';
import { z } from 'zod';
import { RiskPoliciesSchema } from '../policies/types';

export const KillSwitchStateSchema = z.object({
  active: z.boolean(),
  reason: z.string().optional(),
  actor: z.string().optional(),
  at: UnixMs.optional(),
});
export type KillSwitchState = z.output<typeof KillSwitchStateSchema>;

export const StateRecordSchema = z.object({
  policies: RiskPoliciesSchema,
  policiesVersion: z.number().int().nonnegative(),
  /** Peak equity per account, "connectorType:marketType" → decimal string. */
  peaks: z.record(z.string(), z.string()),
  killSwitch: KillSwitchStateSchema,
  /** Losses closed before this time no longer count toward the streak or the cooldown. */
  streakResetAt: UnixMs,
  updatedAt: UnixMs,
});
export type StateRecord = z.output<typeof StateRecordSchema>;
