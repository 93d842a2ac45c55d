import { ConsumerEvents } from 'nats';
import type {
  ConsumerMessages,
  JetStreamClient,
  JetStreamManager,
  JsMsg,
  Msg,
  NatsConnection,
  Subscription as NatsSub,
} from 'nats';
import { isDurableEvent } from '@barfinex/events';
import type { EventEnvelope, EventName } from '@barfinex/events';
import { decodeEnvelope, type ParsedSubscribeOptions } from './codec';
import { jsonCopy } from './json-copy';
import { MSG_ID_HEADER } from './own-envelopes';
import { asError } from './errors';
import { consumerName, ensureConsumer, type DurableConsumerSpec } from './nats-jetstream';
import { SerialQueue, invokeHandler, repeatUntilStopped, type Schedule } from './serial-queue';
import { ownsPartition, subscriptionSubjects, virtualPartition } from './subjects';
import type { BusErrorListener, EventHandler, Subscription } from './types';

export interface NatsSubscriptionDeps {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: () => Promise<JetStreamManager>;
  repairStream: () => Promise<void>;
  names: EventName[];
  handler: EventHandler<EventName>;
  opts: ParsedSubscribeOptions;
  prefix: string;
  stream: string;
  maxDeliver: number;
  ackWaitMs: number;
  nakDelayMs: number;
  /** Messages pulled per request from each durable consumer. */
  pullBatch: number;
  /** A durable envelope this bus published, by eventId, while it still holds it (see own-envelopes.ts). */
  ownEnvelope?: (eventId: string) => EventEnvelope | undefined;
  /** Timers for in-progress acknowledgements; tests inject their own. */
  schedule?: Schedule;
  report: BusErrorListener;
  onReceived: () => void;
}

interface DurableReader {
  spec: DurableConsumerSpec;
  /** Server time of the last message seen: where a lost consumer is re-created from. */
  resumeFrom: string;
  messages?: ConsumerMessages;
  loop?: Promise<void>;
  repairing?: Promise<void> | undefined;
}

type Item =
  | { kind: 'core'; name: EventName; msg: Msg }
  | { kind: 'durable'; name: EventName; msg: JsMsg; done: () => void }
  | { kind: 'local'; env: EventEnvelope };

/**
 * One bus subscription on NATS: a core subscription per derived subject, plus a JetStream durable
 * consumer per durable event when `durable` is set. All feed one queue, so the handler sees one
 * message at a time in arrival order.
 */
export interface NatsSubscriptionHandle extends Subscription {
  /** Re-creates this subscription's durable consumers if the server lost them. */
  repair(): Promise<void>;
  /**
   * Hands over an event this connection published, as the server would have if the connection
   * echoed its own messages (see `echo` in the bus options): when the subscription reads that
   * event on a core subscription and its symbol or partition filter matches, it is queued like a
   * received message.
   */
  deliverLocal(env: EventEnvelope): void;
}

