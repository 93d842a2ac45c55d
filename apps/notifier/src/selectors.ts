// Which events a webhook or a chat asks for: catalog names, catalog categories, or `*`. Only durable
// events can be asked for: the notifier reads them through a durable consumer, so none is missed
// while it is down; live-only events (market data, heartbeats) would be lost by design.
import { z } from 'zod';
import { EVENT_NAMES, getEventDefinition, isDurableEvent } from '@barfinex/events';
import type { AnyEventEnvelope, EventName } from '@barfinex/events';

export const DELIVERABLE_EVENTS: readonly EventName[] = EVENT_NAMES.filter(isDurableEvent);
const CATEGORIES = new Set(DELIVERABLE_EVENTS.map((n) => getEventDefinition(n).category));
const NAMES = new Set<string>(DELIVERABLE_EVENTS);

export const EventSelectorSchema = z
  .string()
  .min(1)
  .max(100)
  .refine((s) => s === '*' || NAMES.has(s) || CATEGORIES.has(s), {
    message: `an event name or category of a durable event, or *; categories: ${[...CATEGORIES].sort().join(', ')}`,
  });
export const EventSelectorsSchema = z.array(EventSelectorSchema).min(1).max(100);
export const SymbolFilterSchema = z
  .array(
    z
      .string()
      .min(1)
      .max(50)
      .regex(/^[A-Za-z0-9._:/-]+$/),
  )
  .max(500);

/** Whether an envelope is asked for by `selectors` and passes the symbol filter (empty: every symbol). */
export function selects(
  selectors: readonly string[],
  symbols: readonly string[],
  env: Pick<AnyEventEnvelope, 'type' | 'symbol'>,
): boolean {
  if (symbols.length > 0 && (env.symbol === undefined || !symbols.includes(env.symbol))) return false;
  if (selectors.includes('*') || selectors.includes(env.type)) return true;
  const category = NAMES.has(env.type) ? getEventDefinition(env.type).category : undefined;
  return category !== undefined && selectors.includes(category);
}

/** Stored JSON back to a list of strings (anything else reads as empty). */
export const stringList = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
