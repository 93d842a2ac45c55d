import type { EventSource } from '@barfinex/enums';
import type { z } from 'zod';

export interface EventDefinition {
  /** The only service allowed to publish the event; always equals the name's prefix. */
  source: EventSource;
  /** Coarse grouping used by the event sink and the catalog endpoint. */
  category: string;
  /** True when the bus must not lose it while a consumer is down (JetStream). */
  durable: boolean;
  description: { en: string; ru: string };
  payload: z.ZodType;
  /** Payload field holding the routing symbol, when it is not `symbol`. */
  symbolField?: string;
}

type Definition<S extends EventSource, P extends z.ZodType> = {
  source: S;
  category: string;
  durable: boolean;
  description: { en: string; ru: string };
  payload: P;
  symbolField?: string;
};

/** Builds a catalog entry while keeping the payload schema's exact type. */
export function defineEvent<S extends EventSource, P extends z.ZodType>(
  source: S,
  spec: { category: string; durable: boolean; en: string; ru: string; payload: P; symbolField?: string },
): Definition<S, P> {
  const { category, durable, en, ru, payload, symbolField } = spec;
  return { source, category, durable, description: { en, ru }, payload, ...(symbolField ? { symbolField } : {}) };
}
