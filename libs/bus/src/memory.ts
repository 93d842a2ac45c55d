import { createEnvelope, isDurableEvent, parseEnvelope } from '@barfinex/events';
import type { EventEnvelope, EventName } from '@barfinex/events';
import { allEventNames, decodeEnvelope, normaliseNames, parseSubscribeOptions } from './codec';
import { busClosedError } from './errors';
import { jsonCopy } from './json-copy';
import { RetainedLog, type MemoryDelivery } from './memory-log';
import { createMemoryRpc } from './memory-rpc';
import { MemorySubscription, type DurableConsumer, type MemoryItem } from './memory-subscription';
import { DEFAULT_SUBJECT_PREFIX, parseEventSubject, symbolToken, virtualPartition } from './subjects';
import type { Bus, BusErrorListener, BusStatus, EventHandler, Subscription } from './types';

export interface MemoryBusOptions {
  onError?: BusErrorListener;
  /** Clock for envelope timestamps. */
  now?: () => number;
  /** Only used to read subjects given to publishRaw. */
  subjectPrefix?: string;
  /** Retained durable events per event name (the in-memory stand-in for a JetStream stream). */
  maxRetained?: number;
  /** Deliveries of a durable event before a failing handler is given up on. */
  maxDeliver?: number;
  requestTimeoutMs?: number;
}

export interface MemoryBus extends Bus {
  /** Puts raw text on an event subject with no validation, as a foreign publisher on the wire would. */
  publishRaw(subject: string, text: string): void;
}

