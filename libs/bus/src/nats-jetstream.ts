import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  ErrorCode,
  NatsError,
  RetentionPolicy,
  StorageType,
  nanos,
} from 'nats';
import type { JetStreamClient, JetStreamManager } from 'nats';
import { EVENT_NAMES, isDurableEvent } from '@barfinex/events';
import type { EventEnvelope, EventName } from '@barfinex/events';
import { decodeEnvelope } from './codec';
import { BusError, BusErrorCode, busClosedError, errorMessage } from './errors';
import { eventBaseSubject, eventSubject } from './subjects';

export interface StreamLimits {
  maxAgeMs: number;
  maxBytes: number;
  maxMsgs: number;
  duplicateWindowMs: number;
}

const STREAM_NOT_FOUND = 10059;
const CONSUMER_NOT_FOUND = 10014;
/** "error creating store for stream": the server could not make the stream's directory. */
const STREAM_STORE_FAILED = 10077;
const STORE_ATTEMPTS = 4;

function apiErrorCode(err: unknown): number | undefined {
  return err instanceof NatsError ? err.api_error?.err_code : undefined;
}

/** Every durable event's subjects, captured by one stream. */
export function durableStreamSubjects(prefix: string): string[] {
  return EVENT_NAMES.filter((n) => isDurableEvent(n)).map((n) => `${eventBaseSubject(n, prefix)}.>`);
}

/** Creates the stream, or widens an existing one so it captures every durable subject. */
export async function ensureStream(
  jsm: JetStreamManager,
  name: string,
  subjects: string[],
  limits: StreamLimits,
): Promise<void> {
  try {
    const info = await jsm.streams.info(name);
    const missing = subjects.filter((s) => !info.config.subjects.includes(s));
    if (missing.length > 0)
      await jsm.streams.update(name, { ...info.config, subjects: [...info.config.subjects, ...missing] });
    return;
  } catch (err) {
    if (apiErrorCode(err) !== STREAM_NOT_FOUND) throw err;
  }
  for (let attempt = 1; ; attempt++) {
    try {
      await jsm.streams.add({
        name,
        subjects,
        storage: StorageType.File,
        retention: RetentionPolicy.Limits,
        discard: DiscardPolicy.Old,
        max_age: nanos(limits.maxAgeMs),
        max_bytes: limits.maxBytes,
        max_msgs: limits.maxMsgs,
        duplicate_window: nanos(limits.duplicateWindowMs),
      });
      return;
    } catch (err) {
      // nats-server removes an account's emptied store directory when its last stream is deleted;
      // a stream created at that moment fails to make its own directory. A moment later it works.
      if (apiErrorCode(err) === STREAM_STORE_FAILED && attempt < STORE_ATTEMPTS) {
        await new Promise((resolve) => setTimeout(resolve, 25 * attempt));
        continue;
      }
      // Another process created it between our info and add: theirs is as good as ours.
      await jsm.streams.info(name).catch(() => {
        throw err;
      });
      return;
    }
  }
}

export interface DurableConsumerSpec {
  stream: string;
  durable: string;
  name: EventName;
  symbol: string | undefined;
  prefix: string;
  maxDeliver: number;
  ackWaitMs: number;
}

/** JetStream consumer names cannot hold `.`, `*`, `>` or spaces; symbol tokens never do. */
export function consumerName(spec: Pick<DurableConsumerSpec, 'durable' | 'name' | 'symbol' | 'prefix'>): string {
  if (spec.symbol === undefined) return `${spec.durable}-${spec.name}`;
  const subject = eventSubject(spec.name, spec.symbol, spec.prefix);
  return `${spec.durable}-${spec.name}-${subject.slice(subject.lastIndexOf('.') + 1)}`;
}

/**
 * One durable consumer per (durable name, event, symbol filter): nats-server 2.9 allows a single
 * filter subject per consumer. A new consumer starts with deliver policy "new" (history before it
 * existed is not replayed). A consumer the server lost is re-created from `resumeFrom` (server
 * time of the last message seen), so what was stored meanwhile is not skipped; the boundary
 * message may come twice.
 */
export async function ensureConsumer(
  jsm: JetStreamManager,
  spec: DurableConsumerSpec,
  resumeFrom?: string,
): Promise<{ name: string; created: boolean; createdAt: string }> {
  const durable = consumerName(spec);
  try {
    const info = await jsm.consumers.info(spec.stream, durable);
    return { name: durable, created: false, createdAt: info.created };
  } catch (err) {
    if (apiErrorCode(err) !== CONSUMER_NOT_FOUND) throw err;
  }
  const filter =
    spec.symbol === undefined
      ? `${eventBaseSubject(spec.name, spec.prefix)}.>`
      : eventSubject(spec.name, spec.symbol, spec.prefix);
  const info = await jsm.consumers.add(spec.stream, {
    durable_name: durable,
    ack_policy: AckPolicy.Explicit,
    ...(resumeFrom === undefined
      ? { deliver_policy: DeliverPolicy.New }
      : { deliver_policy: DeliverPolicy.StartTime, opt_start_time: resumeFrom }),
    filter_subject: filter,
    max_deliver: spec.maxDeliver,
    ack_wait: nanos(spec.ackWaitMs),
    max_ack_pending: 1_000,
  });
  return { name: durable, created: true, createdAt: info.created };
}

