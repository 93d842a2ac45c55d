import pino from 'pino';
import type { Bus } from '@barfinex/bus';
import type { Database } from '@barfinex/db';
import { createProvider } from '../app';
import type { Provider } from '../app';
import { loadProviderConfig } from '../config';
import { createSimConnector } from '../connectors/sim-connector';
import type { SimConnector, SimConnectorOptions } from '../connectors/sim-connector';
import { registerSimRoutes } from '../connectors/sim.routes';

export const TEST_TOKEN = 'test-token-0123456789';

export interface Harness {
  provider: Provider;
  sim: SimConnector;
  baseUrl: string;
  auth: { Authorization: string };
  stop(): Promise<void>;
}

/** A provider on port 0 with a paused simulator, so tests move the market explicitly. */
export async function startProvider(deps: {
  db: Database;
  bus: Bus;
  env?: Record<string, string>;
  sim?: Pick<SimConnectorOptions, 'createStore'>;
  now?: () => number;
}): Promise<Harness> {
  const config = loadProviderConfig({
    PROVIDER_PORT: '1',
    PROVIDER_HOST: '127.0.0.1',
    PROVIDER_API_TOKEN: TEST_TOKEN,
    SIM_AUTOSTART: 'false',
    CANDLE_FLUSH_MS: '50ms',
    ...deps.env,
  });
  const logger = pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });
  const sim = await createSimConnector({
    prisma: deps.db.prisma,
    seed: config.SIM_SEED,
    symbols: config.SIM_SYMBOLS,
    tickMs: 60_000,
    autostart: false,
    logger,
    now: () => Date.UTC(2026, 0, 5),
    ...deps.sim,
  });
  const provider = createProvider({
    config: { ...config, PROVIDER_PORT: 0 },
    logger,
    db: deps.db,
    bus: deps.bus,
    connectors: [sim],
    extraRoutes: (t, ctx) => registerSimRoutes(t, { sim, drain: ctx.drain }),
    ...(deps.now ? { now: deps.now } : {}),
  });
  const { port } = await provider.start();
  return {
    provider,
    sim,
    baseUrl: `http://127.0.0.1:${port}`,
    auth: { Authorization: `Bearer ${TEST_TOKEN}` },
    stop: () => provider.stop(),
  };
}
