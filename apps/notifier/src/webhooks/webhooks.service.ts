// Webhook subscriptions: kept in memory for matching (every event is looked at), written through to
// the database; events the bus hands over become stored deliveries before the bus is acknowledged.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AnyEventEnvelope } from '@barfinex/events';
import { SIGNATURE_HEADER, conflict, notFound, parseInput, signBody } from '@barfinex/service-kit';
import { EventSelectorsSchema, SymbolFilterSchema, selects } from '../selectors';
import { ATTEMPT_HEADER, DELIVERY_HEADER, EVENT_HEADER } from './headers';
import type { WebhookSender } from './sender';
import type { WebhookTargetPolicy } from './target-policy';
import { DeliveryStatus } from './webhooks.repository';
import type { DeliveryRecord, NewDelivery, SubscriptionRecord, WebhooksRepository } from './webhooks.repository';

const Secret = z.string().min(16, 'a secret has at least 16 characters').max(200);
export const CreateWebhookSchema = z
  .object({
    url: z.string().min(1).max(2000),
    events: EventSelectorsSchema,
    symbols: SymbolFilterSchema.default([]),
    /** Generated (and returned once) when not given. */
    secret: Secret.optional(),
    enabled: z.boolean().default(true),
    description: z.string().max(500).optional(),
  })
  .strict();
export const UpdateWebhookSchema = z
  .object({
    url: z.string().min(1).max(2000),
    events: EventSelectorsSchema,
    symbols: SymbolFilterSchema,
    secret: Secret,
    enabled: z.boolean(),
    description: z.string().max(500).nullable(),
  })
  .partial()
  .strict();

const PauseSchema = z.object({ reason: z.string().min(1).max(500).default('paused by an operator') }).strict();

/** A subscription as the API shows it: the secret never leaves again after creation. */
export function subscriptionView(s: SubscriptionRecord) {
  const { secret, ...rest } = s;
  return { ...rest, secretHint: `…${secret.slice(-4)}`, paused: s.pausedReason !== null };
}

export function deliveryView(d: DeliveryRecord) {
  const { seq, envelope: _envelope, nextAttemptAt, ...rest } = d;
  return { ...rest, seq: Number(seq), nextRetryAt: d.status === DeliveryStatus.pending ? nextAttemptAt : null };
}

/** The same subscription and event always give the same delivery id, across retries and restarts. */
export const deliveryId = (subscriptionId: string, eventId: string): string =>
  `dlv_${createHash('sha256').update(`${subscriptionId}\u0000${eventId}`).digest('hex').slice(0, 32)}`;

export interface WebhooksServiceDeps {
  repo: WebhooksRepository;
  policy: WebhookTargetPolicy;
  sender: WebhookSender;
  now: () => number;
  /** Called after deliveries were queued or re-queued: the worker drains at once instead of at the next poll. */
  wake: () => void;
}

