import type { ConnectorType, EventSource, MarketType } from '@barfinex/enums';
import type { EventEnvelope, EventName } from '@barfinex/events';
import { ENVELOPE_VERSION, getEventDefinition } from '@barfinex/events';

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
  causationId?: string;
  replay: boolean;
  /** The publishing app's key (envelope `key`). */
  key?: string;
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
    ...(envelope.causationId !== undefined ? { causationId: envelope.causationId } : {}),
    replay: envelope.replay === true,
    ...(envelope.key !== undefined ? { key: envelope.key } : {}),
    data: envelope.payload,
  };
}

/** The envelope a stored record was made from (as the default namespace emits it). */
export function recordToEnvelope(record: SinkRecord): EventEnvelope {
  return {
    eventId: record.eventId,
    type: record.type as EventName,
    source: record.source as EventSource,
    timestamp: record.timestamp,
    version: ENVELOPE_VERSION,
    ...(record.correlationId !== undefined ? { correlationId: record.correlationId } : {}),
    ...(record.causationId !== undefined ? { causationId: record.causationId } : {}),
    ...(record.symbol !== undefined ? { symbol: record.symbol } : {}),
    ...(record.connectorType !== undefined ? { connectorType: record.connectorType as ConnectorType } : {}),
    ...(record.marketType !== undefined ? { marketType: record.marketType as MarketType } : {}),
    ...(record.key !== undefined ? { key: record.key } : {}),
    ...(record.replay ? { replay: true } : {}),
    payload: record.data,
  } as EventEnvelope;
}
