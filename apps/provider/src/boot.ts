import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { Bus } from '@barfinex/bus';
import type { Database } from '@barfinex/db';
import { logBusConnection } from '@barfinex/service-kit';
import { createProvider } from './app';
import type { Provider } from './app';
import type { ProviderConfig } from './config';
import { createSimConnector } from './connectors/sim-connector';
import { registerSimRoutes } from './connectors/sim.routes';
import { createConfiguredConnectors } from './connectors/shared/configured-connectors';

/** In the embedded default a token is generated once and kept next to the data. */
export function ensureApiToken(
  configured: string | undefined,
  dataDir: string,
): { token: string; generated: boolean; file: string } {
  const file = resolve(dataDir, 'api-token');
  if (configured) return { token: configured, generated: false, file };
  if (existsSync(file)) return { token: readFileSync(file, 'utf8').trim(), generated: false, file };
  mkdirSync(dirname(file), { recursive: true });
  // Hex, not base64url: a token a person copies into `--token` or a shell must not begin with a dash.
  const token = randomBytes(24).toString('hex');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return { token, generated: true, file };
}

export interface BootProviderDeps {
  config: ProviderConfig & { PROVIDER_API_TOKEN: string };
  logger: Logger;
  db: Database;
  bus: Bus;
}

/** The provider as `main.ts` runs it: the simulated exchange plus every REST area, started. */
export async function bootProvider(deps: BootProviderDeps): Promise<{ provider: Provider; port: number }> {
  const { config, logger, db, bus } = deps;
  const sim = await createSimConnector({
    prisma: db.prisma,
    pool: db.pool,
    seed: config.SIM_SEED,
    symbols: config.SIM_SYMBOLS,
    tickMs: config.SIM_TICK_MS,
    autostart: config.SIM_AUTOSTART,
    logger: logger.child({ component: 'sim' }),
  });
  const provider = createProvider({
    config,
    logger,
    db,
    bus,
    connectors: [sim, ...createConfiguredConnectors(config, logger)],
    extraRoutes: (t, ctx) => registerSimRoutes(t, { sim, drain: ctx.drain }),
  });
  // The bus outlives the provider (main closes it last), and a closed bus tells no one: nothing to unwatch.
  logBusConnection({ bus, logger: logger.child({ component: 'bus' }) });
  const { port } = await provider.start();
  return { provider, port };
}
