import request from 'supertest';
import { createMemoryBus } from '@barfinex/bus';
import type { MemoryBus } from '@barfinex/bus';
import type { AnyEventEnvelope } from '@barfinex/events';
import { createLogger } from '@barfinex/service-kit';
import { eventually } from '@barfinex/testing';
import { createDetectorApp } from './app';
import type { DetectorApp } from './app';
import { loadDetectorConfig } from './config';
import { createFakeProvider, minuteCandles } from './testing/fake-provider';
import { brokenDetector, thresholdDetector } from './testing/fixture-detectors';

const TOKEN = 'detector-test-token';
const START = 1_717_200_000_000;

describe('detector app (memory bus, fake provider)', () => {
  let bus: MemoryBus;
  let detector: DetectorApp;
  let fake: ReturnType<typeof createFakeProvider>;
  const published: AnyEventEnvelope[] = [];
  const auth = { authorization: `Bearer ${TOKEN}` };
  const history = minuteCandles('BTCUSDT', [100, 101, 102, 103, 104], START);
  const live = (i: number, close: number, symbol = 'BTCUSDT') => ({
    ...minuteCandles(symbol, [close], START + (5 + i) * 60_000)[0]!,
    connectorType: 'sim' as const,
    marketType: 'spot' as const,
  });
  /** As the provider does: the closed bar is stored (so a later warm-up sees it) and published. */
  const closeBar = (i: number, close: number) => {
    const bar = live(i, close);
    history.push(bar);
    return bus.publish('PROVIDER_MARKETDATA_CANDLE', bar, { connectorType: 'sim', marketType: 'spot' });
  };

  beforeAll(async () => {
    bus = createMemoryBus();
    await bus.subscribeAll((env) => {
      if (env.type.startsWith('DETECTOR_')) published.push(env as AnyEventEnvelope);
    });
    fake = createFakeProvider({ BTCUSDT: history, ETHUSDT: minuteCandles('ETHUSDT', [50, 51, 52, 53, 54], START) });
    const config = {
      ...loadDetectorConfig({
        DETECTOR_SYMBOLS: 'BTCUSDT,ETHUSDT',
        DETECTOR_MARKET_TYPE: 'spot',
        DETECTOR_API_TOKEN: TOKEN,
        DETECTOR_APP_KEY: 'det-a',
        LOG_LEVEL: 'silent',
      }),
      DETECTOR_PORT: 0,
      DETECTOR_HOST: '127.0.0.1',
    };
    detector = await createDetectorApp({
      config,
      logger: createLogger({ name: 'detector', level: 'silent' }),
      bus,
      provider: fake.provider,
      detectors: [thresholdDetector, brokenDetector],
    });
    await detector.start();
    await eventually(async () =>
      expect((await request(detector.app).get('/detectors').set(auth)).body.warmedUp).toBe(true),
    );
  });

  afterAll(async () => {
    await detector.stop();
    await bus.close();
  });

  it('registers with its own token and warms up from the provider history', async () => {
    const register = fake.calls.find((c) => c.method === 'register')?.body as Record<string, unknown>;
    expect(register).toMatchObject({
      appType: 'detector',
      appKey: 'det-a',
      meta: { apiToken: TOKEN, detectors: ['threshold', 'broken'] },
    });
    // Symbols set in the environment go into the snapshot the provider keeps its detector row from; the token never does.
    const snapshot = (register['meta'] as Record<string, unknown>)['detectorSnapshot'] as Record<string, unknown>;
    expect(snapshot).toMatchObject({
      detectors: ['threshold', 'broken'],
      symbols: ['BTCUSDT', 'ETHUSDT'],
      connectorType: 'sim',
      restApiUrl: expect.stringMatching(/^http:/),
    });
    expect(JSON.stringify(snapshot)).not.toContain(TOKEN);
    const res = await request(detector.app).get('/detectors/threshold').set(auth).expect(200);
    expect(res.body).toMatchObject({
      name: 'threshold',
      status: 'active',
      params: { trigger: 110, period: 3 },
      symbols: ['BTCUSDT', 'ETHUSDT'],
    });
    expect(res.body.warmup).toEqual([
      { symbol: 'BTCUSDT', timeframe: 'min1', status: 'done', bars: 5 },
      { symbol: 'ETHUSDT', timeframe: 'min1', status: 'done', bars: 5 },
    ]);
    expect(res.body.streams.find((s: { symbol: string }) => s.symbol === 'BTCUSDT')).toMatchObject({
      bars: 5,
      ready: true,
      values: { avg: 103 },
    });
  });

  it('keeps its REST behind its token, except health, ready and metrics', async () => {
    await request(detector.app).get('/detectors').expect(401);
    await request(detector.app).get('/health').expect(200);
    await request(detector.app).get('/ready').expect(200);
    const metrics = await request(detector.app).get('/metrics').expect(200);
    expect(metrics.text).toContain('bfx_detector_candles_total');
    await request(detector.app).get('/detectors/nope').set(auth).expect(404);
  });

  it('turns a live closed candle into DETECTOR_SIGNAL_GENERATED caused by the candle event', async () => {
    const candle = await closeBar(0, 120);
    await eventually(() => expect(published.some((e) => e.type === 'DETECTOR_SIGNAL_GENERATED')).toBe(true));
    const signal = published.find((e) => e.type === 'DETECTOR_SIGNAL_GENERATED')!;
    expect(signal).toMatchObject({ source: 'DETECTOR', symbol: 'BTCUSDT', key: 'det-a', causationId: candle.eventId });
    expect(signal.payload).toMatchObject({
      detectorKey: 'det-a',
      strategy: 'threshold',
      direction: 'LONG',
      entry: { price: '120' },
    });
    expect(signal.correlationId).toBe((signal.payload as { signalId: string }).signalId);
    const page = await request(detector.app).get('/signals').query({ symbol: 'btcusdt' }).set(auth).expect(200);
    expect(page.body).toMatchObject({
      total: 1,
      page: 1,
      items: [{ symbol: 'BTCUSDT', detector: 'threshold', status: 'active', causationId: candle.eventId }],
    });
    expect((await request(detector.app).get('/signals').query({ symbol: 'ETHUSDT' }).set(auth)).body.total).toBe(0);
    await request(detector.app).get('/signals').query({ limit: 0 }).set(auth).expect(400);
  });

  it('isolates a throwing detector and ignores unclosed or foreign-venue candles', async () => {
    const broken = (await request(detector.app).get('/detectors/broken').set(auth)).body;
    expect(broken.stats.errors).toBeGreaterThan(0);
    const before = (await request(detector.app).get('/detectors/threshold').set(auth)).body.stats.candles;
    await bus.publish('PROVIDER_MARKETDATA_CANDLE', { ...live(1, 121), closed: false });
    await bus.publish('PROVIDER_MARKETDATA_CANDLE', { ...live(1, 121), connectorType: 'binance' });
    await new Promise((r) => setImmediate(r));
    expect((await request(detector.app).get('/detectors/threshold').set(auth)).body.stats.candles).toBe(before);
  });

  it('validates params by the detector schema (400 naming the field) and re-warms on a change', async () => {
    const bad = await request(detector.app)
      .put('/detectors/threshold/params')
      .set(auth)
      .send({ trigger: -1 })
      .expect(400);
    expect(bad.body.error).toMatchObject({ code: 'VALIDATION_ERROR', details: { issues: [{ path: 'trigger' }] } });
    await request(detector.app).put('/detectors/threshold/params').set(auth).send('not json').type('json').expect(400);
    const ok = await request(detector.app)
      .put('/detectors/threshold/params')
      .set(auth)
      .send({ params: { trigger: 200 } })
      .expect(200);
    expect(ok.body.params).toEqual({ trigger: 200, period: 3 });
    // The live signal was withdrawn before the indicators were rebuilt.
    expect(
      published
        .filter((e) => e.type === 'DETECTOR_SIGNAL_INVALIDATED')
        .map((e) => (e.payload as { reason: string }).reason),
    ).toContain('params changed');
  });

  it('keeps earlier param changes when a PUT names another one, and refuses unknown names', async () => {
    const period = await request(detector.app)
      .put('/detectors/threshold/params')
      .set(auth)
      .send({ period: 4 })
      .expect(200);
    expect(period.body.params).toEqual({ trigger: 200, period: 4 });
    const unknown = await request(detector.app)
      .put('/detectors/threshold/params')
      .set(auth)
      .send({ trigger: 150, triger: 150 })
      .expect(400);
    expect(unknown.body.error).toMatchObject({ code: 'VALIDATION_ERROR', details: { issues: [{ path: 'triger' }] } });
    expect((await request(detector.app).get('/detectors/threshold').set(auth)).body.params).toEqual({
      trigger: 200,
      period: 4,
    });
    const back = await request(detector.app)
      .put('/detectors/threshold/params')
      .set(auth)
      .send({ params: { period: 3 } })
      .expect(200);
    expect(back.body.params).toEqual({ trigger: 200, period: 3 });
    await eventually(async () =>
      expect((await request(detector.app).get('/detectors').set(auth)).body.warmedUp).toBe(true),
    );
  });

  it('obeys a kill switch aimed at it and resumes when it is released', async () => {
    await bus.publish('INSPECTOR_RISK_KILL_SWITCH', {
      active: true,
      reason: 'daily loss',
      detectorKey: 'someone-else',
    });
    await bus.publish('INSPECTOR_RISK_KILL_SWITCH', { active: true, reason: 'daily loss', detectorKey: 'det-a' });
    await eventually(async () =>
      expect((await request(detector.app).get('/detectors/threshold').set(auth)).body).toMatchObject({
        status: 'blocked',
        blocked: 'daily loss',
      }),
    );
    const count = published.length;
    await closeBar(1, 250);
    await new Promise((r) => setImmediate(r));
    expect(published.length).toBe(count);
    await bus.publish('INSPECTOR_RISK_KILL_SWITCH', { active: false, reason: 'reset', detectorKey: 'det-a' });
    await eventually(async () =>
      expect((await request(detector.app).get('/detectors/threshold').set(auth)).body.status).toBe('active'),
    );
    await closeBar(2, 260);
    await eventually(() => expect(published.filter((e) => e.type === 'DETECTOR_SIGNAL_GENERATED')).toHaveLength(2));
  });

  it('can be disabled and enabled over REST', async () => {
    const off = await request(detector.app)
      .put('/detectors/threshold/enabled')
      .set(auth)
      .send({ enabled: false })
      .expect(200);
    expect(off.body.status).toBe('disabled');
    await request(detector.app).put('/detectors/threshold/enabled').set(auth).send({ enabled: 'yes' }).expect(400);
    expect(
      (await request(detector.app).put('/detectors/threshold/enabled').set(auth).send({ enabled: true })).body.status,
    ).toBe('active');
  });

  it('stops idempotently and unregisters', async () => {
    await Promise.all([detector.stop(), detector.stop()]);
    expect(fake.calls.filter((c) => c.method === 'unregister')).toHaveLength(1);
  });
});
