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
export {
  ENVELOPE_VERSION,
  EventEnvelopeSchema,
  createEnvelope,
  parseEnvelope,
  validateEventPayload,
} from './envelope';
export type { AnyEventEnvelope, EventEnvelope, EventMeta } from './envelope';
export { EventValidationError } from './errors';
export { EVENT_EXAMPLES } from './examples';