export async function openNatsSubscription(deps: NatsSubscriptionDeps): Promise<NatsSubscriptionHandle> {
  const { opts, report, handler } = deps;
  const durableNames = opts.durable === undefined ? [] : deps.names.filter((n) => isDurableEvent(n));
  const coreNames = deps.names.filter((n) => !durableNames.includes(n));

  /**
   * A durable event this process published comes back (on the core subscription and on durable
   * consumers) with its eventId in the JetStream msg-id header: its envelope was validated when it
   * was built, so the subscriber gets a copy of it instead of the text parsed and validated again.
   */
  const own = (item: Exclude<Item, { kind: 'local' }>): EventEnvelope | undefined => {
    if (deps.ownEnvelope === undefined || !isDurableEvent(item.name)) return undefined;
    const id = item.msg.headers?.get(MSG_ID_HEADER);
    const env = id ? deps.ownEnvelope(id) : undefined;
    if (env === undefined || env.type !== item.name) return undefined;
    if (opts.symbol !== undefined && env.symbol !== opts.symbol) return undefined;
    return jsonCopy(env);
  };

  // Acknowledgements wait for the end of the event loop's turn and go out together: nats.js writes
  // what is sent in one synchronous stretch with one socket write, instead of one write per message.
  let acks: JsMsg[] = [];
  const flushAcks = (): void => {
    const batch = acks;
    acks = [];
    for (const msg of batch) msg.ack();
  };
  const ack = (msg: JsMsg): void => {
    if (acks.length === 0) setImmediate(flushAcks);
    acks.push(msg);
  };

  const step = (item: Item): void | Promise<void> => {
    if (item.kind === 'local') {
      deps.onReceived();
      return invokeHandler(handler, item.env, (err) =>
        report(asError(err), { phase: 'handler', eventName: item.env.type, eventId: item.env.eventId }),
      );
    }
    let env: EventEnvelope;
    try {
      env = own(item) ?? decodeEnvelope(item.msg.string(), item.name, opts.symbol);
    } catch (err) {
      report(asError(err), { phase: 'receive', subject: item.msg.subject, eventName: item.name });
      if (item.kind === 'durable') {
        item.msg.term();
        item.done();
      }
      return;
    }
    deps.onReceived();
    if (item.kind === 'core') {
      return invokeHandler(handler, env, (err) =>
        report(asError(err), {
          phase: 'handler',
          subject: item.msg.subject,
          eventName: item.name,
          eventId: env.eventId,
        }),
      );
    }
    const { msg } = item;
    let stopWorking: (() => void) | undefined;
    const pending = invokeHandler(
      handler,
      env,
      (err) => {
        stopWorking?.();
        const attempt = msg.info.redeliveryCount;
        report(asError(err), {
          phase: 'handler',
          subject: msg.subject,
          eventName: item.name,
          eventId: env.eventId,
          attempt,
        });
        if (attempt >= deps.maxDeliver) msg.term();
        else msg.nak(deps.nakDelayMs);
        item.done();
      },
      () => {
        stopWorking?.();
        ack(msg);
        item.done();
      },
    );
    // A handler still running when the ack wait ran out would see the server hand its message out
    // again (to this queue or another member) and count a delivery attempt it never failed.
    if (pending !== undefined) stopWorking = repeatUntilStopped(() => inProgress(msg), workingEveryMs, deps.schedule);
    return pending;
  };
  const workingEveryMs = Math.max(500, Math.floor(deps.ackWaitMs / 3));
  const queue = new SerialQueue<Item>(step);

  const coreSubs: NatsSub[] = [];
  const readers: DurableReader[] = [];
  let active = true;

  // Reads one durable consumer into the queue. Waiting for each message to be handled keeps at
  // most one pulled batch outside the consumer. The batch is small because its messages wait behind
  // every other message of this subscription: a backlog (after an outage) drained through a slow
  // handler must not leave them unacknowledged past the ack wait, which would redeliver them.
  const startReader = async (reader: DurableReader): Promise<void> => {
    const consumer = await deps.js.consumers.get(deps.stream, consumerName(reader.spec));
    const messages = await consumer.consume({ max_messages: deps.pullBatch });
    reader.messages = messages;
    watchConsumer(
      messages,
      () => repairReader(reader),
      (err) => report(err, { phase: 'connection', eventName: reader.spec.name }),
    );
    reader.loop = (async () => {
      for await (const msg of messages) {
        if (!active) break;
        reader.resumeFrom = new Date(Math.floor(msg.info.timestampNanos / 1e6)).toISOString();
        await new Promise<void>((done) => queue.push({ kind: 'durable', name: reader.spec.name, msg, done }));
      }
    })().catch((err: unknown) => report(asError(err), { phase: 'receive', eventName: reader.spec.name }));
  };

  // A consumer that had to be re-created gets a fresh reader: the old one would only notice
  // after missing several heartbeats.
  const repairReader = (reader: DurableReader): Promise<void> => {
    reader.repairing ??= rebuildReader(reader).finally(() => {
      reader.repairing = undefined;
    });
    return reader.repairing;
  };
  const rebuildReader = async (reader: DurableReader): Promise<void> => {
    await deps.repairStream();
    const { created } = await ensureConsumer(await deps.jsm(), reader.spec, reader.resumeFrom);
    if (!created || !active) return;
    const old = reader.messages;
    await old?.close();
    await startReader(reader);
  };

  const repair = async (): Promise<void> => {
    for (const reader of readers) await repairReader(reader);
  };

  const stop = async (): Promise<void> => {
    active = false;
    for (const sub of coreSubs) sub.unsubscribe();
    await Promise.all(readers.map((r) => r.messages?.close()));
    await queue.idle();
    flushAcks();
    await Promise.all(readers.map((r) => r.loop));
  };

  try {
    for (const name of coreNames) {
      for (const subject of subscriptionSubjects(name, opts, deps.prefix)) {
        const sub = deps.nc.subscribe(subject, {
          ...(opts.queue === undefined ? {} : { queue: opts.queue }),
          callback: (err, msg) => {
            if (err !== null) {
              report(err, { phase: 'receive', subject, eventName: name });
              return;
            }
            queue.push({ kind: 'core', name, msg });
          },
        });
        coreSubs.push(sub);
      }
    }
    // The server has the core subscriptions when this resolves (a PING answered after the SUBs):
    // what another client publishes from then on reaches them. Without it a subscriber fed its own
    // events in-process (no echo) could see them before the server had heard of its interest.
    // Bounded: while disconnected the PING waits for a reconnect, and nats.js re-sends the SUBs then.
    if (coreSubs.length > 0) await flushWithin(deps.nc, 2_000);
    for (const name of durableNames) {
      const spec: DurableConsumerSpec = {
        stream: deps.stream,
        durable: opts.durable ?? '',
        name,
        symbol: opts.symbol,
        prefix: deps.prefix,
        maxDeliver: deps.maxDeliver,
        ackWaitMs: deps.ackWaitMs,
      };
      const ensured = await ensureConsumer(await deps.jsm(), spec);
      // Until a message arrives, "where we were" is when we started reading (with clock-skew slack).
      const resumeFrom = ensured.created ? ensured.createdAt : new Date(Date.now() - 5_000).toISOString();
      const reader: DurableReader = { spec, resumeFrom };
      readers.push(reader);
      await startReader(reader);
    }
  } catch (err) {
    await stop();
    throw err;
  }
  const localNames = new Set(coreNames);
  const deliverLocal = (env: EventEnvelope): void => {
    if (!active || !localNames.has(env.type)) return;
    if (opts.symbol !== undefined && env.symbol !== opts.symbol) return;
    if (opts.partition !== undefined && !ownsPartition(virtualPartition(env.symbol), opts.partition)) return;
    // A copy, as each subscriber of a received message gets its own decoded envelope.
    queue.push({ kind: 'local', env: jsonCopy(env) });
  };
  return { unsubscribe: stop, repair, deliverLocal };
}

/** Flushes the connection, waiting `ms` at most; a closed or lost connection is not an error here. */
async function flushWithin(nc: NatsConnection, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    nc.flush().catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}

/** The consumer (or its stream) vanished, e.g. a server came back without its store: recreate it. */
function watchConsumer(messages: ConsumerMessages, repair: () => Promise<void>, onError: (err: Error) => void): void {
  void (async () => {
    let repairing = false;
    for await (const status of await messages.status()) {
      if (status.type !== ConsumerEvents.ConsumerNotFound && status.type !== ConsumerEvents.StreamNotFound) continue;
      if (repairing) continue;
      repairing = true;
      await repair().catch((err: unknown) => onError(asError(err)));
      repairing = false;
    }
  })().catch((err: unknown) => onError(asError(err)));
}

/** Tells the server the message is still being handled; a lost connection just lets the ack wait run. */
function inProgress(msg: JsMsg): void {
  try {
    msg.working();
  } catch {
    // Closed or reconnecting: the server redelivers after the ack wait, as it would anyway.
  }
}
