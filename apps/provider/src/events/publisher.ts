import type { Bus } from '@barfinex/bus';
import type { EventMeta, EventName, EventPayloadInput } from '@barfinex/events';
import type { Logger } from 'pino';

/**
 * Publishing from request paths and market loops must never fail the caller: REST keeps serving
 * while NATS is down (the bus buffers durable events and reports the rest as dropped).
 */
export interface EventPublisher {
  emit<N extends EventName>(name: N, payload: EventPayloadInput<N>, meta?: EventMeta): void;
  /** Resolves when every emit issued so far has been handed to the bus. */
  settled(): Promise<void>;
}

export function createEventPublisher(deps: { bus: Bus; logger: Logger; key: string; onPublished?: (name: EventName, ok: boolean) => void }): EventPublisher {
  const inFlight = new Set<Promise<unknown>>();
  return {
    emit(name, payload, meta) {
      const p = deps.bus
        .publish(name, payload, { key: deps.key, ...meta })
        .then(
          () => deps.onPublished?.(name, true),
          (err: unknown) => {
            deps.onPublished?.(name, false);
            deps.logger.warn({ err, event: name }, 'event publish failed');
          },
        )
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    },
    async settled() {
      await Promise.all([...inFlight]);
    },
  };
}
