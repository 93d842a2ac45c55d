import { createMemoryBus, createNatsBus } from '@barfinex/bus';
import type { Bus } from '@barfinex/bus';
import { createDatabase } from '@barfinex/db';
import { createProviderClient } from '@barfinex/sdk';
import { ConfigError, createLogger, createShutdown } from '@barfinex/service-kit';
import { createAdvisorApp } from './app';
import { loadAdvisorConfig } from './config';
import type { AdvisorConfig } from './config';

function readConfig(): AdvisorConfig {
  try {
    return loadAdvisorConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`advisor: invalid configuration\n${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger({ name: 'advisor', level: config.LOG_LEVEL, pretty: config.LOG_PRETTY });
  const shutdown = createShutdown({ logger, timeoutMs: 15_000 });
  shutdown.listen();

  const db = await createDatabase({
    url: config.DATABASE_URL,
    onError: (err) => logger.warn({ err }, 'database connection error'),
  });
  shutdown.add('database', () => db.close());
  const onError = (err: Error, ctx: object) => logger.warn({ err, ...ctx }, 'bus problem');
  let bus: Bus;
  if (config.NATS_URL) {
    bus = await createNatsBus({
      servers: config.NATS_URL,
      name: `advisor-${config.ADVISOR_APP_KEY}`,
      subjectPrefix: config.NATS_SUBJECT_PREFIX,
      streamName: config.NATS_STREAM,
      onError,
    });
  } else {
    logger.warn('NATS_URL is not set: using the in-memory bus, which only reaches apps in this process');
    bus = createMemoryBus({ onError });
  }
  shutdown.add('bus', () => bus.close());
  const provider = createProviderClient({
    baseUrl: config.PROVIDER_URL,
    token: config.PROVIDER_API_TOKEN,
    timeoutMs: config.PROVIDER_TIMEOUT_MS,
  });
  shutdown.add('provider client', () => provider.close());

  const advisor = await createAdvisorApp({ config, logger, bus, db, provider });
  const { url } = await advisor.start();
  shutdown.add('advisor', () => advisor.stop());
  logger.info(
    {
      url,
      appKey: config.ADVISOR_APP_KEY,
      provider: config.PROVIDER_URL,
      bus: config.NATS_URL ?? 'in-memory',
      database: db.kind,
    },
    'advisor listening',
  );
  if (!config.ADVISOR_API_TOKEN)
    logger.info('generated an API token for this run; the provider proxy receives it on registration');
}

main().catch((err: unknown) => {
  process.stderr.write(`advisor failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
