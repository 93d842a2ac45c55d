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

/** How `keepValid` reads one kind of stored row. */
export interface KeepValidOptions<R, T> {
  source: string;
  key: (row: R) => string;
  /** The row as the app uses it; throws (a ZodError, or any Error) when the row is not usable. */
  parse: (row: R) => T;
  /** Deletes the refused rows; runs in the transaction that stores their copies. */
  remove: (refused: readonly R[]) => Prisma.PrismaPromise<unknown>;
  /** What is kept of a refused row; default: the whole row (bigints as decimal strings). */
  value?: (row: R) => unknown;
}

/** The JSON a jsonb column accepts: `undefined` (a missing record) is stored as null. */
function asJson(value: unknown): Prisma.InputJsonValue {
  return (value === undefined ? null : value) as Prisma.InputJsonValue;
}

/** A database row as JSON: bigints (ids, Unix ms) become decimal strings, Decimals their toJSON. */
function rowJson(row: unknown): unknown {
  return JSON.parse(JSON.stringify(row, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? 'null');
}

/** Why a row was refused, readable in a log line: Zod issues as `path: message`, else the error's message. */
export function describeInvalid(err: unknown): string {
  const issues = (err as { issues?: unknown } | null)?.issues;
  if (Array.isArray(issues) && issues.length > 0) {
    return issues
      .map(
        (i: { path?: unknown[]; message?: unknown }) =>
          `${(i.path ?? []).map(String).join('.') || '(root)'}: ${String(i.message)}`,
      )
      .join('; ');
  }
  return err instanceof Error ? err.message : String(err);
}

export interface QuarantineDeps {
  prisma: PrismaClient;
  app: string;
  now?: () => number;
  /** Told after records were moved aside (libraries do not log: the app logs them, loudly). */
  onQuarantined?: (entries: readonly QuarantineEntry[]) => void;
}

/**
 * Records that fail validation when an app loads its stored state are moved aside into
 * `quarantined_records` rather than stopping the start or being deleted: an operator can read
 * them back, repair and re-insert them. `put` inserts the copies and runs the caller's removal of
 * the originals in one transaction, so a record is never in both places nor in neither.
 */
export function createQuarantine(deps: QuarantineDeps) {
  const now = deps.now ?? Date.now;
  const { prisma, app } = deps;
  async function put(
    entries: readonly QuarantineEntry[],
    removeOriginals: readonly Prisma.PrismaPromise<unknown>[] = [],
  ): Promise<void> {
    if (entries.length === 0) return;
    const at = BigInt(now());
    await prisma.$transaction([
      prisma.quarantinedRecord.createMany({
        data: entries.map((e) => ({
          app,
          source: e.source,
          recordKey: e.key,
          reason: e.reason.slice(0, 4000),
          value: asJson(e.value),
          quarantinedAt: at,
        })),
      }),
      ...removeOriginals,
    ]);
    deps.onQuarantined?.(entries);
  }
  return {
    put,
    /**
     * The stored rows as the app uses them, in their order; a row `parse` refuses is moved to the
     * quarantine with the reason instead of failing the whole read. The move failing (the database
     * down) rejects, and the rows stay where they were.
     */
    async keepValid<R, T>(rows: readonly R[], o: KeepValidOptions<R, T>): Promise<T[]> {
      const kept: T[] = [];
      const refused: Array<{ row: R; reason: string }> = [];
      for (const row of rows) {
        try {
          kept.push(o.parse(row));
        } catch (err) {
          refused.push({ row, reason: describeInvalid(err) });
        }
      }
      if (refused.length > 0) {
        const value = o.value ?? rowJson;
        await put(
          refused.map(({ row, reason }) => ({ source: o.source, key: o.key(row), reason, value: value(row) })),
          [o.remove(refused.map((r) => r.row))],
        );
      }
      return kept;
    },
    /** Quarantined records of this app kept so far, by source (for readiness and metrics). */
    async counts(): Promise<QuarantineCount[]> {
      const rows = await prisma.quarantinedRecord.groupBy({
        by: ['source'],
        where: { app },
        _count: { _all: true },
        orderBy: { source: 'asc' },
      });
      return rows.map((r) => ({ source: r.source, count: r._count._all }));
    },
  };
}

export type Quarantine = ReturnType<typeof createQuarantine>;
