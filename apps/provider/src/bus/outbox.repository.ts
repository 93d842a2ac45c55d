import { createQuarantine, msToBigInt } from '@barfinex/db';
import type { PrismaClient, Quarantine } from '@barfinex/db';
import type { EventEnvelope } from '@barfinex/events';

/** One waiting event: the envelope exactly as it will be published, as JSON text. */
export interface OutboxRow {
  seq: bigint;
  eventId: string;
  envelope: string;
}

export interface EventOutboxRepository {
  /**
   * Stores the envelopes in one statement, in array order (so `seq` follows it). An eventId that
   * is already waiting is not stored twice. Returns how many rows were added.
   */
  append(envelopes: readonly EventEnvelope[], now: number): Promise<number>;
  /** The oldest waiting rows, by `seq`. */
  oldest(limit: number): Promise<OutboxRow[]>;
  /** Returns how many rows were removed. */
  remove(seqs: readonly bigint[]): Promise<number>;
  count(): Promise<number>;
  /**
   * The rows `parse` accepts, in order; the others (envelopes that no longer validate) are moved
   * to quarantined_records and out of the outbox in one transaction, to be inspected and replayed
   * by hand rather than lost or left blocking every row behind them.
   */
  keepValid<T>(rows: readonly OutboxRow[], parse: (row: OutboxRow) => T): Promise<T[]>;
}

export function createEventOutboxRepository(
  prisma: PrismaClient,
  quarantine: Quarantine = createQuarantine({ prisma, app: 'provider' }),
): EventOutboxRepository {
  return {
    async append(envelopes, now) {
      if (envelopes.length === 0) return 0;
      const createdAt = msToBigInt(now);
      const data = envelopes.map((env) => ({ eventId: env.eventId, envelope: JSON.stringify(env), createdAt }));
      return (await prisma.eventOutbox.createMany({ data, skipDuplicates: true })).count;
    },
    oldest(limit) {
      return prisma.eventOutbox.findMany({
        select: { seq: true, eventId: true, envelope: true },
        orderBy: { seq: 'asc' },
        take: limit,
      });
    },
    async remove(seqs) {
      if (seqs.length === 0) return 0;
      return (await prisma.eventOutbox.deleteMany({ where: { seq: { in: [...seqs] } } })).count;
    },
    count() {
      return prisma.eventOutbox.count();
    },
    keepValid(rows, parse) {
      return quarantine.keepValid(rows, {
        source: 'event_outbox',
        key: (r) => r.eventId,
        parse,
        remove: (refused) => prisma.eventOutbox.deleteMany({ where: { seq: { in: refused.map((r) => r.seq) } } }),
        // The envelope text as JSON when it still parses, so it can be read and re-inserted as it was.
        value: (r) => ({ seq: r.seq.toString(), eventId: r.eventId, envelope: r.envelope }),
      });
    },
  };
}
