import { createMemoryBus, createNatsBus } from '@barfinex/bus';
import type { Bus } from '@barfinex/bus';
import { createProviderClient } from '@barfinex/sdk';
import { ConfigError, createLogger, createShutdown } from '@barfinex/service-kit';
import { createDetectorApp } from './app';
import { loadDetectorConfig } from './config';
import { DetectorLoadError } from './detectors/definitions';

async function main(): Promise<void> {
  let config;
  try {
    config = loadDetectorConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`detector: invalid configuration\n${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger({
    name: 'detector',
    level: config.LOG_LEVEL,
    pretty: config.LOG_PRETTY || process.argv.includes('--pretty'),
  });
  const shutdown = createShutdown({ logger, timeoutMs: 15_000 });
  shutdown.listen();

  const bus: Bus = config.NATS_URL
    ? await createNatsBus({
        servers: config.NATS_URL,
        name: `detector-${config.DETECTOR_APP_KEY}`,
        subjectPrefix: config.NATS_SUBJECT_PREFIX,
        streamName: config.NATS_STREAM,
        onError: (err, ctx) => logger.warn({ err, ...ctx }, 'bus problem'),
      })
    : createMemoryBus({ onError: (err, ctx) => logger.warn({ err, ...ctx }, 'bus problem') });
  if (!config.NATS_URL)
    logger.warn(
      'NATS_URL is not set: the in-memory bus only reaches apps in this process, so no market data will arrive from a separate provider',
    );
  shutdown.add('bus', () => bus.close());

  const provider = createProviderClient({
    baseUrl: config.PROVIDER_URL,
    token: config.PROVIDER_API_TOKEN ?? '',
    timeoutMs: 10_000,
  });
  shutdown.add('provider client', () => provider.close());

  let detector;
  try {
    detector = await createDetectorApp({ config, logger, bus, provider });
  } catch (err) {
    if (err instanceof DetectorLoadError) {
      process.stderr.write(`detector: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  await detector.start();
  shutdown.add('detector', () => detector.stop());
  if (!config.DETECTOR_API_TOKEN)
    logger.info('generated an API token for this run; the provider proxy receives it at registration');
}

main().catch((err: unknown) => {
  process.stderr.write(
    `detector failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
