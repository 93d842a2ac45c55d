// The notifier's webhook tables: subscriptions and the stored delivery queue. The only Prisma user
// for webhooks; rows leave here as plain records with ms numbers.
import type { Prisma, PrismaClient } from '@barfinex/db';
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

export function createWebhooksRepository(prisma: PrismaClient, appKey: string) {
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
      const at = msToBigInt(now);
      await prisma.webhookDelivery.createMany({
        data: rows.map((r) => ({
          ...r,
          status: DeliveryStatus.pending,
          attempts: 0,
          nextAttemptAt: at,
          createdAt: at,
        })),
        skipDuplicates: true,
      });
    },
    /** The oldest pending deliveries of a subscription, in queue order. */
    async pendingHead(subscriptionId: string, limit: number): Promise<DeliveryRecord[]> {
      return (
        await prisma.webhookDelivery.findMany({
          where: { subscriptionId, status: DeliveryStatus.pending },
          orderBy: { seq: 'asc' },
          take: limit,
        })
      ).map(toDelivery);
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
      const params: unknown[] = [];
      const values = outcomes.map((o) => {
        const base = params.length;
        params.push(
          o.seq,
          o.status,
          o.attempts,
          o.responseCode,
          o.latencyMs,
          o.lastError,
          o.nextAttemptAt,
          o.deliveredAt,
        );
        const p = (k: number) => `$${base + k}`;
        return `(${p(1)}::bigint, ${p(2)}::text, ${p(3)}::int, ${p(4)}::int, ${p(5)}::int, ${p(6)}::text, ${p(7)}::bigint, ${p(8)}::bigint)`;
      });
      const update = prisma.$executeRawUnsafe(
        `UPDATE webhook_deliveries AS d SET status = v.status, attempts = v.attempts, response_code = v.code, latency_ms = v.latency,
           last_error = v.error, next_attempt_at = v.next, delivered_at = v.delivered
         FROM (VALUES ${values.join(', ')}) AS v(seq, status, attempts, code, latency, error, next, delivered)
         WHERE d.seq = v.seq`,
        ...params,
      );
      if (!subscription) {
        await update;
        return;
      }
      await prisma.$transaction([
        update,
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
