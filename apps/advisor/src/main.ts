import { connectAppBus } from '@barfinex/bus';
import { createDatabase } from '@barfinex/db';
import { createProviderClient } from '@barfinex/sdk';
import { createLogger, createShutdown, runMain } from '@barfinex/service-kit';
import { createAdvisorApp } from './app';
import { loadAdvisorConfig } from './config';
import type { AdvisorConfig } from './config';

async function main(config: AdvisorConfig): Promise<void> {
  const logger = createLogger({ name: 'advisor', level: config.LOG_LEVEL, pretty: config.LOG_PRETTY });
  const shutdown = createShutdown({ logger, timeoutMs: 15_000 });
  shutdown.listen();

  const db = await createDatabase({
    url: config.DATABASE_URL,
    onError: (err) => logger.warn({ err }, 'database connection error'),
  });
  shutdown.add('database', () => db.close());
  const bus = await connectAppBus({
    natsUrl: config.NATS_URL,
    name: `advisor-${config.ADVISOR_APP_KEY}`,
    subjectPrefix: config.NATS_SUBJECT_PREFIX,
    streamName: config.NATS_STREAM,
    logger,
  });
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

runMain('advisor', loadAdvisorConfig, main);