export interface DurablePublisherDeps {
  /** One JetStream publish with its msg id, resolved on the stream's ack (see nats-js-publish.ts). */
  publish(subject: string, data: string, msgID: string, timeoutMs: number): Promise<void>;
  isConnected(): boolean;
  isClosed(): boolean;
  /** Resolves at `until`, or earlier when the connection comes back or the bus closes. */
  pause(until: number): Promise<void>;
  repairStream(): Promise<void>;
  timeoutMs: number;
  maxPending: number;
  now(): number;
}

const TRANSIENT = new Set<string>([
  ErrorCode.Timeout,
  ErrorCode.Disconnect,
  ErrorCode.NoResponders,
  ErrorCode.ConnectionClosed,
]);

/**
 * Durable publishes survive a disconnect: they wait (bounded in count and time) for the connection
 * and are retried with the event id as JetStream's msgID, so a retry never stores a duplicate.
 * The promise resolves once the stream has stored the event.
 */
export function createDurablePublisher(deps: DurablePublisherDeps) {
  let pending = 0;
  return {
    get pending(): number {
      return pending;
    },
    async publish(subject: string, data: string, msgID: string): Promise<void> {
      if (pending >= deps.maxPending) {
        throw new BusError(
          BusErrorCode.publish,
          `${pending} durable events are already waiting for NATS; refusing more`,
        );
      }
      pending += 1;
      const deadline = deps.now() + deps.timeoutMs;
      let lastErr: unknown;
      try {
        for (;;) {
          if (deps.isClosed()) throw busClosedError();
          if (deps.now() >= deadline) {
            throw new BusError(
              BusErrorCode.publish,
              `durable event was not stored within ${deps.timeoutMs} ms: ${errorMessage(lastErr ?? 'disconnected')}`,
              {
                cause: lastErr,
              },
            );
          }
          if (!deps.isConnected()) {
            await deps.pause(deadline);
            continue;
          }
          try {
            await deps.publish(subject, data, msgID, Math.max(1, Math.min(5_000, deadline - deps.now())));
            return;
          } catch (err) {
            lastErr = err;
            const code = err instanceof NatsError ? err.code : undefined;
            if (code === undefined || !TRANSIENT.has(code)) {
              throw new BusError(BusErrorCode.publish, `JetStream refused the event: ${errorMessage(err)}`, {
                cause: err,
              });
            }
            // 503 means no stream listens on the subject (e.g. a server restarted without its store).
            if (code === ErrorCode.NoResponders) await deps.repairStream().catch(() => undefined);
            await deps.pause(Math.min(deadline, deps.now() + 250));
          }
        }
      } finally {
        pending -= 1;
      }
    },
  };
}

export interface ReadStoredDeps {
  jsm: JetStreamManager;
  js: JetStreamClient;
  stream: string;
  name: EventName;
  prefix: string;
  fromMs: number;
  handler: (env: EventEnvelope) => void | Promise<void>;
  onBadMessage: (err: Error, subject: string) => void;
}

/**
 * One event's messages in the stream from `fromMs` to the stream's end as of the call, through a
 * short-lived pull consumer (ephemeral, no acks: "Consumers", docs.nats.io/nats-concepts/jetstream/consumers,
 * DeliverPolicy ByStartTime and AckPolicy None). The read stops at the message after which the
 * server reports nothing pending, or when a pull comes back empty.
 */
export async function readStoredEvents(deps: ReadStoredDeps): Promise<number> {
  const info = await deps.jsm.consumers.add(deps.stream, {
    ack_policy: AckPolicy.None,
    deliver_policy: DeliverPolicy.StartTime,
    opt_start_time: new Date(Math.max(0, deps.fromMs)).toISOString(),
    filter_subject: `${eventBaseSubject(deps.name, deps.prefix)}.>`,
    inactive_threshold: nanos(30_000),
    mem_storage: true,
  });
  let read = 0;
  try {
    if (info.num_pending === 0) return 0;
    const consumer = await deps.js.consumers.get(deps.stream, info.name);
    for (;;) {
      const batch = await consumer.fetch({ max_messages: 256, expires: 2_000 });
      let got = 0;
      let pending = 1;
      for await (const msg of batch) {
        got += 1;
        pending = msg.info.pending;
        let env: EventEnvelope;
        try {
          env = decodeEnvelope(msg.string(), deps.name, undefined);
        } catch (err) {
          deps.onBadMessage(err instanceof Error ? err : new Error(String(err)), msg.subject);
          if (pending === 0) break;
          continue;
        }
        read += 1;
        await deps.handler(env);
        // The end: a pull for more than remains would otherwise wait out its expiry.
        if (pending === 0) break;
      }
      if (got === 0 || pending === 0) return read;
    }
  } finally {
    await deps.jsm.consumers.delete(deps.stream, info.name).catch(() => undefined);
  }
}
