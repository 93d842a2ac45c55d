import type { Bus } from '@barfinex/bus';
import type { Database } from '@barfinex/db';
import type { ProviderClient } from '@barfinex/sdk';
import pino from 'pino';
import { createInspectorApp } from '../app';
import type { InspectorApp } from '../app';
import { loadInspectorConfig } from '../config';

export const TEST_API_TOKEN = 'secret-token';

/**
 * The inspector app as the specs run it: on port 0, silent, with the API token `secret-token`, on a
 * clock standing at Monday 2024-06-03 09:00 UTC unless told otherwise. Built, not started.
 */
export function testInspectorApp(deps: {
  db: Database;
  bus: Bus;
  provider: ProviderClient;
  now?: () => number;
}): Promise<InspectorApp> {
  return createInspectorApp({
    config: {
      ...loadInspectorConfig({ INSPECTOR_API_TOKEN: TEST_API_TOKEN, LOG_LEVEL: 'silent' }),
      INSPECTOR_PORT: 0,
      INSPECTOR_HOST: '127.0.0.1',
    },
    logger: pino({ level: 'silent' }),
    bus: deps.bus,
    db: deps.db,
    provider: deps.provider,
    now: deps.now ?? (() => Date.UTC(2024, 5, 3, 9)),
  });
}
