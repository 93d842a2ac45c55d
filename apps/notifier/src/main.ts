import { connectAppBus } from '@barfinex/bus';
import { createDatabase } from '@barfinex/db';
import { createProviderClient } from '@barfinex/sdk';
import { createLogger, createShutdown, runMain } from '@barfinex/service-kit';
import { createNotifierApp } from './app';
import { loadNotifierConfig } from './config';
import type { NotifierConfig } from './config';

async function main(config: NotifierConfig): Promise<void> {
  const logger = createLogger({ name: 'notifier', level: config.LOG_LEVEL, pretty: config.LOG_PRETTY });
  const shutdown = createShutdown({ logger, timeoutMs: 15_000 });
  shutdown.listen();

  const db = await createDatabase({
    url: config.DATABASE_URL,
    onError: (err) => logger.warn({ err }, 'database connection error'),
  });
  shutdown.add('database', () => db.close());
  const bus = await connectAppBus({
    natsUrl: config.NATS_URL,
    name: `notifier-${config.NOTIFIER_APP_KEY}`,
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

  const notifier = await createNotifierApp({ config, logger, bus, db, provider });
  const { url } = await notifier.start();
  shutdown.add('notifier', () => notifier.stop());
  logger.info(
    {
      url,
      appKey: config.NOTIFIER_APP_KEY,
      provider: config.PROVIDER_URL,
      bus: config.NATS_URL ?? 'in-memory',
      database: db.kind,
    },
    'notifier listening',
  );
  if (!config.NOTIFIER_API_TOKEN)
    logger.info('generated an API token for this run; the provider proxy receives it on registration');
}

runMain('notifier', loadNotifierConfig, main);
