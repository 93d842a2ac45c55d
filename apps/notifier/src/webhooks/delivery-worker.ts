// Drains the stored queue, one subscription at a time in queue order: the oldest pending delivery
// of a subscription holds back the ones after it until it is delivered or gives up, so a receiver
// sees its events in the order they happened. A failed attempt keeps the delivery's id and is
// retried with backoff; after `retryForMs` it fails and the subscription is paused with the reason.
// A backlog is sent batch after batch: while one batch's attempts are being recorded (one statement)
// the next batch is read and sent, so the receiver does not wait on the database; a batch's record
// is committed before the one after it is written, and a run ends only once every record is.
import type { Logger } from 'pino';
import { SIGNATURE_HEADER, signBody } from '@barfinex/service-kit';
import { ATTEMPT_HEADER, DELIVERY_HEADER, EVENT_HEADER } from './headers';
import { backoffMs } from './backoff';
import type { WebhookSender } from './sender';
import type { WebhookTargetPolicy } from './target-policy';
import { DeliveryStatus } from './webhooks.repository';
import type { AttemptOutcome, QueuedDelivery, SubscriptionRecord, WebhooksRepository } from './webhooks.repository';

export interface DeliveryWorkerDeps {
  repo: WebhooksRepository;
  sender: WebhookSender;
  policy: WebhookTargetPolicy;
  /** The subscriptions as they are now (the service keeps them in memory). */
  subscriptions: () => Iterable<SubscriptionRecord>;
  /** A subscription whose fields the worker changed (failure count, pause). */
  onChanged: (s: SubscriptionRecord) => void;
  now: () => number;
  random: () => number;
  retryForMs: number;
  maxBackoffMs: number;
  logger: Logger;
  /** Deliveries read from the queue at once per subscription. */
  batch?: number;
  onAttempt?: (ok: boolean) => void;
}

