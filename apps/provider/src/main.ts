import { resolve } from 'node:path';
import { createMemoryBus, createNatsBus } from '@barfinex/bus';
import type { Bus } from '@barfinex/bus';
import { createDatabase } from '@barfinex/db';
import { ConfigError, createLogger, createShutdown } from '@barfinex/service-kit';
import { bootProvider, ensureApiToken } from './boot';
import { loadProviderConfig } from './config';

async function main(): Promise<void> {
  // One data directory for the generated token and the embedded database, as `npm start` uses.
  const dataDir = resolve(process.env['BARFINEX_DATA_DIR'] ?? './data');
  let config;
  try {
    config = loadProviderConfig({ DATABASE_URL: `pglite:${resolve(dataDir, 'pglite')}`, ...process.env });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`provider: invalid configuration\n${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger({
    name: 'provider',
    level: config.LOG_LEVEL,
    pretty: config.LOG_PRETTY || process.argv.includes('--pretty'),
  });
  const shutdown = createShutdown({ logger, timeoutMs: 15_000 });
  shutdown.listen();

  const { token, generated, file: tokenFile } = ensureApiToken(config.PROVIDER_API_TOKEN, dataDir);
  const ready = { ...config, PROVIDER_API_TOKEN: token };

  const db = await createDatabase({
    url: config.DATABASE_URL,
    onError: (err) => logger.warn({ err }, 'database connection error'),
  });
  shutdown.add('database', () => db.close());
  logger.info({ kind: db.kind, migrations: db.migrations }, 'database ready');

  const bus: Bus = config.NATS_URL
    ? await createNatsBus({
        servers: config.NATS_URL,
        name: 'provider',
        subjectPrefix: config.NATS_SUBJECT_PREFIX,
        streamName: config.NATS_STREAM,
        // The provider hears what it publishes (WebSocket bridge, event sink, hook outcomes) from
        // the bus in-process rather than back from the server: a delivery and a parse fewer per event.
        echo: false,
        onError: (err, ctx) => logger.warn({ err, ...ctx }, 'bus problem'),
      })
    : createMemoryBus({ onError: (err, ctx) => logger.warn({ err, ...ctx }, 'bus problem') });
  shutdown.add('bus', () => bus.close());

  const { provider, port } = await bootProvider({ config: ready, logger, db, bus });
  shutdown.add('provider', () => provider.stop());

  const base = `http://localhost:${port}`;
  logger.info(
    {
      rest: `${base}/api`,
      ws: `${base}/ws`,
      docs: `${base}/docs`,
      bus: config.NATS_URL ?? 'in-memory',
      database: db.kind,
      proxyClient: provider.proxyClient,
    },
    'provider listening',
  );
  if (generated) logger.info({ tokenFile }, 'generated a new API token');
  if (!process.env['PROVIDER_API_TOKEN']) logger.info(`API token: ${token}  (send as Authorization: Bearer <token>)`);
}

main().catch((err: unknown) => {
  process.stderr.write(
    `provider failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
