import { createNatsBus } from '@barfinex/bus';
import type { Bus } from '@barfinex/bus';
import { createTestPglite } from '@barfinex/db/testing';
import type { Database } from '@barfinex/db';
import { EVENT_EXAMPLES } from '@barfinex/events';
import type { AnyEventEnvelope } from '@barfinex/events';
import { createProviderClient } from '@barfinex/sdk';
import type { ProviderClient } from '@barfinex/sdk';
import { createLogger } from '@barfinex/service-kit';
import { deleteNatsStream, describeWithNats, eventually, startProviderProcess } from '@barfinex/testing';
import type { ProviderProcess } from '@barfinex/testing';
import { createAdvisorApp } from './app';
import type { AdvisorApp } from './app';
import { loadAdvisorConfig } from './config';

const NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';

/** Lenient enough for a freshly started simulator with a few minutes of bars; the plumbing is under test here. */
const FRESH_MARKET_CONFIG = {
  dataQuality: {
    minCandles: 5,
    maxMissingBars: 10_000,
    maxStalenessMs: 3_600_000,
    requireOrderBook: false,
    maxSpreadPct: '5',
  },
  scoring: { fastPeriod: 2, slowPeriod: 3, rsiPeriod: 2, atrPeriod: 2, maxAtrPct: 100 },
  conviction: { minConfidence: 0 },
  execution: { maxSpreadPct: '5', minRiskReward: '1' },
};

describeWithNats('advisor with a real provider process on NATS', () => {
  const run = `adv${Date.now().toString(36)}`;
  let provider: ProviderProcess;
  let bus: Bus;
  let db: Database;
  let client: ProviderClient;
  let advisor: AdvisorApp;
  const seen: AnyEventEnvelope[] = [];
  const viaProxy = (path: string, init: RequestInit = {}) =>
    fetch(`${provider.baseUrl}/api/advisors/advisor${path}`, {
      ...init,
      headers: { ...provider.auth, 'content-type': 'application/json', ...(init.headers as Record<string, string>) },
    });

  beforeAll(async () => {
    provider = await startProviderProcess({
      natsUrl: NATS_URL,
      runId: run,
      env: { SIM_SYMBOLS: 'BTCUSDT', CANDLE_FLUSH_MS: '100', LOG_LEVEL: 'warn' },
    });
    bus = await createNatsBus({
      servers: NATS_URL,
      name: 'advisor-int',
      subjectPrefix: provider.subjectPrefix,
      streamName: provider.streamName,
    });
    await bus.subscribeAll((env) => void seen.push(env as AnyEventEnvelope));
    db = await createTestPglite();
    client = createProviderClient({ baseUrl: provider.baseUrl, token: provider.token });
    const config = loadAdvisorConfig({
      ADVISOR_PORT: '0',
      ADVISOR_HOST: '127.0.0.1',
      PROVIDER_URL: provider.baseUrl,
      PROVIDER_API_TOKEN: provider.token,
      NATS_URL,
      NATS_SUBJECT_PREFIX: provider.subjectPrefix,
      NATS_STREAM: provider.streamName,
    });
    advisor = await createAdvisorApp({
      config,
      logger: createLogger({ name: 'advisor', level: 'warn' }),
      bus,
      db,
      provider: client,
    });
    await advisor.start();
    // A few minutes of simulated market, so the provider has bars to serve.
    await client.sim.pause();
    await client.sim.step(8 * 60_000);
    await eventually(
      async () => {
        const candles = await client.candles.list({
          connectorType: 'sim',
          marketType: 'futures',
          symbol: 'BTCUSDT',
          interval: 'min1',
          from: Date.now() - 3_600_000,
          to: Date.now() + 3_600_000,
        });
        expect(candles.length).toBeGreaterThanOrEqual(6);
      },
      30_000,
      100,
    );
  }, 120_000);

  afterAll(async () => {
    await advisor?.stop();
    client?.close();
    await bus?.close();
    await provider?.stop();
    await deleteNatsStream(provider?.streamName ?? `BFX_${run}`, NATS_URL);
    await db?.close();
  });

  it('is reachable through the provider proxy and takes a pipeline config there', async () => {
    await eventually(async () => expect((await viaProxy('/health')).status).toBe(200), 15_000, 100);
    const bad = await viaProxy('/pipeline/config', {
      method: 'PUT',
      body: JSON.stringify({ conviction: { minConfidence: 2 } }),
    });
    expect(bad.status).toBe(400);
    const ok = await viaProxy('/pipeline/config', { method: 'PUT', body: JSON.stringify(FRESH_MARKET_CONFIG) });
    expect(ok.status).toBe(200);
  });

  it('a detector signal on the bus becomes a decision and an execution intent on its correlation id', async () => {
    const signal = await bus.publish(
      'DETECTOR_SIGNAL_GENERATED',
      { ...EVENT_EXAMPLES.DETECTOR_SIGNAL_GENERATED, connectorType: 'sim', marketType: 'futures' },
      { correlationId: `corr-${run}` },
    );
    await eventually(
      () =>
        expect(seen.some((e) => e.type === 'ADVISOR_EXECUTION_INTENT_OPEN' && e.correlationId === `corr-${run}`)).toBe(
          true,
        ),
      30_000,
      50,
    );
    const response = seen.find((e) => e.type === 'ADVISOR_DECISION_RESPONSE' && e.correlationId === `corr-${run}`);
    const intent = seen.find((e) => e.type === 'ADVISOR_EXECUTION_INTENT_OPEN' && e.correlationId === `corr-${run}`);
    expect(response).toMatchObject({ causationId: signal.eventId, payload: { approved: true, signalId: 'sig-1' } });
    expect(intent).toMatchObject({
      causationId: signal.eventId,
      payload: { side: 'BUY', entry: '65000', stopLoss: '64500', takeProfit: '66000' },
    });

    const res = await viaProxy('/decisions?symbol=BTCUSDT');
    expect(res.status).toBe(200);
    const page = (await res.json()) as {
      total: number;
      data: {
        correlationId: string;
        approved: boolean;
        stages: { name: string; passed: boolean }[];
        intent: { idempotencyKey: string };
      }[];
      links: { self: string };
    };
    expect(page.total).toBe(1);
    expect(page.data[0]).toMatchObject({ correlationId: `corr-${run}`, approved: true });
    expect(page.data[0]?.intent.idempotencyKey).toBe((intent?.payload as { idempotencyKey: string }).idempotencyKey);
    expect(page.data[0]?.stages.map((s) => s.name)).toEqual([
      'market-context',
      'data-quality',
      'scoring',
      'conviction',
      'regime',
      'synthesis',
      'confidence-floor',
      'execution',
    ]);
    expect(page.links.self).toMatch(/^\/api\/advisors\/advisor\/decisions\?/);
  }, 60_000);
});