export function createDeliveryWorker(deps: DeliveryWorkerDeps) {
  const batch = deps.batch ?? 500;
  const running = new Map<string, Promise<void>>();
  const again = new Set<string>();

  async function attempt(sub: SubscriptionRecord, d: QueuedDelivery): Promise<AttemptOutcome> {
    const attempts = d.attempts + 1;
    const now = deps.now();
    let result: { status?: number; latencyMs: number; error?: string };
    try {
      const url = deps.policy.check(sub.url);
      // Signed and sent as the stored text (UTF-8, the same bytes either way): Node's client writes a
      // string body together with the request's head in one socket write, a Buffer in a second chunk.
      const body = d.envelope;
      result = await deps.sender.post(url, body, {
        [SIGNATURE_HEADER]: signBody(sub.secret, body, now),
        [DELIVERY_HEADER]: d.id,
        [EVENT_HEADER]: d.eventName,
        [ATTEMPT_HEADER]: String(attempts),
      });
    } catch (err) {
      result = { latencyMs: 0, error: err instanceof Error ? err.message : String(err) };
    }
    deps.onAttempt?.(result.error === undefined);
    const base = { seq: d.seq, attempts, responseCode: result.status ?? null, latencyMs: result.latencyMs };
    if (result.error === undefined)
      return {
        ...base,
        status: DeliveryStatus.delivered,
        lastError: null,
        nextAttemptAt: d.nextAttemptAt,
        deliveredAt: deps.now(),
      };
    const retryAt = deps.now() + backoffMs(attempts, deps.maxBackoffMs, deps.random);
    const givesUp = retryAt - d.createdAt > deps.retryForMs;
    return {
      ...base,
      status: givesUp ? DeliveryStatus.failed : DeliveryStatus.pending,
      lastError: result.error.slice(0, 1000),
      nextAttemptAt: givesUp ? d.nextAttemptAt : retryAt,
      deliveredAt: null,
    };
  }

  /**
   * Sends what is due of `head` for one subscription. A batch that changed nothing but the attempts
   * is recorded in the background (`recorded` resolves when committed); otherwise it is recorded
   * before this returns. `full` when the whole head went out and more may be waiting.
   */
  async function sendBatch(
    sub: SubscriptionRecord,
    head: readonly QueuedDelivery[],
  ): Promise<{ full: boolean; recorded?: Promise<void> }> {
    const outcomes: AttemptOutcome[] = [];
    let failures = sub.consecutiveFailures;
    let pausedReason: string | null = null;
    for (const d of head) {
      if (d.nextAttemptAt > deps.now()) break;
      const outcome = await attempt(sub, d);
      outcomes.push(outcome);
      if (outcome.status === DeliveryStatus.delivered) {
        failures = 0;
        continue;
      }
      failures += 1;
      if (outcome.status === DeliveryStatus.failed) {
        const hours = Math.round((deps.now() - d.createdAt) / 360_000) / 10;
        pausedReason = `delivery ${d.id} (${d.eventName}) failed for ${hours} h, last: ${outcome.lastError ?? 'no answer'}`;
      }
      break;
    }
    if (outcomes.length === 0) return { full: false };
    const full = outcomes.length === head.length && head.length === batch;
    if (failures === sub.consecutiveFailures && pausedReason === null) {
      if (outcomes.every((o) => o.status === DeliveryStatus.delivered))
        return { full, recorded: deps.repo.recordAttempts(sub.id, outcomes) };
      await deps.repo.recordAttempts(sub.id, outcomes);
      return { full: false };
    }
    const changed = {
      ...sub,
      consecutiveFailures: failures,
      pausedReason: pausedReason ?? sub.pausedReason,
      updatedAt: deps.now(),
    };
    await deps.repo.recordAttempts(sub.id, outcomes, changed);
    deps.onChanged(changed);
    if (pausedReason !== null)
      deps.logger.warn({ subscriptionId: sub.id, url: sub.url, reason: pausedReason }, 'webhook subscription paused');
    return { full: full && failures === 0 };
  }

  const current = (id: string) => {
    const s = [...deps.subscriptions()].find((x) => x.id === id);
    return s && s.enabled && s.pausedReason === null ? s : undefined;
  };

  function drain(sub: SubscriptionRecord): Promise<void> {
    const busy = running.get(sub.id);
    if (busy) {
      again.add(sub.id);
      return busy;
    }
    const run = (async () => {
      // The previous batch's record, still being committed while the next batch goes out.
      let recording: Promise<void> = Promise.resolve();
      try {
        let next: Promise<QueuedDelivery[]> | undefined;
        for (;;) {
          const latest = current(sub.id);
          if (!latest) break;
          // A wake while a backlog streams (a redelivery sits before the cursor) is served by the fresh read after it.
          if (!next) again.delete(sub.id);
          const head = await (next ?? deps.repo.pendingHead(latest.id, batch));
          next = undefined;
          // Paused or disabled while the head was read: nothing more goes out.
          if (!current(sub.id)) break;
          const { full, recorded } = await sendBatch(latest, head);
          const previous = recording;
          recording = recorded ?? Promise.resolve();
          await previous;
          const last = head.at(-1);
          if (full && last && recorded) {
            // The next batch starts after this one, read while this one is being recorded.
            next = deps.repo.pendingHead(latest.id, batch, last.seq);
            next.catch(() => undefined);
            continue;
          }
          await recording;
          // Checked with nothing awaited before the run ends: a wake from now on starts a new run.
          if (!full && !again.has(sub.id)) break;
        }
        await recording;
      } catch (err) {
        await recording.catch(() => undefined);
        deps.logger.error(
          { err, subscriptionId: sub.id },
          'webhook queue could not be drained; retried at the next poll',
        );
      } finally {
        running.delete(sub.id);
      }
    })();
    running.set(sub.id, run);
    return run;
  }

  return {
    /** Looks at every active subscription's queue (the poll, and after events were queued). */
    async runAll(): Promise<void> {
      await Promise.all([...deps.subscriptions()].filter((s) => s.enabled && s.pausedReason === null).map(drain));
    },
    drain,
    async idle(): Promise<void> {
      while (running.size > 0) await Promise.all([...running.values()]);
    },
  };
}
export type DeliveryWorker = ReturnType<typeof createDeliveryWorker>;
