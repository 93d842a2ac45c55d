import type { EventSource } from '@barfinex/enums';
import { z } from 'zod';
import { ADVISOR_EVENTS, DETECTOR_EVENTS } from './catalog-apps';
import { INSPECTOR_EVENTS } from './catalog-inspector';
import { PROVIDER_EVENTS } from './catalog-provider';
import type { EventDefinition } from './definition';
import { EventValidationError } from './errors';

/** Every event on the bus and the WebSocket; the key is the subject root and the Socket.IO name. */
export const EVENT_CATALOG = Object.freeze({
  ...PROVIDER_EVENTS,
  ...DETECTOR_EVENTS,
  ...ADVISOR_EVENTS,
  ...INSPECTOR_EVENTS,
} as const satisfies Record<string, EventDefinition>);

type Catalog = typeof EVENT_CATALOG;
export type EventName = keyof Catalog;
export type EventPayload<N extends EventName> = z.output<Catalog[N]['payload']>;
export type EventPayloadInput<N extends EventName> = z.input<Catalog[N]['payload']>;

// Compile-time guard: a name whose prefix differs from its declared source fails the build.
type PrefixMismatch = {
  [K in EventName]: K extends `${Catalog[K]['source']}_${string}` ? never : K;
}[EventName];
type AssertNever<T extends never> = T;
export type _EveryNameMatchesItsSource = AssertNever<PrefixMismatch>;

export const EVENT_NAMES: readonly EventName[] = Object.freeze(Object.keys(EVENT_CATALOG) as EventName[]);

export function isEventName(value: string): value is EventName {
  return Object.prototype.hasOwnProperty.call(EVENT_CATALOG, value);
}

export function getEventDefinition<N extends EventName>(name: N): Catalog[N] {
  if (!isEventName(name)) throw new EventValidationError(`Unknown event name ${JSON.stringify(name)}`);
  return EVENT_CATALOG[name];
}

export function isDurableEvent(name: EventName): boolean {
  return getEventDefinition(name).durable;
}

/** The source an event name belongs to: its prefix. Undefined for names outside the catalog. */
export function eventSourceOf(name: string): EventSource | undefined {
  return isEventName(name) ? EVENT_CATALOG[name].source : undefined;
}

export interface EventCatalogEntry {
  name: EventName;
  source: EventSource;
  category: string;
  durable: boolean;
  description: { en: string; ru: string };
}

/** Plain data for `GET /api/ws/events/catalog`. */
export function listEventCatalog(): EventCatalogEntry[] {
  return EVENT_NAMES.map((name) => {
    const { source, category, durable, description } = EVENT_CATALOG[name];
    return { name, source, category, durable, description: { ...description } };
  });
}

/**
 * JSON Schema (draft 2020-12) of what a publisher may send for `name`: for the catalog endpoint,
 * SDK docs and non-TypeScript clients.
 */
export function eventPayloadJsonSchema(name: EventName): Record<string, unknown> {
  return z.toJSONSchema(getEventDefinition(name).payload, { io: 'input', unrepresentable: 'any' });
}
