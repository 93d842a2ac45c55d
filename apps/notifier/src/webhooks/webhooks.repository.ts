// The notifier's webhook tables: subscriptions and the stored delivery queue. The only Prisma user
// for webhooks; rows leave here as plain records with ms numbers.
import type { Database, Prisma } from '@barfinex/db';
import { bigIntToMs, msToBigInt, nullableBigIntToMs } from '@barfinex/db';
import { stringList } from '../selectors';

export interface SubscriptionRecord {
  id: string;
  url: string;
  events: string[];
  symbols: string[];
  secret: string;
  enabled: boolean;
  description: string | null;
  pausedReason: string | null;
  consecutiveFailures: number;
  createdAt: number;
  updatedAt: number;
}

export const DeliveryStatus = { pending: 'pending', delivered: 'delivered', failed: 'failed' } as const;
export type DeliveryStatus = (typeof DeliveryStatus)[keyof typeof DeliveryStatus];

export interface DeliveryRecord {
  seq: bigint;
  id: string;
  subscriptionId: string;
  eventId: string;
  eventName: string;
  envelope: string;
  status: DeliveryStatus;
  attempts: number;
  responseCode: number | null;
  latencyMs: number | null;
  lastError: string | null;
  nextAttemptAt: number;
  createdAt: number;
  deliveredAt: number | null;
}

export type NewDelivery = Pick<DeliveryRecord, 'id' | 'subscriptionId' | 'eventId' | 'eventName' | 'envelope'>;
/** What one attempt changed. */
export type AttemptOutcome = Pick<
  DeliveryRecord,
  'seq' | 'status' | 'attempts' | 'responseCode' | 'latencyMs' | 'lastError' | 'nextAttemptAt' | 'deliveredAt'
>;

type SubscriptionRow = Prisma.WebhookSubscriptionGetPayload<object>;
type DeliveryRow = Prisma.WebhookDeliveryGetPayload<object>;

const toSubscription = (r: SubscriptionRow): SubscriptionRecord => ({
  id: r.id,
  url: r.url,
  events: stringList(r.events),
  symbols: stringList(r.symbols),
  secret: r.secret,
  enabled: r.enabled,
  description: r.description,
  pausedReason: r.pausedReason,
  consecutiveFailures: r.consecutiveFailures,
  createdAt: bigIntToMs(r.createdAt),
  updatedAt: bigIntToMs(r.updatedAt),
});

const toDelivery = (r: DeliveryRow): DeliveryRecord => ({
  seq: r.seq,
  id: r.id,
  subscriptionId: r.subscriptionId,
  eventId: r.eventId,
  eventName: r.eventName,
  envelope: r.envelope,
  status: r.status as DeliveryStatus,
  attempts: r.attempts,
  responseCode: r.responseCode,
  latencyMs: r.latencyMs,
  lastError: r.lastError,
  nextAttemptAt: bigIntToMs(r.nextAttemptAt),
  createdAt: bigIntToMs(r.createdAt),
  deliveredAt: nullableBigIntToMs(r.deliveredAt),
});

/** What sending a queued delivery needs: the queue's head carries no more (less to read per row). */
export type QueuedDelivery = Pick<
  DeliveryRecord,
  'seq' | 'id' | 'eventName' | 'envelope' | 'attempts' | 'nextAttemptAt' | 'createdAt'
>;

/** A row of the queue's head as its SELECT gives it (bigints as text, so pg and PGlite agree; the order is by the number, `d.seq`). */
interface QueueRow {
  seq: string;
  id: string;
  event_name: string;
  envelope: string;
  attempts: number;
  next_attempt_at: string;
  created_at: string;
}

const fromQueueRow = (r: QueueRow): QueuedDelivery => ({
  seq: BigInt(r.seq),
  id: r.id,
  eventName: r.event_name,
  envelope: r.envelope,
  attempts: r.attempts,
  nextAttemptAt: Number(r.next_attempt_at),
  createdAt: Number(r.created_at),
});

const PENDING_SQL = `
SELECT seq::text AS seq, id, event_name, envelope, attempts, next_attempt_at::text AS next_attempt_at, created_at::text AS created_at
FROM webhook_deliveries AS d
WHERE subscription_id = $1 AND status = 'pending' AND d.seq > $2::bigint
ORDER BY d.seq
LIMIT $3::int`;

/** The deliveries an event owes; one already queued for the same subscription and event is kept as it is. */
const ENQUEUE_SQL = `
INSERT INTO webhook_deliveries (id, subscription_id, event_id, event_name, envelope, status, attempts, next_attempt_at, created_at)
SELECT v.id, v.subscription_id, v.event_id, v.event_name, v.envelope, 'pending', 0, $6::bigint, $6::bigint
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS v(id, subscription_id, event_id, event_name, envelope)
ON CONFLICT DO NOTHING`;

/** One array per column (unnest): a batch of any size is one short statement with eight parameters. */
const RECORD_SQL = `
UPDATE webhook_deliveries AS d SET status = v.status, attempts = v.attempts, response_code = v.code, latency_ms = v.latency,
  last_error = v.error, next_attempt_at = v.next, delivered_at = v.delivered
FROM unnest($1::bigint[], $2::text[], $3::int[], $4::int[], $5::int[], $6::text[], $7::bigint[], $8::bigint[])
  AS v(seq, status, attempts, code, latency, error, next, delivered)
WHERE d.seq = v.seq`;

