import { createMemoryBus, createNatsBus } from '@barfinex/bus';
import type { Bus } from '@barfinex/bus';
import { createDatabase } from '@barfinex/db';
import { createProviderClient } from '@barfinex/sdk';
import { ConfigError, createLogger, createShutdown } from '@barfinex/service-kit';
import { createInspectorApp } from './app';
import { loadInspectorConfig } from './config';

async function main(): Promise<void> {
  let config;
  try {
    config = loadInspectorConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`inspector: invalid configuration\n${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger({
    name: 'inspector',
    level: config.LOG_LEVEL,
    pretty: config.LOG_PRETTY || process.argv.includes('--pretty'),
  });
  const shutdown = createShutdown({ logger, timeoutMs: 15_000 });
  shutdown.listen();

  const bus: Bus = config.NATS_URL
    ? await createNatsBus({
        servers: config.NATS_URL,
        name: `inspector-${config.INSPECTOR_APP_KEY}`,
        subjectPrefix: config.NATS_SUBJECT_PREFIX,
        streamName: config.NATS_STREAM,
        onError: (err, ctx) => logger.warn({ err, ...ctx }, 'bus problem'),
      })
    : createMemoryBus({ onError: (err, ctx) => logger.warn({ err, ...ctx }, 'bus problem') });
  if (!config.NATS_URL)
    logger.warn(
      'NATS_URL is not set: the in-memory bus only reaches apps in this process, so no intents or fills will arrive from a separate provider',
    );
  shutdown.add('bus', () => bus.close());

  const db = await createDatabase({
    url: config.DATABASE_URL,
    onError: (err) => logger.warn({ err }, 'database connection error'),
  });
  shutdown.add('database', () => db.close());
  const provider = createProviderClient({
    baseUrl: config.PROVIDER_URL,
    token: config.PROVIDER_API_TOKEN ?? '',
    timeoutMs: 10_000,
  });
  shutdown.add('provider client', () => provider.close());

  const inspector = await createInspectorApp({ config, logger, bus, db, provider });
  await inspector.start();
  shutdown.add('inspector', () => inspector.stop());
  if (!config.INSPECTOR_API_TOKEN)
    logger.info('generated an API token for this run; the provider proxy receives it at registration');
}

main().catch((err: unknown) => {
  process.stderr.write(
    `inspector failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
