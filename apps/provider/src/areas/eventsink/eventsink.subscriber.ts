import type { Bus, Subscription } from '@barfinex/bus';
import type { EventEnvelope, EventName } from '@barfinex/events';
import { EVENT_NAMES, isDurableEvent } from '@barfinex/events';
import type { SinkRecord } from '../../ws/sink-record';
import type { EventSink } from './event-sink';
import type { SinkRow } from './eventsink.repository';

/**
 * Feeds every bus event to the sink. Durable events are acknowledged to their stream only after
 * they are stored; replayed events are shown (through `onReplay`) but never stored a second time.
 */
export function subscribeEventSink(deps: {
  bus: Bus;
  sink: EventSink;
  durable: string;
  onReplay?: (env: EventEnvelope) => void;
  /** Durable events the sink gets another way (the provider's own, tapped as they are emitted): not consumed from the bus. */
  skip?: readonly EventName[];
}): Promise<Subscription> {
  const skip = new Set<string>(deps.skip ?? []);
  return deps.bus.subscribe(
    EVENT_NAMES.filter((name) => !skip.has(name)),
    (env) => {
      if (env.replay === true) {
        deps.onReplay?.(env);
        return undefined;
      }
      if (isDurableEvent(env.type)) return deps.sink.addDurable(env);
      deps.sink.add(env);
      return undefined;
    },
    { durable: deps.durable },
  );
}

/** The `/eventsink` WS record of a stored row (same shape as the bridge builds from an envelope). */
export function rowToSinkRecord(row: SinkRow): SinkRecord {
  return {
    eventId: row.eventId,
    category: row.category,
    action: row.action,
    eventType: `${row.category}.${row.action}`,
    type: row.type,
    source: row.source,
    ...(row.symbol !== null ? { symbol: row.symbol } : {}),
    ...(row.connectorType !== null ? { connectorType: row.connectorType } : {}),
    ...(row.marketType !== null ? { marketType: row.marketType } : {}),
    timestamp: row.timestamp,
    ...(row.correlationId !== null ? { correlationId: row.correlationId } : {}),
    ...(row.causationId !== null ? { causationId: row.causationId } : {}),
    replay: row.replay,
    ...(row.key !== null ? { key: row.key } : {}),
    data: row.payload,
  };
}