export function createWebhooksService(deps: WebhooksServiceDeps) {
  const subscriptions = new Map<string, SubscriptionRecord>();

  function get(id: string): SubscriptionRecord {
    const s = subscriptions.get(id);
    if (!s) throw notFound(`webhook "${id}"`, { webhookId: id });
    return s;
  }

  return {
    async load(): Promise<void> {
      subscriptions.clear();
      for (const s of await deps.repo.listSubscriptions()) subscriptions.set(s.id, s);
    },
    all: (): Iterable<SubscriptionRecord> => subscriptions.values(),
    /** The worker's changes (failure count, pause), already stored. */
    changed(s: SubscriptionRecord): void {
      if (subscriptions.has(s.id)) subscriptions.set(s.id, s);
    },
    list: () => [...subscriptions.values()].map(subscriptionView),
    get: (id: string) => subscriptionView(get(id)),

    async create(body: unknown) {
      const input = parseInput(CreateWebhookSchema, body, 'body');
      await deps.policy.checkStored(input.url);
      const now = deps.now();
      const secret = input.secret ?? randomBytes(24).toString('base64url');
      const record = await deps.repo.createSubscription({
        id: `wh_${randomUUID()}`,
        url: input.url,
        events: input.events,
        symbols: input.symbols,
        secret,
        enabled: input.enabled,
        description: input.description ?? null,
        pausedReason: null,
        consecutiveFailures: 0,
        createdAt: now,
        updatedAt: now,
      });
      subscriptions.set(record.id, record);
      return { ...subscriptionView(record), secret };
    },

    async update(id: string, body: unknown) {
      const current = get(id);
      const patch = parseInput(UpdateWebhookSchema, body, 'body');
      if (patch.url !== undefined) await deps.policy.checkStored(patch.url);
      const record = await deps.repo.updateSubscription({
        ...current,
        ...patch,
        description: patch.description === undefined ? current.description : patch.description,
        updatedAt: deps.now(),
      });
      subscriptions.set(id, record);
      deps.wake();
      return subscriptionView(record);
    },

    async remove(id: string): Promise<void> {
      get(id);
      await deps.repo.deleteSubscription(id);
      subscriptions.delete(id);
    },

    /** Holds deliveries (events keep queueing) until resumed: receiver maintenance, an incident. */
    async pause(id: string, body: unknown) {
      const current = get(id);
      const { reason } = parseInput(PauseSchema, body ?? {}, 'body');
      const record = await deps.repo.updateSubscription({ ...current, pausedReason: reason, updatedAt: deps.now() });
      subscriptions.set(id, record);
      return subscriptionView(record);
    },

    /** Clears the pause and puts the deliveries that failed back in the queue, in their order. */
    async resume(id: string) {
      const current = get(id);
      const requeued = await deps.repo.requeue(id, { status: DeliveryStatus.failed }, deps.now());
      const record = await deps.repo.updateSubscription({
        ...current,
        pausedReason: null,
        consecutiveFailures: 0,
        enabled: true,
        updatedAt: deps.now(),
      });
      subscriptions.set(id, record);
      deps.wake();
      return { ...subscriptionView(record), requeued };
    },

    async redeliver(id: string, delivery: string) {
      get(id);
      const found = await deps.repo.getDelivery(id, delivery);
      if (!found) throw notFound(`delivery "${delivery}" of webhook "${id}"`, { webhookId: id, deliveryId: delivery });
      if (found.status === DeliveryStatus.pending)
        throw conflict(`delivery "${delivery}" is already queued`, {
          deliveryId: delivery,
          nextRetryAt: found.nextAttemptAt,
        });
      await deps.repo.requeue(id, { id: delivery }, deps.now());
      deps.wake();
      return deliveryView({ ...found, status: DeliveryStatus.pending, nextAttemptAt: deps.now(), deliveredAt: null });
    },

    /** A signed ping, sent now and not stored: checks the URL, the receiver and its secret. */
    async ping(id: string) {
      const s = get(id);
      const url = deps.policy.check(s.url);
      const now = deps.now();
      const eventId = `ping_${randomUUID()}`;
      const body = JSON.stringify({
        eventId,
        type: 'PING',
        source: 'NOTIFIER',
        timestamp: now,
        version: 1,
        payload: { webhookId: s.id },
      });
      const result = await deps.sender.post(url, body, {
        [SIGNATURE_HEADER]: signBody(s.secret, body, now),
        [DELIVERY_HEADER]: eventId,
        [EVENT_HEADER]: 'PING',
        [ATTEMPT_HEADER]: '1',
      });
      return {
        delivered: result.error === undefined,
        responseCode: result.status ?? null,
        latencyMs: result.latencyMs,
        error: result.error ?? null,
      };
    },

    /** The deliveries an event owes: stored before the bus is acknowledged. */
    async intake(env: AnyEventEnvelope): Promise<number> {
      const rows: NewDelivery[] = [];
      let envelope: string | undefined;
      for (const s of subscriptions.values()) {
        if (!s.enabled || !selects(s.events, s.symbols, env)) continue;
        envelope ??= JSON.stringify(env);
        rows.push({
          id: deliveryId(s.id, env.eventId),
          subscriptionId: s.id,
          eventId: env.eventId,
          eventName: env.type,
          envelope,
        });
      }
      await deps.repo.enqueue(rows, deps.now());
      if (rows.length > 0) deps.wake();
      return rows.length;
    },
  };
}
export type WebhooksService = ReturnType<typeof createWebhooksService>;
