import type { EventEnvelope } from '@barfinex/events';
import { getEventDefinition } from '@barfinex/events';

/** The `/eventsink` record: `{category, action, …, eventType: '<category>.<action>'}` as in the reference. */
export interface SinkRecord {
  eventId: string;
  category: string;
  action: string;
  eventType: string;
  type: string;
  source: string;
  symbol?: string;
  connectorType?: string;
  marketType?: string;
  timestamp: number;
  correlationId?: string;
  replay: boolean;
  data: unknown;
}

export function actionOf(type: string, source: string): string {
  const prefix = `${source}_`;
  return (type.startsWith(prefix) ? type.slice(prefix.length) : type).toLowerCase();
}

export function toSinkRecord(envelope: EventEnvelope): SinkRecord {
  const category = getEventDefinition(envelope.type).category;
  const action = actionOf(envelope.type, envelope.source);
  return {
    eventId: envelope.eventId,
    category,
    action,
    eventType: `${category}.${action}`,
    type: envelope.type,
    source: envelope.source,
    ...(envelope.symbol !== undefined ? { symbol: envelope.symbol } : {}),
    ...(envelope.connectorType !== undefined ? { connectorType: envelope.connectorType } : {}),
    ...(envelope.marketType !== undefined ? { marketType: envelope.marketType } : {}),
    timestamp: envelope.timestamp,
    ...(envelope.correlationId !== undefined ? { correlationId: envelope.correlationId } : {}),
    replay: envelope.replay === true,
    data: envelope.payload,
  };
}
