import type { Bus, Schedule } from '@barfinex/bus';
import { createEnvelope, isDurableEvent } from '@barfinex/events';
import type { EventEnvelope, EventMeta, EventName, EventPayloadInput } from '@barfinex/events';
import type { Logger } from 'pino';
import { createOutbox } from './outbox';
import type { EventOutboxRepository } from './outbox.repository';

/**
 * Publishing from request paths and market loops must never fail the caller: REST keeps serving
 * while NATS is down. Live-only events (market data, heartbeats) are fire-and-forget: stale ones
 * are worthless. Durable events (orders, fills, account, reconciliation) are never dropped: while the
 * bus is connected and nothing waits in the outbox they go straight to the bus (no database cost);
 * otherwise, or when that publish fails, they are stored in the event outbox and relayed in order
 * once the bus is back, also after a restart. Lost only if the database refuses the write too:
 * that is logged with the event and counted (`onLost`).
 */
export interface EventPublisher {
  emit<N extends EventName>(name: N, payload: EventPayloadInput<N>, meta?: EventMeta): void;
  /** Resolves when every emit issued so far has been handed over: to the bus, or stored in the outbox. */
  settled(): Promise<void>;
}

/** What the app that owns the publisher also needs: the outbox relay's lifecycle and depth. */
export interface OutboxEventPublisher extends EventPublisher {
  /** Relays what an earlier run left in the outbox; until then durable events queue behind it. */
  start(): Promise<void>;
  /** Waits for every hand-over and the running relay pass, then stops relaying. */
  stop(): Promise<void>;
  /** Resolves when nothing is being handed over or relayed (for tests). */
  idle(): Promise<void>;
  /** Durable events waiting in the outbox. */
  outboxDepth(): number;
}

export interface EventPublisherDeps {
  bus: Bus;
  outbox: EventOutboxRepository;
  logger: Logger;
  key: string;
  now?: () => number;
  schedule?: Schedule;
  onPublished?: (name: EventName, ok: boolean) => void;
  onLost?: (name: string) => void;
  /**
   * Each durable event as it is created, before the bus or the outbox takes it, and again when the
   * outbox relays it (the event sink's tap: the sink stores the provider's own durable events from
   * here, not from the bus).
   */
  onDurable?: (env: EventEnvelope) => void;
}

export function createEventPublisher(deps: EventPublisherDeps): OutboxEventPublisher {
  const now = deps.now ?? Date.now;
  const { bus, logger } = deps;
  const inFlight = new Set<Promise<unknown>>();
  const direct = new Set<Promise<unknown>>();
  const onPublished = deps.onPublished ?? (() => undefined);
  const outbox = createOutbox({
    store: deps.outbox,
    bus,
    logger,
    now,
    ...(deps.schedule === undefined ? {} : { schedule: deps.schedule }),
    directIdle: async () => {
      await Promise.all([...direct]);
    },
    onPublished,
    ...(deps.onLost === undefined ? {} : { onLost: deps.onLost }),
    ...(deps.onDurable === undefined ? {} : { onRelayed: deps.onDurable }),
  });

  const track = (p: Promise<unknown>, also?: Set<Promise<unknown>>): void => {
    inFlight.add(p);
    also?.add(p);
    void p.finally(() => {
      inFlight.delete(p);
      also?.delete(p);
    });
  };

  const live = <N extends EventName>(name: N, payload: EventPayloadInput<N>, meta: EventMeta | undefined): void => {
    track(
      bus.publish(name, payload, { key: deps.key, ...meta }).then(
        () => onPublished(name, true),
        (err: unknown) => {
          onPublished(name, false);
          logger.warn({ err, event: name }, 'event publish failed');
        },
      ),
    );
  };

  const durable = <N extends EventName>(name: N, payload: EventPayloadInput<N>, meta: EventMeta | undefined): void => {
    // Built here, not in the bus, so a re-send from the outbox carries the same eventId.
    let env: EventEnvelope;
    try {
      env = createEnvelope(name, payload, { key: deps.key, ...meta }, now);
    } catch (err) {
      onPublished(name, false);
      logger.warn({ err, event: name }, 'event publish failed');
      return;
    }
    deps.onDurable?.(env);
    // Behind rows already waiting, so a new event never overtakes older ones.
    if (outbox.queueing || !bus.status().connected) {
      track(outbox.add(env));
      return;
    }
    track(
      bus.publishEnvelope(env, { validated: true }).then(
        () => onPublished(name, true),
        (err: unknown) => {
          onPublished(name, false);
          logger.warn({ err, event: name, eventId: env.eventId }, 'event publish failed; kept in the event outbox');
          return outbox.add(env);
        },
      ),
      direct,
    );
  };

  const settled = async (): Promise<void> => {
    await Promise.all([...inFlight]);
  };

  return {
    emit(name, payload, meta) {
      if (isDurableEvent(name)) durable(name, payload, meta);
      else live(name, payload, meta);
    },
    settled,
    start: () => outbox.start(),
    async stop() {
      await settled();
      await outbox.stop();
    },
    async idle() {
      await settled();
      await outbox.idle();
    },
    outboxDepth: () => outbox.depth,
  };
}
