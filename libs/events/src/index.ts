export {
  EVENT_CATALOG,
  EVENT_NAMES,
  eventPayloadJsonSchema,
  eventSourceOf,
  getEventDefinition,
  isDurableEvent,
  isEventName,
  listEventCatalog,
} from './catalog';
export type { EventCatalogEntry, EventName, EventPayload, EventPayloadInput } from './catalog';
export type { EventDefinition } from './definition';
export { ENVELOPE_VERSION, EventEnvelopeSchema, createEnvelope, parseEnvelope, validateEventPayload } from './envelope';
export type { AnyEventEnvelope, EventEnvelope, EventMeta } from './envelope';
export { EventValidationError } from './errors';
export { compileFastCheck } from './fast-check';
export type { FastCheck } from './fast-check';
export { EVENT_EXAMPLES } from './examples';
