import { createMemoryBus } from './memory';
import { createNatsBus } from './nats';
import type { Bus } from './types';

/** The part of a logger an app's bus needs (pino's `warn` fits). */
export interface BusWarnLogger {
  warn(obj: object | string, msg?: string): void;
}

export interface AppBusOptions {
  /** NATS_URL; without it the app runs on the in-memory bus (only apps in the same process hear it). */
  natsUrl: string | undefined;
  /** The connection's name as NATS shows it, e.g. `advisor-<appKey>`. */
  name: string;
  subjectPrefix: string;
  streamName: string;
  logger: BusWarnLogger;
}

/** The bus an app's `main` runs on: NATS when configured, else the in-memory bus with a warning. */
export async function connectAppBus(o: AppBusOptions): Promise<Bus> {
  const onError = (err: Error, ctx: object) => o.logger.warn({ err, ...ctx }, 'bus problem');
  if (o.natsUrl)
    return createNatsBus({
      servers: o.natsUrl,
      name: o.name,
      subjectPrefix: o.subjectPrefix,
      streamName: o.streamName,
      onError,
    });
  o.logger.warn('NATS_URL is not set: using the in-memory bus, which only reaches apps in this process');
  return createMemoryBus({ onError });
}
