// The upstream of tools/bench/proxy.ts: the real detector app (`createDetectorApp`: Express 5, request
// context and metrics middleware, the token guard, its signals route with query validation), in its
// own process, registered with the provider by its own presence client as in a deployment. Before
// it reports ready it holds real signals: its built-in ema-cross-atr detector evaluates seeded
// candles fed on its bus. Prints its port on stdout once registered and loaded.
//   env: PROVIDER_URL, PROVIDER_API_TOKEN, DETECTOR_APP_KEY, DETECTOR_API_TOKEN, LOG_LEVEL
import { createMemoryBus } from '@barfinex/bus';
import { createDetectorApp, loadDetectorConfig } from '@barfinex/detector';
import { generateGbmCandles } from '@barfinex/detector-kit';
import { createProviderClient } from '@barfinex/sdk';
import { createLogger } from '@barfinex/service-kit';

const CANDLES = 3_000;
const MIN_SIGNALS = 10;

async function main(): Promise<void> {
  const env = {
    DETECTOR_SYMBOLS: 'BTCUSDT',
    DETECTOR_INTERVALS: 'min1',
    DETECTOR_DEFINITIONS: 'ema-cross-atr',
    ...process.env,
  };
  const config = { ...loadDetectorConfig(env), DETECTOR_PORT: 0, DETECTOR_HOST: '127.0.0.1' };
  const logger = createLogger({ name: 'detector', level: config.LOG_LEVEL });
  const bus = createMemoryBus();
  const provider = createProviderClient({
    baseUrl: config.PROVIDER_URL,
    token: config.PROVIDER_API_TOKEN ?? '',
    timeoutMs: 10_000,
  });
  const app = await createDetectorApp({ config, logger, bus, provider });
  const { url } = await app.start();
  const host = app.host();
  if (!host) throw new Error('the detector host did not start');
  await host.settled();

  const candles = generateGbmCandles({ seed: 7, count: CANDLES, startPrice: 60_000, volatility: 0.003 });
  for (const [i, c] of candles.entries()) {
    const candle = {
      symbol: 'BTCUSDT',
      interval: 'min1',
      time: c.time,
      open: String(c.open),
      high: String(c.high),
      low: String(c.low),
      close: String(c.close),
      volume: String(c.volume),
      closed: true,
      connectorType: config.DETECTOR_CONNECTOR_TYPE,
      marketType: config.DETECTOR_MARKET_TYPE,
    } as const;
    void bus.publish('PROVIDER_MARKETDATA_CANDLE', candle);
    if (i % 500 === 499) await new Promise((r) => setImmediate(r));
  }
  await host.settled();
  await app.publisher.idle();
  const held = host.book.list({ page: 1, limit: MIN_SIGNALS }).items.length;
  if (held < MIN_SIGNALS)
    throw new Error(`the detector produced ${held} signals from ${CANDLES} candles; the bench needs ${MIN_SIGNALS}`);

  process.stdout.write(`${new URL(url).port}\n`);
  process.on('SIGTERM', () => {
    void app
      .stop()
      .then(() => provider.close())
      .finally(() => process.exit(0));
  });
}

main().catch((err: unknown) => {
  process.stderr.write(
    `bench detector app failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
