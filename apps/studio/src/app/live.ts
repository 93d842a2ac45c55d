import { useEffect, useRef } from 'react';
import type { EventEnvelope, EventName } from '@barfinex/events';
import { useSession } from './session';

/**
 * Calls `handler` for each live event of `events` (optionally only for `symbols`) while the
 * component is mounted; the subscription is added on the shared socket and removed after.
 */
export function useLiveEvents<N extends EventName>(
  events: readonly N[],
  symbols: readonly string[] | undefined,
  handler: (envelope: EventEnvelope<N>) => void,
): void {
  const { live } = useSession();
  const latest = useRef(handler);
  latest.current = handler;
  const key = `${events.join(',')}|${symbols?.join(',') ?? '*'}`;
  useEffect(() => {
    const sub = { events: [...events], ...(symbols?.length ? { symbols: [...symbols] } : {}) };
    const offs = events.map((name) => live.on(name, (env) => latest.current(env as EventEnvelope<N>)));
    live.subscribe(sub).catch(() => undefined);
    return () => {
      for (const off of offs) off();
      live.unsubscribe(sub).catch(() => undefined);
    };
    // `key` stands for the contents of `events` and `symbols`.
  }, [live, key]);
}
