import type { Prisma, PrismaClient } from './generated/prisma/client';

/** One stored record an app refused at load: where it lived, its key there, why, and the record itself. */
export interface QuarantineEntry {
  /** Table (or table:part) the record was read from, e.g. `sim_state_parts`, `event_outbox`. */
  source: string;
  key: string;
  reason: string;
  /** The record as stored; text columns are kept as a JSON string. */
  value: unknown;
}

export interface QuarantineCount {
  source: string;
  count: number;
}

/** The JSON a jsonb column accepts: `undefined` (a missing record) is stored as null. */
function asJson(value: unknown): Prisma.InputJsonValue {
  return (value === undefined ? null : value) as Prisma.InputJsonValue;
}

/**
 * Records that fail validation when an app loads its stored state are moved aside into
 * `quarantined_records` rather than stopping the start or being deleted: an operator can read
 * them back, repair and re-insert them. `put` inserts the copies and runs the caller's removal of
 * the originals in one transaction, so a record is never in both places nor in neither.
 */
export function createQuarantine(deps: { prisma: PrismaClient; app: string; now?: () => number }) {
  const now = deps.now ?? Date.now;
  const { prisma, app } = deps;
  return {
    async put(entries: readonly QuarantineEntry[], removeOriginals: readonly Prisma.PrismaPromise<unknown>[] = []): Promise<void> {
      if (entries.length === 0) return;
      const at = BigInt(now());
      await prisma.$transaction([
        prisma.quarantinedRecord.createMany({
          data: entries.map((e) => ({ app, source: e.source, recordKey: e.key, reason: e.reason.slice(0, 4000), value: asJson(e.value), quarantinedAt: at })),
        }),
        ...removeOriginals,
      ]);
    },
    /** Quarantined records of this app kept so far, by source (for readiness and metrics). */
    async counts(): Promise<QuarantineCount[]> {
      const rows = await prisma.quarantinedRecord.groupBy({ by: ['source'], where: { app }, _count: { _all: true }, orderBy: { source: 'asc' } });
      return rows.map((r) => ({ source: r.source, count: r._count._all }));
    },
  };
}

export type Quarantine = ReturnType<typeof createQuarantine>;
