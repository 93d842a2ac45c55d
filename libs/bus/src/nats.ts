import { DebugEvents, Events, connect } from 'nats';
import type { JetStreamManager, NatsConnection } from 'nats';
import { z } from 'zod';
import { createEnvelope, isDurableEvent, parseEnvelope } from '@barfinex/events';
import type { EventEnvelope, EventName } from '@barfinex/events';
import { allEventNames, normaliseNames, parseOptions, parseSubscribeOptions } from './codec';
import { createConnectionWatch } from './connection-watch';
import { BusError, BusErrorCode, asError, busClosedError } from './errors';
import { createDurablePublisher, durableStreamSubjects, ensureStream, readStoredEvents } from './nats-jetstream';
import { createJetStreamPublisher } from './nats-js-publish';
import { createNatsRpc } from './nats-rpc';
import { createOwnEnvelopes } from './own-envelopes';
import { openNatsSubscription, type NatsSubscriptionHandle } from './nats-subscription';
import { DEFAULT_SUBJECT_PREFIX, createSubjectResolver, isValidSubjectPrefix } from './subjects';
import type { Bus, BusErrorListener, BusStatus, EventHandler, SubscribeOptions, Subscription } from './types';

export const NatsBusConfigSchema = z.object({
  servers: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  name: z.string().optional(),
  streamName: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .default('BFX_EVENTS'),
  subjectPrefix: z
    .string()
    .refine(isValidSubjectPrefix, 'subject prefix must be dot-separated tokens of letters, digits, _ and -')
    .default(DEFAULT_SUBJECT_PREFIX),
  /** -1 = forever (the default): the bus outlives any NATS restart. */
  maxReconnectAttempts: z.number().int().min(-1).default(-1),
  reconnectTimeWaitMs: z.number().int().positive().default(1_000),
  /**
   * false: the server does not send this connection the messages it published itself ("Turning
   * Off Echo'd Messages", docs.nats.io/using-nats/developer/connecting/noecho); the bus hands each
   * event it published to its own core subscriptions in-process instead, once the event is sent
   * (a durable one once its stream stored it). A process that subscribes to what it publishes (a
   * WebSocket bridge) then saves the server a delivery and itself a parse per event. JetStream
   * consumers are unaffected: the server delivers from the stream. Queue groups cannot be
   * joined (the server would hand an own message to another member, or to nobody), and a reply
   * handler of this bus does not hear requests this bus sends.
   */
  echo: z.boolean().default(true),
  /** Keep retrying the first connect instead of failing start-up. */
  waitOnFirstConnect: z.boolean().default(false),
  requestTimeoutMs: z.number().int().positive().default(5_000),
  /** How long a durable publish may wait for a lost connection before it rejects. */
  durablePublishTimeoutMs: z.number().int().positive().default(60_000),
  maxPendingDurable: z.number().int().positive().default(10_000),
  maxDeliver: z.number().int().positive().default(5),
  ackWaitMs: z.number().int().min(1_000).default(30_000),
  nakDelayMs: z.number().int().min(0).default(200),
  /**
   * Messages pulled at once from each durable consumer. They wait in the client until handled, so
   * batch × handler time should stay well under `ackWaitMs`, or the server hands them out again.
   */
  durablePullBatch: z.number().int().min(1).max(256).default(16),
  stream: z
    .object({
      maxAgeMs: z
        .number()
        .int()
        .positive()
        .default(7 * 24 * 3_600_000),
      maxBytes: z
        .number()
        .int()
        .default(1024 ** 3),
      maxMsgs: z.number().int().default(-1),
      duplicateWindowMs: z.number().int().positive().default(120_000),
    })
    .prefault({}),
});
export type NatsBusConfig = z.input<typeof NatsBusConfigSchema>;

export interface NatsBusOptions extends NatsBusConfig {
  onError?: BusErrorListener;
  /** Connection changes: disconnect, reconnect, reconnecting, error... with the status after it. */
  onStatus?: (event: { type: string; data?: unknown }, status: BusStatus) => void;
  /** Clock for envelope timestamps. */
  now?: () => number;
}

