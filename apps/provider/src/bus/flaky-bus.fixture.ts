import { createMemoryBus } from '@barfinex/bus';
import type { Bus, MemoryBus } from '@barfinex/bus';
import { createEnvelope, isDurableEvent, isEventName } from '@barfinex/events';

/** The memory bus with an outage switch, as NATS behaves when its server is gone. */
export interface FlakyBus extends Bus {
  inner: MemoryBus;
  /** Reports disconnected and refuses durable publishes; live ones are dropped. */
  down(): void;
  up(): void;
  /** Durable publishes fail while the status still says connected (JetStream not answering). */
  failPublishes(on: boolean): void;
  /** Durable publishes the bus accepted, by eventId, in order. */
  accepted: string[];
}

export function createFlakyBus(inner: MemoryBus = createMemoryBus()): FlakyBus {
  let isDown = false;
  let failing = false;
  const accepted: string[] = [];
  const refuses = (name: string): boolean => isEventName(name) && isDurableEvent(name) && (isDown || failing);
  const refusal = (): Error => new Error(isDown ? 'NATS is down' : 'JetStream did not answer');
  return {
    inner,
    accepted,
    down: () => (isDown = true),
    up: () => (isDown = false),
    failPublishes: (on) => (failing = on),
    async publish(name, payload, meta) {
      if (refuses(name)) throw refusal();
      if (isDown) return createEnvelope(name, payload, meta);
      const env = await inner.publish(name, payload, meta);
      if (isDurableEvent(name)) accepted.push(env.eventId);
      return env;
    },
    async publishEnvelope(env, opts) {
      if (refuses(env.type)) throw refusal();
      if (isDown) return;
      await inner.publishEnvelope(env, opts);
      if (isDurableEvent(env.type)) accepted.push(env.eventId);
    },
    subscribe: (names, handler, opts) => inner.subscribe(names, handler, opts),
    subscribeAll: (handler, opts) => inner.subscribeAll(handler, opts),
    request: (subject, data, opts) => inner.request(subject, data, opts),
    reply: (subject, handler, opts) => inner.reply(subject, handler, opts),
    status: () => ({ ...inner.status(), connected: inner.status().connected && !isDown }),
    watchConnection: (listener) => inner.watchConnection(listener),
    close: () => inner.close(),
  };
}
