import type { EventEnvelope } from '@barfinex/events';
import { RecentMap } from './recent-map';

/**
 * JetStream's deduplication header: every durable publish carries its eventId in it, and core
 * subscribers and consumers receive it with the message. See "Message Deduplication" in the
 * JetStream model deep dive (docs.nats.io/using-nats/developer/develop_jetstream/model_deep_dive).
 */
export const MSG_ID_HEADER = 'Nats-Msg-Id';

/** About two seconds of a busy provider's durable events (five per order at a few hundred orders/s). */
const DEFAULT_LIMIT = 4_096;

/**
 * The durable envelopes this bus published lately, by eventId. When one comes back from the
 * server (the publisher's own subscriptions: a WebSocket bridge, an event sink), the subscriber
 * gets a copy of the validated envelope instead of parsing and validating the text again; one
 * that has left the window is decoded as any other message. Oldest out first.
 */
export function createOwnEnvelopes(limit = DEFAULT_LIMIT) {
  const byId = new RecentMap<string, EventEnvelope>(limit);
  return {
    remember(env: EventEnvelope): void {
      // A re-sent envelope (the outbox relaying it) counts as the newest.
      byId.delete(env.eventId);
      byId.set(env.eventId, env);
    },
    get: (eventId: string): EventEnvelope | undefined => byId.get(eventId),
    get size(): number {
      return byId.size;
    },
  };
}