export async function createNatsBus(options: NatsBusOptions): Promise<Bus> {
  const { onError: onErrorOption, onStatus, now, ...config } = options;
  const cfg = parseOptions(NatsBusConfigSchema, config, 'NATS bus options');
  const onError: BusErrorListener = onErrorOption ?? (() => undefined);
  const prefix = cfg.subjectPrefix;

  const nc: NatsConnection = await connect({
    servers: cfg.servers,
    ...(cfg.name === undefined ? {} : { name: cfg.name }),
    maxReconnectAttempts: cfg.maxReconnectAttempts,
    reconnectTimeWait: cfg.reconnectTimeWaitMs,
    waitOnFirstConnect: cfg.waitOnFirstConnect,
    noEcho: !cfg.echo,
    // Without it nats.js builds an Error (a stack trace) for every request up front, in case it
    // times out: every durable publish is a request, so that was a measurable share of an order's CPU.
    noAsyncTraces: true,
  });
  const js = nc.jetstream();
  let jsmPromise: Promise<JetStreamManager> | undefined;
  const jsm = (): Promise<JetStreamManager> => {
    jsmPromise ??= nc.jetstreamManager().catch((err: unknown) => {
      jsmPromise = undefined;
      throw err;
    });
    return jsmPromise;
  };
  const subjects = durableStreamSubjects(prefix);
  const repairStream = async (): Promise<void> => ensureStream(await jsm(), cfg.streamName, subjects, cfg.stream);
  try {
    await repairStream();
  } catch (err) {
    await nc.close();
    throw err;
  }

  const state = { connected: true, closed: false, reconnects: 0, published: 0, received: 0, dropped: 0 };
  let lastError: string | undefined;
  let server: string | undefined = nc.getServer();
  const report: BusErrorListener = (err, context) => {
    lastError = err.message;
    onError(err, context);
  };
  const connection = createConnectionWatch(true, (err) => report(err, { phase: 'connection' }));

  // Anything waiting for the connection (durable publishes) wakes on reconnect or close.
  let wakers = new Set<() => void>();
  const wakeAll = (): void => {
    const current = wakers;
    wakers = new Set();
    for (const wake of current) wake();
  };
  const pause = (until: number): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, until - Date.now()));
      wakers.add(done);
    });

  const acks = createJetStreamPublisher(nc);
  const durable = createDurablePublisher({
    publish: acks.publish,
    isConnected: () => state.connected,
    isClosed: () => state.closed,
    pause,
    repairStream,
    timeoutMs: cfg.durablePublishTimeoutMs,
    maxPending: cfg.maxPendingDurable,
    now: Date.now,
  });

  const subscriptions = new Map<Subscription, NatsSubscriptionHandle>();
  /** Without echo, what this bus published reaches its own subscriptions from here. */
  const deliverLocal = cfg.echo
    ? (): void => undefined
    : (env: EventEnvelope): void => {
        for (const handle of subscriptions.values()) handle.deliverLocal(env);
      };

  // nats.js does not always end this iterator on close, so nothing awaits the loop.
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === Events.Disconnect) {
        state.connected = false;
        if (!state.closed) connection.set(false, status);
      }
      if (s.type === Events.Reconnect) {
        state.connected = true;
        state.reconnects += 1;
        server = nc.getServer();
        // A server that lost its store comes back without the stream and consumers: put them back.
        repairStream()
          .then(() => Promise.all([...subscriptions.values()].map((s) => s.repair())))
          .catch((err: unknown) => report(asError(err), { phase: 'connection' }));
        wakeAll();
        if (!state.closed) connection.set(true, status);
      }
      if (s.type === Events.Error) report(asError(s.data), { phase: 'connection' });
      if (
        s.type === Events.Disconnect ||
        s.type === Events.Reconnect ||
        s.type === Events.Error ||
        s.type === DebugEvents.Reconnecting
      ) {
        onStatus?.({ type: s.type, data: s.data }, status());
      }
    }
  })().catch((err: unknown) => report(asError(err), { phase: 'connection' }));

  const rpc = createNatsRpc({ nc, report, defaultTimeoutMs: cfg.requestTimeoutMs });

  const assertOpen = (): void => {
    if (state.closed) throw busClosedError();
  };

  const subjectFor = createSubjectResolver(prefix);
  const durableNames = new Set(allEventNames().filter((n) => isDurableEvent(n)));
  const own = createOwnEnvelopes();

  // Synchronous for live events (no promise per message on the hot path); durable ones wait for the stream's ack.
  const send = (env: EventEnvelope): Promise<void> | undefined => {
    const subject = subjectFor(env.type, env.symbol);
    const data = JSON.stringify(env);
    if (durableNames.has(env.type)) {
      own.remember(env);
      return durable.publish(subject, data, env.eventId).then(() => {
        state.published += 1;
        deliverLocal(env);
      });
    }
    // Live-only events are worthless once stale; nats.js would discard its buffer on reconnect anyway.
    if (!state.connected) {
      state.dropped += 1;
      return undefined;
    }
    nc.publish(subject, data);
    state.published += 1;
    deliverLocal(env);
    return undefined;
  };

  const subscribeNames = async (
    names: EventName[],
    handler: EventHandler<EventName>,
    rawOpts?: SubscribeOptions,
  ): Promise<Subscription> => {
    assertOpen();
    const opts = parseSubscribeOptions(rawOpts);
    if (!cfg.echo && opts.queue !== undefined)
      throw new BusError(
        BusErrorCode.invalidOptions,
        'a bus without echo cannot join a queue group: the server would hand its own messages to another member or to none',
      );
    const inner = await openNatsSubscription({
      nc,
      js,
      jsm,
      repairStream,
      names,
      handler,
      opts,
      prefix,
      stream: cfg.streamName,
      maxDeliver: cfg.maxDeliver,
      ackWaitMs: cfg.ackWaitMs,
      nakDelayMs: cfg.nakDelayMs,
      pullBatch: cfg.durablePullBatch,
      ownEnvelope: own.get,
      report,
      onReceived: () => {
        state.received += 1;
      },
    });
    const sub: Subscription = {
      unsubscribe: async () => {
        if (!subscriptions.delete(sub)) return;
        await inner.unsubscribe();
      },
    };
    subscriptions.set(sub, inner);
    return sub;
  };

  function status(): BusStatus {
    return {
      transport: 'nats',
      connected: state.connected && !state.closed,
      ...(server === undefined ? {} : { server }),
      reconnects: state.reconnects,
      published: state.published,
      received: state.received,
      dropped: state.dropped,
      pendingDurable: durable.pending,
      ...(lastError === undefined ? {} : { lastError }),
    };
  }

  return {
    publish(name, payload, meta) {
      try {
        assertOpen();
        const env = createEnvelope(name, payload, meta, now);
        const sent = send(env);
        return sent === undefined ? Promise.resolve(env) : sent.then(() => env);
      } catch (err) {
        return Promise.reject(asError(err));
      }
    },

    publishEnvelope(env, opts) {
      try {
        assertOpen();
        return send(opts?.validated === true ? env : parseEnvelope(env)) ?? Promise.resolve();
      } catch (err) {
        return Promise.reject(asError(err));
      }
    },

    async subscribe(names, handler, opts) {
      return subscribeNames(normaliseNames(names), handler as EventHandler<EventName>, opts);
    },

    async subscribeAll(handler, opts) {
      return subscribeNames(allEventNames(), handler, opts);
    },

    async request<T>(subject: string, data: unknown, opts?: Parameters<Bus['request']>[2]): Promise<T> {
      assertOpen();
      return rpc.request<T>(subject, data, opts);
    },

    async reply(subject, handler, opts) {
      assertOpen();
      return rpc.reply(subject, handler, opts);
    },

    status,

    async readDurable(names, fromMs, handler) {
      assertOpen();
      let read = 0;
      for (const name of names) {
        if (!durableNames.has(name)) continue;
        read += await readStoredEvents({
          jsm: await jsm(),
          js,
          stream: cfg.streamName,
          name,
          prefix,
          fromMs,
          handler,
          onBadMessage: (err, subject) => report(err, { phase: 'receive', subject, eventName: name }),
        });
      }
      return read;
    },

    watchConnection: (listener) => connection.watch(listener),

    async close() {
      if (state.closed) return;
      connection.clear();
      await Promise.all([...subscriptions.keys()].map((s) => s.unsubscribe()));
      await rpc.close();
      state.closed = true;
      wakeAll();
      // Drain flushes what was published; with the server gone there is nothing to flush to.
      if (!nc.isClosed()) {
        const ending = state.connected ? nc.drain() : nc.close();
        await ending.catch((err: unknown) => report(asError(err), { phase: 'connection' }));
      }
    },
  };
}
