import { randomUUID } from './uuid';
import { ConnectorTypeSchema, MarketTypeSchema, UnixMs } from '@barfinex/contracts';
import { EVENT_SOURCE_VALUES, isConnectorType, isMarketType } from '@barfinex/enums';
import type { ConnectorType, EventSource, MarketType } from '@barfinex/enums';
import { z } from 'zod';
import { EVENT_CATALOG, isEventName } from './catalog';
import type { EventName, EventPayload, EventPayloadInput } from './catalog';
import { EventValidationError, summarizeIssues } from './errors';
import { compileFastCheck } from './fast-check';
import type { FastCheck } from './fast-check';

export const ENVELOPE_VERSION = 1;

export interface EventMeta {
  eventId?: string;
  timestamp?: number;
  correlationId?: string;
  causationId?: string;
  symbol?: string;
  connectorType?: ConnectorType;
  marketType?: MarketType;
  key?: string;
  replay?: boolean;
}

export type EventEnvelope<N extends EventName = EventName> = {
  eventId: string;
  type: N;
  source: EventSource;
  timestamp: number;
  version: number;
  correlationId?: string;
  causationId?: string;
  symbol?: string;
  connectorType?: ConnectorType;
  marketType?: MarketType;
  key?: string;
  replay?: boolean;
  payload: EventPayload<N>;
};

/** Union of every concrete envelope, so `switch (env.type)` narrows `env.payload`. */
export type AnyEventEnvelope = { [N in EventName]: EventEnvelope<N> }[EventName];

/** Envelope structure only; the payload is checked against the catalog by `parseEnvelope`. */
export const EventEnvelopeSchema = z.object({
  eventId: z.string().min(1),
  type: z.string().min(1),
  source: z.enum(EVENT_SOURCE_VALUES as unknown as readonly [EventSource, ...EventSource[]]),
  timestamp: UnixMs,
  version: z.number().int().min(1),
  correlationId: z.string().min(1).optional(),
  causationId: z.string().min(1).optional(),
  symbol: z.string().min(1).optional(),
  connectorType: ConnectorTypeSchema.optional(),
  marketType: MarketTypeSchema.optional(),
  key: z.string().min(1).optional(),
  replay: z.boolean().optional(),
  payload: z.unknown(),
});

let envelopeChecker: FastCheck | undefined;
const envelopeCheck = (raw: unknown): boolean => (envelopeChecker ??= compileFastCheck(EventEnvelopeSchema))(raw);

// Payloads that are already exactly what the schema returns (most of them: publishers build them
// from typed values) pass a compiled check and skip Zod; anything else takes the full parse.
const fastChecks = new Map<EventName, FastCheck>();
function fastCheckOf(name: EventName): FastCheck {
  let check = fastChecks.get(name);
  if (check === undefined) fastChecks.set(name, (check = compileFastCheck(EVENT_CATALOG[name].payload)));
  return check;
}

function validatePayload<N extends EventName>(name: N, payload: unknown): EventPayload<N> {
  if (fastCheckOf(name)(payload)) return payload as EventPayload<N>;
  const result = EVENT_CATALOG[name].payload.safeParse(payload);
  if (!result.success) {
    throw new EventValidationError(`Invalid ${name} payload: ${summarizeIssues(result.error.issues)}`, {
      eventName: name,
      issues: result.error.issues,
    });
  }
  return result.data as EventPayload<N>;
}

/** Validates a payload against the catalog and returns the normalised value. */
export function validateEventPayload<N extends EventName>(name: N, payload: unknown): EventPayload<N> {
  if (!isEventName(name)) throw new EventValidationError(`Unknown event name ${JSON.stringify(name)}`);
  return validatePayload(name, payload);
}

function field(payload: unknown, key: string): unknown {
  return typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>)[key] : undefined;
}

/**
 * Builds a validated envelope. Routing fields default from the payload (its symbol, connector
 * and market) so publishers cannot route an event under a different symbol by accident.
 */
export function createEnvelope<N extends EventName>(
  name: N,
  payload: EventPayloadInput<N>,
  meta: EventMeta = {},
  now: () => number = Date.now,
): EventEnvelope<N> {
  if (!isEventName(name)) throw new EventValidationError(`Unknown event name ${JSON.stringify(name)}`);
  const definition = EVENT_CATALOG[name];
  const parsed = validatePayload(name, payload);
  if (meta.connectorType !== undefined && !isConnectorType(meta.connectorType)) {
    throw new EventValidationError(`Invalid connectorType ${JSON.stringify(meta.connectorType)}`, { eventName: name });
  }
  if (meta.marketType !== undefined && !isMarketType(meta.marketType)) {
    throw new EventValidationError(`Invalid marketType ${JSON.stringify(meta.marketType)}`, { eventName: name });
  }
  const payloadSymbol = field(parsed, 'symbolField' in definition ? String(definition.symbolField) : 'symbol');
  const payloadConnector = field(parsed, 'connectorType');
  const payloadMarket = field(parsed, 'marketType');
  const symbol = meta.symbol ?? (typeof payloadSymbol === 'string' ? payloadSymbol : undefined);
  const connectorType = meta.connectorType ?? (isConnectorType(payloadConnector) ? payloadConnector : undefined);
  const marketType = meta.marketType ?? (isMarketType(payloadMarket) ? payloadMarket : undefined);

  const envelope: EventEnvelope<N> = {
    eventId: meta.eventId ?? randomUUID(),
    type: name,
    source: definition.source,
    timestamp: meta.timestamp ?? now(),
    version: ENVELOPE_VERSION,
    payload: parsed,
  };
  if (meta.correlationId !== undefined) envelope.correlationId = meta.correlationId;
  if (meta.causationId !== undefined) envelope.causationId = meta.causationId;
  if (symbol !== undefined) envelope.symbol = symbol;
  if (connectorType !== undefined) envelope.connectorType = connectorType;
  if (marketType !== undefined) envelope.marketType = marketType;
  if (meta.key !== undefined) envelope.key = meta.key;
  if (meta.replay !== undefined) envelope.replay = meta.replay;
  return envelope;
}

/**
 * Validates anything received from the wire: envelope structure, a catalog name, a source that
 * matches the name's prefix, and the payload. Returns the envelope with the normalised payload.
 */
export function parseEnvelope(raw: unknown): EventEnvelope {
  let envelope: z.output<typeof EventEnvelopeSchema>;
  // Well-formed envelopes (all of them, from our own publishers) skip the structural parse.
  if (envelopeCheck(raw)) envelope = raw as z.output<typeof EventEnvelopeSchema>;
  else {
    const structure = EventEnvelopeSchema.safeParse(raw);
    if (!structure.success) {
      const type = field(raw, 'type');
      throw new EventValidationError(`Malformed event envelope: ${summarizeIssues(structure.error.issues)}`, {
        ...(typeof type === 'string' ? { eventName: type } : {}),
        issues: structure.error.issues,
      });
    }
    envelope = structure.data;
  }
  if (!isEventName(envelope.type)) {
    throw new EventValidationError(`Unknown event name ${JSON.stringify(envelope.type)}`, {
      eventName: envelope.type,
    });
  }
  const expected = EVENT_CATALOG[envelope.type].source;
  if (envelope.source !== expected) {
    throw new EventValidationError(
      `${envelope.type} may only come from ${expected}, but the envelope says ${envelope.source}`,
      { eventName: envelope.type },
    );
  }
  return { ...envelope, type: envelope.type, payload: validatePayload(envelope.type, envelope.payload) };
}
