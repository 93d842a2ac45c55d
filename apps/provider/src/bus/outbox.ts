import { timerSchedule } from '@barfinex/bus';
import type { Bus, Schedule } from '@barfinex/bus';
import { parseEnvelope } from '@barfinex/events';
import type { EventEnvelope, EventName } from '@barfinex/events';
import type { Logger } from 'pino';
import type { EventOutboxRepository } from './outbox.repository';

export interface OutboxDeps {
  store: EventOutboxRepository;
  bus: Pick<Bus, 'publishEnvelope' | 'status'>;
  logger: Logger;
  now: () => number;
  /** Timers; injected so tests decide when time passes. */
  schedule?: Schedule;
  /** Resolves when the direct publishes already under way have finished: they were emitted first. */
  directIdle: () => Promise<void>;
  onPublished?: (name: EventName, ok: boolean) => void;
  /** Each event the relay handed to the bus (the event sink's tap: what it stores it does not consume back). */
  onRelayed?: (env: EventEnvelope) => void;
  /** An event given up on: neither the bus nor the outbox write took it. */
  onLost?: (name: string) => void;
  /** Relay retry delay after a failure, doubling from `minMs` up to `maxMs`; also the reconnect poll. */
  retry?: { minMs: number; maxMs: number };
  batchSize?: number;
}

export interface Outbox {
  /** True while events must go through the outbox (rows waiting, or not yet known: before start). */
  readonly queueing: boolean;
  /** Rows waiting (tracked in memory, re-read at start and reset when a relay pass empties it). */
  readonly depth: number;
  /** Resolves once the envelope is stored (or, with the database down too, logged as lost). */
  add(env: EventEnvelope): Promise<void>;
  /** Reads what an earlier run left behind and starts relaying it. */
  start(): Promise<void>;
  /** Waits for pending writes and the running relay pass; rows not yet relayed stay for the next start. */
  stop(): Promise<void>;
  /** Resolves when no write and no relay pass is running. */
  idle(): Promise<void>;
}

/**
 * Durable events the bus could not take are stored in `event_outbox` and relayed in `seq` order by
 * one loop: each row is published with its original envelope (same eventId, so JetStream and the
 * event sink drop a re-send) and deleted once the bus has acknowledged it. A row published but not
 * yet deleted when the provider stops is sent again on the next start; the eventId makes that
 * harmless. The relay stops at the first failure and retries later, with backoff; while the bus
 * reports itself disconnected it only polls the bus status (no database access).
 *
 * Order: rows go out in `seq` order, which is hand-over order, and a relay pass first waits for the
 * direct publishes already under way. One exception: an event whose direct publish was under way
 * when the bus went down is stored only when the bus gives up on it (NATS: after
 * `durablePublishTimeoutMs`), so after an outage longer than that it comes behind events emitted
 * after it.
 */
export function createOutbox(deps: OutboxDeps): Outbox {
  const schedule = deps.schedule ?? timerSchedule;
  const minMs = deps.retry?.minMs ?? 1_000;
  const maxMs = deps.retry?.maxMs ?? 5_000;
  const batchSize = deps.batchSize ?? 100;
  // Rows from an earlier run may be waiting until start() has looked: new events queue behind them.
  let queueing = true;
  let depth = 0;
  let started = false;
  let stopped = false;

  // One writer, one statement per batch, in hand-over order, so `seq` follows emit order.
  let waiting: Array<{ env: EventEnvelope; done: () => void }> = [];
  let writer: Promise<void> | undefined;
  let handedOver = 0;

  const writeLoop = async (): Promise<void> => {
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      try {
        depth += await deps.store.append(
          batch.map((w) => w.env),
          deps.now(),
        );
      } catch (err) {
        // The one case where an event is still lost: neither the bus nor the database took it.
        for (const { env } of batch) {
          deps.logger.error({ err, event: env }, 'durable event lost: the bus and the event outbox both refused it');
          deps.onLost?.(env.type);
        }
      }
      for (const w of batch) w.done();
    }
    writer = undefined;
    arm(0);
  };

  const writesIdle = async (): Promise<void> => {
    while (writer !== undefined) await writer;
  };

  let cancelTimer: (() => void) | undefined;
  let pass: Promise<void> | undefined;
  let failures = 0;

  function arm(ms: number): void {
    if (!started || stopped || !queueing || pass !== undefined || cancelTimer !== undefined) return;
    cancelTimer = schedule(() => {
      cancelTimer = undefined;
      tick();
    }, ms);
  }

  function tick(): void {
    if (stopped || pass !== undefined) return;
    if (!deps.bus.status().connected) {
      arm(minMs);
      return;
    }
    pass = relay().then(
      () => {
        failures = 0;
      },
      (err: unknown) => {
        failures += 1;
        deps.logger.warn({ err, outboxDepth: depth }, 'event outbox relay stopped; retrying later');
      },
    );
    void pass.finally(() => {
      pass = undefined;
      arm(failures === 0 ? 0 : Math.min(maxMs, minMs * 2 ** (failures - 1)));
    });
  }

  async function publish(env: EventEnvelope): Promise<void> {
    if (!deps.bus.status().connected) throw new Error('the bus is disconnected');
    try {
      // Read back through parseEnvelope by the relay (keepValid): valid as it stands.
      await deps.bus.publishEnvelope(env, { validated: true });
    } catch (err) {
      deps.onPublished?.(env.type, false);
      throw err;
    }
    deps.onPublished?.(env.type, true);
    deps.onRelayed?.(env);
  }

  async function relay(): Promise<void> {
    // Direct publishes already under way were emitted before anything stored here.
    await deps.directIdle();
    while (!stopped) {
      await writesIdle();
      const mark = handedOver;
      const rows = await deps.store.oldest(batchSize);
      if (rows.length === 0) {
        if (mark !== handedOver || writer !== undefined) continue;
        queueing = false;
        depth = 0;
        return;
      }
      // Never publishable (e.g. the catalog changed since it was stored): moved aside, not lost, not blocking.
      const valid = await deps.store.keepValid(rows, (row) => ({
        seq: row.seq,
        env: parseEnvelope(JSON.parse(row.envelope)),
      }));
      depth = Math.max(0, depth - (rows.length - valid.length));
      const done: bigint[] = [];
      try {
        for (const { seq, env } of valid) {
          await publish(env);
          done.push(seq);
        }
      } finally {
        if (done.length > 0) depth = Math.max(0, depth - (await deps.store.remove(done)));
      }
    }
  }

  return {
    get queueing() {
      return queueing;
    },
    get depth() {
      return depth;
    },
    add(env) {
      queueing = true;
      handedOver += 1;
      const stored = new Promise<void>((resolve) => waiting.push({ env, done: resolve }));
      writer ??= writeLoop();
      return stored;
    },
    async start() {
      started = true;
      await writesIdle();
      depth = await deps.store.count();
      arm(0);
    },
    async stop() {
      stopped = true;
      cancelTimer?.();
      cancelTimer = undefined;
      await writesIdle();
      await pass;
    },
    async idle() {
      while (writer !== undefined || pass !== undefined) {
        await writesIdle();
        await pass;
      }
    },
  };
}