export function createWebhooksRepository(db: Pick<Database, 'prisma' | 'pool'>, appKey: string) {
  const { prisma, pool } = db;
  // The delivery hot path (queueing, the queue's head, an attempt batch) is plain SQL: straight to the pg pool on
  // PostgreSQL, through Prisma's raw query (the same adapter) on PGlite; Prisma's row mapping cost
  // more CPU per delivery than the signing.
  const sql = <R>(text: string, values: unknown[]): Promise<R[]> =>
    pool ? pool.query(text, values).then((r) => r.rows as R[]) : prisma.$queryRawUnsafe<R[]>(text, ...values);
  return {
    async listSubscriptions(): Promise<SubscriptionRecord[]> {
      return (await prisma.webhookSubscription.findMany({ where: { appKey }, orderBy: { createdAt: 'asc' } })).map(
        toSubscription,
      );
    },
    async createSubscription(s: SubscriptionRecord): Promise<SubscriptionRecord> {
      const { createdAt, updatedAt, ...rest } = s;
      return toSubscription(
        await prisma.webhookSubscription.create({
          data: { ...rest, appKey, createdAt: msToBigInt(createdAt), updatedAt: msToBigInt(updatedAt) },
        }),
      );
    },
    async updateSubscription(s: SubscriptionRecord): Promise<SubscriptionRecord> {
      const { id, createdAt: _created, updatedAt, ...rest } = s;
      return toSubscription(
        await prisma.webhookSubscription.update({ where: { id }, data: { ...rest, updatedAt: msToBigInt(updatedAt) } }),
      );
    },
    async deleteSubscription(id: string): Promise<void> {
      await prisma.$transaction([
        prisma.webhookDelivery.deleteMany({ where: { subscriptionId: id } }),
        prisma.webhookSubscription.deleteMany({ where: { id, appKey } }),
      ]);
    },

    /** Queues deliveries; one already queued for the same subscription and event is kept as it is. */
    async enqueue(rows: readonly NewDelivery[], now: number): Promise<void> {
      if (rows.length === 0) return;
      const col = <K extends keyof NewDelivery>(k: K) => rows.map((r) => r[k]);
      await sql(ENQUEUE_SQL, [
        col('id'),
        col('subscriptionId'),
        col('eventId'),
        col('eventName'),
        col('envelope'),
        now,
      ]);
    },
    /** The oldest pending deliveries of a subscription after `afterSeq` (a drain's cursor), in queue order. */
    async pendingHead(subscriptionId: string, limit: number, afterSeq = -1n): Promise<QueuedDelivery[]> {
      return (await sql<QueueRow>(PENDING_SQL, [subscriptionId, afterSeq.toString(), limit])).map(fromQueueRow);
    },
    /**
     * The attempts of one drain in one statement (one commit for a whole batch), and the
     * subscription's failure count and pause when they changed.
     */
    async recordAttempts(
      subscriptionId: string,
      outcomes: readonly AttemptOutcome[],
      subscription?: { consecutiveFailures: number; pausedReason: string | null; updatedAt: number },
    ): Promise<void> {
      const col = <K extends keyof AttemptOutcome>(k: K) => outcomes.map((o) => o[k]);
      const values = [
        outcomes.map((o) => o.seq.toString()),
        col('status'),
        col('attempts'),
        col('responseCode'),
        col('latencyMs'),
        col('lastError'),
        col('nextAttemptAt'),
        col('deliveredAt'),
      ];
      if (!subscription) {
        await sql(RECORD_SQL, values);
        return;
      }
      await prisma.$transaction([
        prisma.$executeRawUnsafe(RECORD_SQL, ...values),
        prisma.webhookSubscription.update({
          where: { id: subscriptionId },
          data: {
            consecutiveFailures: subscription.consecutiveFailures,
            pausedReason: subscription.pausedReason,
            updatedAt: msToBigInt(subscription.updatedAt),
          },
        }),
      ]);
    },
    async listDeliveries(
      subscriptionId: string,
      q: { status?: DeliveryStatus | undefined; page: number; limit: number },
    ): Promise<{ items: DeliveryRecord[]; total: number }> {
      const where = { subscriptionId, ...(q.status ? { status: q.status } : {}) };
      const [rows, total] = await Promise.all([
        prisma.webhookDelivery.findMany({
          where,
          orderBy: { seq: 'desc' },
          skip: (q.page - 1) * q.limit,
          take: q.limit,
        }),
        prisma.webhookDelivery.count({ where }),
      ]);
      return { items: rows.map(toDelivery), total };
    },
    async getDelivery(subscriptionId: string, id: string): Promise<DeliveryRecord | undefined> {
      const row = await prisma.webhookDelivery.findUnique({ where: { id } });
      return row && row.subscriptionId === subscriptionId ? toDelivery(row) : undefined;
    },
    /** Puts deliveries back in the queue at their place (their seq), due now, with their ids and attempt counts. */
    async requeue(
      subscriptionId: string,
      filter: { id: string } | { status: DeliveryStatus },
      now: number,
    ): Promise<number> {
      const { count } = await prisma.webhookDelivery.updateMany({
        where: { subscriptionId, ...filter },
        data: { status: DeliveryStatus.pending, nextAttemptAt: msToBigInt(now), deliveredAt: null },
      });
      return count;
    },
    async pendingCounts(): Promise<Map<string, number>> {
      const groups = await prisma.webhookDelivery.groupBy({
        by: ['subscriptionId'],
        where: { status: DeliveryStatus.pending },
        _count: { _all: true },
      });
      return new Map(groups.map((g) => [g.subscriptionId, g._count._all]));
    },
  };
}
export type WebhooksRepository = ReturnType<typeof createWebhooksRepository>;
