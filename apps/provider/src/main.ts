import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createMemoryBus, createNatsBus } from '@barfinex/bus';
import type { Bus } from '@barfinex/bus';
import { createDatabase } from '@barfinex/db';
import { ConfigError, createLogger, createShutdown } from '@barfinex/service-kit';
import { createProvider } from './app';
import { loadProviderConfig } from './config';
import { createSimConnector } from './connectors/sim-connector';
import { registerSimRoutes } from './connectors/sim.routes';

/** In the embedded default a token is generated once and kept next to the data. */
function ensureToken(configured: string | undefined, dataDir: string): { token: string; generated: boolean } {
  if (configured) return { token: configured, generated: false };
  const file = resolve(dataDir, 'api-token');
  if (existsSync(file)) return { token: readFileSync(file, 'utf8').trim(), generated: false };
  mkdirSync(dirname(file), { recursive: true });
  const token = randomBytes(24).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return { token, generated: true };
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadProviderConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`provider: invalid configuration\n${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger({ name: 'provider', level: config.LOG_LEVEL, pretty: config.LOG_PRETTY || process.argv.includes('--pretty') });
  const shutdown = createShutdown({ logger, timeoutMs: 15_000 });
  shutdown.listen();

  const dataDir = resolve(process.env['BARFINEX_DATA_DIR'] ?? './data');
  const { token, generated } = ensureToken(config.PROVIDER_API_TOKEN, dataDir);
  config = { ...config, PROVIDER_API_TOKEN: token };

  const db = await createDatabase({ url: config.DATABASE_URL, onError: (err) => logger.warn({ err }, 'database connection error') });
  shutdown.add('database', () => db.close());
  logger.info({ kind: db.kind, migrations: db.migrations }, 'database ready');

  const bus: Bus = config.NATS_URL
    ? await createNatsBus({ servers: config.NATS_URL, name: 'provider', subjectPrefix: config.NATS_SUBJECT_PREFIX, streamName: config.NATS_STREAM, onError: (err, ctx) => logger.warn({ err, ...ctx }, 'bus problem') })
    : createMemoryBus({ onError: (err, ctx) => logger.warn({ err, ...ctx }, 'bus problem') });
  shutdown.add('bus', () => bus.close());

  const sim = await createSimConnector({ prisma: db.prisma, seed: config.SIM_SEED, symbols: config.SIM_SYMBOLS, tickMs: config.SIM_TICK_MS, autostart: config.SIM_AUTOSTART, logger: logger.child({ component: 'sim' }) });
  const provider = createProvider({ config, logger, db, bus, connectors: [sim], extraRoutes: (t) => registerSimRoutes(t, { sim }) });
  const { port } = await provider.start();
  shutdown.add('provider', () => provider.stop());

  const base = `http://localhost:${port}`;
  logger.info({ rest: `${base}/api`, ws: `${base}/ws`, docs: `${base}/docs`, bus: config.NATS_URL ?? 'in-memory', database: db.kind }, 'provider listening');
  if (generated) logger.info({ tokenFile: resolve(dataDir, 'api-token') }, 'generated a new API token');
  if (!process.env['PROVIDER_API_TOKEN']) logger.info(`API token: ${token}  (send as Authorization: Bearer <token>)`);
}

main().catch((err: unknown) => {
  process.stderr.write(`provider failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
