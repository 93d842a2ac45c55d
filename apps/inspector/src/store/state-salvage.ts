import type { Prisma } from '@barfinex/db';
import type { z } from 'zod';
import { DEFAULT_POLICIES } from '../policies/types';
import { StateRecordSchema } from './state-record';
import type { StateRecord } from './state-record';

export type StateRow = Prisma.InspectorStateGetPayload<object>;

/** A stored millisecond count as a number; one beyond a safe integer stays too large and fails its schema. */
const ms = (value: bigint): number => Number(value);

export function toState(row: StateRow): StateRecord {
  return StateRecordSchema.parse({ ...row, streakResetAt: ms(row.streakResetAt), updatedAt: ms(row.updatedAt) });
}

function part<S extends z.ZodType>(schema: S, value: unknown): z.output<S> | undefined {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/**
 * What is kept of a stored state that failed validation (the original goes to the quarantine):
 * every field that still validates on its own, defaults for the rest. A kill switch that cannot
 * be read fails safe: it is engaged, so no entry is taken until an operator has looked at the
 * quarantined state and released it.
 */
export function salvageState(row: StateRow): StateRecord {
  const shape = StateRecordSchema.shape;
  return {
    policies: part(shape.policies, row.policies) ?? DEFAULT_POLICIES,
    policiesVersion: part(shape.policiesVersion, row.policiesVersion) ?? 1,
    peaks: part(shape.peaks, row.peaks) ?? {},
    killSwitch: part(shape.killSwitch, row.killSwitch) ?? {
      active: true,
      reason:
        'the stored inspector state failed validation and was moved to quarantined_records; release the kill switch once it has been checked',
      actor: 'inspector',
    },
    streakResetAt: part(shape.streakResetAt, ms(row.streakResetAt)) ?? 0,
    updatedAt: part(shape.updatedAt, ms(row.updatedAt)) ?? 0,
  };
}