/** The in-process transport: same semantics as NATS, for the embedded default and unit tests. */
export function createMemoryBus(options: MemoryBusOptions = {}): MemoryBus {
  const onError: BusErrorListener = options.onError ?? (() => undefined);
  const prefix = options.subjectPrefix ?? DEFAULT_SUBJECT_PREFIX;
  const maxRetained = options.maxRetained ?? 10_000;
  const maxDeliver = options.maxDeliver ?? 5;
  const defaultTimeout = options.requestTimeoutMs ?? 5_000;
  const counters = { published: 0, received: 0 };
  let closed = false;
  let lastError: string | undefined;

  const subscriptions = new Set<MemorySubscription>();
  const coreByName = new Map<EventName, Set<MemorySubscription>>();
  const logs = new Map<EventName, RetainedLog>();
  const consumers = new Map<string, DurableConsumer>();
  const roundRobin = new Map<string, number>();

  const report: BusErrorListener = (err, context) => {
    lastError = err.message;
    onError(err, context);
  };
  const rpc = createMemoryRpc({ report, defaultTimeoutMs: defaultTimeout });

  // Delivery is asynchronous (as on the network) and in publish order: one microtask per burst.
  let outbox: Array<Omit<MemoryDelivery, 'seq'>> = [];
  let flushScheduled = false;
  const flush = (): void => {
    flushScheduled = false;
    const batch = outbox;
    outbox = [];
    for (const delivery of batch) route(delivery);
  };
  const enqueue = (delivery: Omit<MemoryDelivery, 'seq'>): void => {
    outbox.push(delivery);
    if (!flushScheduled) {
      flushScheduled = true;
      queueMicrotask(flush);
    }
  };

  const logFor = (name: EventName): RetainedLog => {
    let log = logs.get(name);
    if (log === undefined) {
      log = new RetainedLog(maxRetained);
      logs.set(name, log);
    }
    return log;
  };

  const pick = <T>(key: string, members: readonly T[]): T | undefined => {
    const turn = roundRobin.get(key) ?? 0;
    roundRobin.set(key, turn + 1);
    return members[turn % members.length];
  };

  const pump = (consumer: DurableConsumer): void => {
    if (consumer.inFlight || closed) return;
    const members = consumer.members.filter((m) => m.active);
    if (members.length === 0) return;
    const { entry, skipped } = logFor(consumer.name).next(consumer.cursor, consumer.symbolToken);
    if (skipped > 0) {
      report(
        new Error(`${skipped} retained ${consumer.name} events expired before durable "${consumer.key}" read them`),
        {
          phase: 'receive',
          eventName: consumer.name,
        },
      );
    }
    if (entry === undefined) return;
    const member = pick(`durable\u0000${consumer.key}`, members);
    if (member === undefined) return;
    consumer.inFlight = true;
    member.push({ kind: 'durable', delivery: entry, attempt: 1, consumer });
  };

  const ack = (consumer: DurableConsumer, seq: number): void => {
    consumer.cursor = seq + 1;
    consumer.inFlight = false;
    pump(consumer);
  };

  function route(delivery: Omit<MemoryDelivery, 'seq'>): void {
    if (isDurableEvent(delivery.name)) {
      logFor(delivery.name).append(delivery);
      for (const consumer of consumers.values()) {
        if (consumer.name === delivery.name) pump(consumer);
      }
    }
    const subs = coreByName.get(delivery.name);
    if (subs === undefined || subs.size === 0) return;
    const item: MemoryItem = { kind: 'core', delivery: { ...delivery, seq: 0 } };
    let groups: Map<string, MemorySubscription[]> | undefined;
    for (const sub of subs) {
      if (!sub.matches(delivery.partition, delivery.symbolToken)) continue;
      if (sub.queue === undefined) {
        sub.push(item);
        continue;
      }
      groups ??= new Map();
      const group = groups.get(sub.queue);
      if (group === undefined) groups.set(sub.queue, [sub]);
      else group.push(sub);
    }
    if (groups === undefined) return;
    for (const [queue, members] of groups) pick(`queue\u0000${queue}`, members)?.push(item);
  }

  const send = (env: EventEnvelope): void => {
    counters.published += 1;
    enqueue({
      name: env.type,
      partition: virtualPartition(env.symbol),
      symbolToken: symbolToken(env.symbol),
      text: '',
      // Taken now, as the wire text was: what the publisher does to its objects later is not sent.
      snapshot: jsonCopy(env),
      trusted: true,
    });
  };

  const assertOpen = (): void => {
    if (closed) throw busClosedError();
  };

  const subscribeNames = async (
    names: EventName[],
    handler: EventHandler<EventName>,
    rawOpts: Parameters<Bus['subscribeAll']>[1],
  ): Promise<Subscription> => {
    assertOpen();
    const opts = parseSubscribeOptions(rawOpts);
    const durableNames = opts.durable === undefined ? [] : names.filter((n) => isDurableEvent(n));
    const coreNames = names.filter((n) => !durableNames.includes(n));
    const sub = new MemorySubscription({
      handler,
      opts,
      coreNames,
      maxDeliver,
      report,
      // Validated on publish (and copied then): each subscriber gets its own copy, not a re-check.
      decode: (d) => (d.snapshot !== undefined ? jsonCopy(d.snapshot) : decodeEnvelope(d.text, d.name, opts.symbol)),
      onReceived: () => (counters.received += 1),
      ack,
    });
    subscriptions.add(sub);
    for (const name of coreNames) {
      let set = coreByName.get(name);
      if (set === undefined) coreByName.set(name, (set = new Set()));
      set.add(sub);
    }
    const token = opts.symbol === undefined ? undefined : symbolToken(opts.symbol);
    for (const name of durableNames) {
      const key = `${opts.durable ?? ''}-${name}${token === undefined ? '' : `-${token}`}`;
      let consumer = consumers.get(key);
      if (consumer === undefined) {
        // Like a JetStream consumer created with deliver policy "new": history before it is not replayed.
        consumer = { key, name, symbolToken: token, cursor: logFor(name).tail, members: [], inFlight: false };
        consumers.set(key, consumer);
      }
      consumer.members.push(sub);
      sub.consumers.push(consumer);
      pump(consumer);
    }
    return {
      unsubscribe: async () => {
        sub.active = false;
        for (const name of coreNames) coreByName.get(name)?.delete(sub);
        await sub.drained();
        for (const consumer of sub.consumers) {
          consumer.members = consumer.members.filter((m) => m !== sub);
          pump(consumer);
        }
        subscriptions.delete(sub);
      },
    };
  };

  const bus: MemoryBus = {
    async publish(name, payload, meta) {
      assertOpen();
      const env = createEnvelope(name, payload, meta, options.now);
      send(env);
      return env;
    },

    async publishEnvelope(env, opts) {
      assertOpen();
      send(opts?.validated === true ? env : parseEnvelope(env));
    },

    async subscribe(names, handler, opts) {
      return subscribeNames(normaliseNames(names), handler as EventHandler<EventName>, opts);
    },

    async subscribeAll(handler, opts) {
      return subscribeNames(allEventNames(), handler, opts);
    },

    publishRaw(subject, text) {
      assertOpen();
      const parsed = parseEventSubject(subject, prefix);
      if (parsed === undefined) return;
      const name = allEventNames().find((n) => n === parsed.name);
      if (name === undefined) return;
      enqueue({ name, partition: parsed.partition, symbolToken: parsed.symbolToken, text, trusted: false });
    },

    async request<T>(subject: string, data: unknown, opts?: Parameters<Bus['request']>[2]): Promise<T> {
      assertOpen();
      return rpc.request<T>(subject, data, opts);
    },

    async reply(subject, handler, opts) {
      assertOpen();
      return rpc.reply(subject, handler, opts);
    },

    // In-process delivery has no connection to lose.
    watchConnection: () => () => undefined,

    status(): BusStatus {
      return {
        transport: 'memory',
        connected: !closed,
        reconnects: 0,
        published: counters.published,
        received: counters.received,
        dropped: 0,
        pendingDurable: 0,
        ...(lastError === undefined ? {} : { lastError }),
      };
    },

    async close() {
      if (closed) return;
      closed = true;
      // Events already published still reach their subscribers; then every subscription drains.
      flush();
      await Promise.all(
        [...subscriptions].map((sub) => {
          sub.active = false;
          return sub.drained();
        }),
      );
      subscriptions.clear();
      coreByName.clear();
      rpc.clear();
    },
  };
  return bus;
}
