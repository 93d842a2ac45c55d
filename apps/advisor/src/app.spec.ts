import { createMemoryBus } from '@barfinex/bus';
import type { MemoryBus } from '@barfinex/bus';
import { createTestPglite } from '@barfinex/db/testing';
import type { Database } from '@barfinex/db';
import { EVENT_EXAMPLES } from '@barfinex/events';
import type { AnyEventEnvelope } from '@barfinex/events';
import { createLogger } from '@barfinex/service-kit';
import { eventually } from '@barfinex/testing';
import { createAdvisorApp } from './app';
import type { AdvisorApp } from './app';
import { loadAdvisorConfig } from './config';
import { MINUTE, T0, candleSeries, fakeProvider } from './testing/fixtures';

const TOKEN = 'advisor-spec-token';

describe('advisor app (memory bus, PGlite)', () => {
  let db: Database;
  let bus: MemoryBus;
  let advisor: AdvisorApp;
  let url: string;
  let clock = T0 + 120 * MINUTE;
  const seen: AnyEventEnvelope[] = [];
  const fake = fakeProvider();
  const get = (path: string) => fetch(`${url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  const put = (path: string, body: unknown) =>
    fetch(`${url}${path}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    db = await createTestPglite();
    bus = createMemoryBus();
    await bus.subscribeAll((env) => void seen.push(env as AnyEventEnvelope));
    const config = loadAdvisorConfig({ ADVISOR_PORT: '0', ADVISOR_HOST: '127.0.0.1', ADVISOR_API_TOKEN: TOKEN });
    advisor = await createAdvisorApp({
      config,
      logger: createLogger({ name: 'advisor', level: 'silent' }),
      bus,
      db,
      provider: fake.provider,
      now: () => clock,
    });
    ({ url } = await advisor.start());
  });
  afterAll(async () => {
    await advisor.stop();
    await advisor.stop();
    await bus.close();
    await db.close();
  });

  it('registers as an advisor carrying its own token for the proxy', () => {
    expect(fake.registered[0]).toMatchObject({ appType: 'advisor', appKey: 'advisor', meta: { apiToken: TOKEN } });
  });

  it('turns the example signal into an approved decision and an intent on the same correlation id', async () => {
    const signal = await bus.publish('DETECTOR_SIGNAL_GENERATED', EVENT_EXAMPLES.DETECTOR_SIGNAL_GENERATED, {
      correlationId: 'corr-1',
    });
    await eventually(() => expect(seen.some((e) => e.type === 'ADVISOR_EXECUTION_INTENT_OPEN')).toBe(true));
    const response = seen.find((e) => e.type === 'ADVISOR_DECISION_RESPONSE');
    const intent = seen.find((e) => e.type === 'ADVISOR_EXECUTION_INTENT_OPEN');
    expect(response).toMatchObject({
      correlationId: 'corr-1',
      causationId: signal.eventId,
      payload: { approved: true, signalId: 'sig-1' },
    });
    expect(intent).toMatchObject({
      correlationId: 'corr-1',
      causationId: signal.eventId,
      payload: {
        side: 'BUY',
        entry: '65000',
        stopLoss: '64500',
        takeProfit: '66000',
        connectorType: 'sim',
        marketType: 'futures',
      },
    });
    expect(seen.some((e) => e.type === 'ADVISOR_DECISION_CONTEXT_SNAPSHOT' && e.correlationId === 'corr-1')).toBe(true);
  });

  it('a redelivered signal yields no second decision and no new events', async () => {
    const before = seen.length;
    const again = await advisor.decisions.handleSignal({
      ...(await bus.publish('DETECTOR_SIGNAL_GENERATED', EVENT_EXAMPLES.DETECTOR_SIGNAL_GENERATED, {
        correlationId: 'corr-1',
      })),
    });
    await advisor.decisions.idle();
    const list = (await (await get('/decisions')).json()) as {
      total: number;
      data: { decisionId: string; intent?: { idempotencyKey: string } }[];
    };
    expect(list.total).toBe(1);
    expect(again.decisionId).toBe(list.data[0]?.decisionId);
    expect(again.intent?.idempotencyKey).toBe(list.data[0]?.intent?.idempotencyKey);
    expect(seen.length).toBe(before + 1); // only the redelivered signal itself
  });

  it('throttles a second idea for the symbol inside the cooldown and records why', async () => {
    await bus.publish('DETECTOR_SIGNAL_GENERATED', {
      ...EVENT_EXAMPLES.DETECTOR_SIGNAL_GENERATED,
      signalId: 'sig-2',
      entry: { price: '65001', type: 'limit' },
    });
    await eventually(async () => {
      const body = (await (await get('/decisions?outcome=throttled')).json()) as {
        data: { signalId: string; stages: { name: string; reason: string }[] }[];
      };
      expect(body.data[0]).toMatchObject({ signalId: 'sig-2', stages: [{ name: 'throttle' }] });
    });
  });

  it('serves one decision with its stages, 404 for an unknown id, 401 without the token', async () => {
    const list = (await (await get('/decisions?symbol=BTCUSDT&outcome=approved')).json()) as {
      data: { decisionId: string }[];
    };
    const one = (await (await get(`/decisions/${list.data[0]?.decisionId}`)).json()) as {
      stages: { name: string; passed: boolean; reason: string }[];
    };
    expect(one.stages.map((s) => s.name)).toContain('execution');
    expect(one.stages.every((s) => s.reason.length > 0)).toBe(true);
    expect((await get('/decisions/nope')).status).toBe(404);
    expect((await fetch(`${url}/decisions`)).status).toBe(401);
    expect((await fetch(`${url}/health`)).status).toBe(200);
    expect((await get('/decisions?limit=0')).status).toBe(400);
  });

  it('validates and persists the pipeline config', async () => {
    const bad = await put('/pipeline/config', {
      execution: { minRiskReward: '-1' },
      scoring: { fastPeriod: 30, slowPeriod: 20 },
    });
    expect(bad.status).toBe(400);
    const error = ((await bad.json()) as { error: { code: string; details: { issues: { path: string }[] } } }).error;
    expect(error.code).toBe('VALIDATION_ERROR');
    expect(error.details.issues.length).toBeGreaterThanOrEqual(2);
    const ok = await put('/pipeline/config', { execution: { minRiskReward: '3' } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      version: 1,
      config: { execution: { minRiskReward: '3' }, conviction: { minConfidence: 0.55 } },
    });
    expect(await (await get('/pipeline/config')).json()).toMatchObject({
      version: 1,
      config: { execution: { minRiskReward: '3' } },
    });
  });

  it('an explicit request after the cooldown is rejected by the stricter risk:reward now in force', async () => {
    clock += 10 * 60_000;
    fake.provider.candles.list = async () => candleSeries({ base: 64_988, drift: 0.1, start: T0 + 10 * MINUTE });
    await bus.publish(
      'ADVISOR_DECISION_REQUEST',
      { requestId: 'req-9', symbol: 'BTCUSDT' },
      { correlationId: 'corr-9' },
    );
    await eventually(() =>
      expect(seen.some((e) => e.type === 'ADVISOR_DECISION_RESPONSE' && e.correlationId === 'corr-9')).toBe(true),
    );
    const response = seen.find((e) => e.type === 'ADVISOR_DECISION_RESPONSE' && e.correlationId === 'corr-9');
    expect(response?.payload).toMatchObject({ approved: false, requestId: 'req-9' });
    expect(JSON.stringify(response?.payload)).toContain('risk:reward 2 < 3');
  });
});
