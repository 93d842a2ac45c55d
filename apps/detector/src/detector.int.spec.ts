import { createNatsBus } from '@barfinex/bus';
import type { Bus } from '@barfinex/bus';
import type { EventEnvelope } from '@barfinex/events';
import { connectProviderSocket, createProviderClient } from '@barfinex/sdk';
import type { ProviderClient, ProviderSocket } from '@barfinex/sdk';
import { createLogger } from '@barfinex/service-kit';
import { deleteNatsStream, describeWithNats, eventually, startProviderProcess } from '@barfinex/testing';
import type { ProviderProcess } from '@barfinex/testing';
import { createDetectorApp } from './app';
import type { DetectorApp } from './app';
import { loadDetectorConfig } from './config';

const NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
const MINUTE = 60_000;
const HISTORY = 40;

/** A steady decline: the fast EMA stays under the slow one, so history alone never signals. */
const declining = Array.from({ length: HISTORY }, (_, i) => (100 - i * 0.1).toFixed(2));
/** Then a sharp rise: the fast EMA crosses above the slow one with the close above it. */
const rising = ['97', '99', '102', '105', '108'];

describeWithNats('detector app with a real provider process on NATS', () => {
  let p: ProviderProcess;
  let provider: ProviderClient;
  let bus: Bus;
  let detector: DetectorApp;
  let ws: ProviderSocket;
  const received: EventEnvelope<'DETECTOR_SIGNAL_GENERATED'>[] = [];

  const viaProxy = async (path: string) => {
    const res = await fetch(`${p.baseUrl}/api/detectors/detector${path}`, { headers: p.auth });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    // A paused market with one symbol: only the scripted prices below ever print.
    p = await startProviderProcess({
      natsUrl: NATS_URL,
      env: { SIM_SYMBOLS: 'BTCUSDT', SIM_AUTOSTART: 'false', SIM_TICK_MS: '1000', CANDLE_FLUSH_MS: '100' },
    });
    provider = createProviderClient({ baseUrl: p.baseUrl, token: p.token, timeoutMs: 10_000 });
    await provider.sim.pause();
    await provider.sim.path({ symbol: 'BTCUSDT', prices: declining, intervalMs: MINUTE });
    await provider.sim.step(HISTORY * MINUTE);
    await eventually(async () => {
      const bars = await provider.candles.list({
        connectorType: 'sim',
        marketType: 'spot',
        symbol: 'BTCUSDT',
        interval: 'min1',
      });
      expect(bars.filter((b) => b.closed !== false).length).toBeGreaterThanOrEqual(HISTORY - 1);
    }, 30_000);
    // The provider-side config for this app's key: symbols, intervals and params come from here.
    await provider.detectors.create({
      key: 'detector',
      symbols: ['BTCUSDT'],
      intervals: ['min1'],
      connectorType: 'sim',
      marketType: 'spot',
      params: { 'ema-cross-atr': { fast: 3, slow: 6 } },
    });

    bus = await createNatsBus({
      servers: NATS_URL,
      name: 'detector-int',
      subjectPrefix: p.subjectPrefix,
      streamName: p.streamName,
    });
    const config = {
      ...loadDetectorConfig({
        PROVIDER_URL: p.baseUrl,
        PROVIDER_API_TOKEN: p.token,
        DETECTOR_DEFINITIONS: 'ema-cross',
        DETECTOR_HEARTBEAT_MS: '1s',
        LOG_LEVEL: 'silent',
      }),
      DETECTOR_PORT: 0,
      DETECTOR_HOST: '127.0.0.1',
    };
    detector = await createDetectorApp({
      config,
      logger: createLogger({ name: 'detector', level: 'silent' }),
      bus,
      provider,
    });
    await detector.start();
    ws = connectProviderSocket({ baseUrl: p.baseUrl, token: p.token, events: ['DETECTOR_SIGNAL_GENERATED'] });
    ws.on('DETECTOR_SIGNAL_GENERATED', (env) => received.push(env));
    await ws.ready();
  }, 120_000);

  afterAll(async () => {
    ws?.close();
    await detector?.stop();
    await bus?.close();
    provider?.close();
    await p?.stop();
    if (p) await deleteNatsStream(p.streamName, NATS_URL);
  }, 60_000);

  it('registers, shows its provider config as active, and warms up through the provider proxy', async () => {
    await eventually(async () => expect((await provider.detectors.get('detector')).status).toBe('active'), 20_000);
    // The row follows the running app's snapshot, and the operator's config it ran from stays as it was.
    const row = await provider.detectors.get('detector');
    expect(row).toMatchObject({
      key: 'detector',
      symbols: [{ name: 'BTCUSDT' }],
      intervals: ['min1'],
      connectorType: 'sim',
      params: { 'ema-cross-atr': { fast: 3, slow: 6 } },
      isActive: true,
      isBlocked: false,
    });
    expect(row).toMatchObject({
      restApiUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      detectors: ['ema-cross-atr'],
      version: expect.any(String),
    });
    await eventually(async () => {
      const { status, body } = await viaProxy('/detectors');
      expect(status).toBe(200);
      expect(body['warmedUp']).toBe(true);
    }, 30_000);
    const { body } = await viaProxy('/detectors/ema-cross-atr');
    expect(body).toMatchObject({
      status: 'active',
      params: { fast: 3, slow: 6 },
      timeframes: ['min1'],
      symbols: ['BTCUSDT'],
    });
    expect((body['warmup'] as { bars: number }[])[0]!.bars).toBeGreaterThanOrEqual(HISTORY - 1);
    expect((body['streams'] as { ready: boolean }[])[0]!.ready).toBe(true);
    expect(received).toHaveLength(0);
  }, 60_000);

  it('emits DETECTOR_SIGNAL_GENERATED on a scripted rise, seen by a WebSocket client and through the proxy', async () => {
    await provider.sim.path({ symbol: 'BTCUSDT', prices: rising, intervalMs: MINUTE });
    await provider.sim.step(rising.length * MINUTE);
    await eventually(() => expect(received.length).toBeGreaterThan(0), 30_000);
    const signal = received[0]!;
    expect(signal).toMatchObject({
      type: 'DETECTOR_SIGNAL_GENERATED',
      source: 'DETECTOR',
      symbol: 'BTCUSDT',
      key: 'detector',
    });
    expect(signal.payload).toMatchObject({
      detectorKey: 'detector',
      strategy: 'ema-cross-atr',
      direction: 'LONG',
      timeframe: 'min1',
      rulesFired: ['fast-crossed-above-slow', 'close-above-slow'],
    });
    expect(signal.correlationId).toBe(signal.payload.signalId);
    expect(signal.causationId).toBeDefined();

    const { status, body } = await viaProxy('/signals?symbol=BTCUSDT');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      total: received.length,
      items: expect.arrayContaining([
        expect.objectContaining({ signalId: signal.payload.signalId, detector: 'ema-cross-atr' }),
      ]),
    });
    const denied = await fetch(`${p.baseUrl}/api/detectors/detector/signals`);
    expect(denied.status).toBe(401);
  }, 60_000);

  it('answers 400 through the proxy for params its schema rejects', async () => {
    const res = await fetch(`${p.baseUrl}/api/detectors/detector/detectors/ema-cross-atr/params`, {
      method: 'PUT',
      headers: { ...p.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ fast: 50, slow: 6 }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { details: { issues: { path: string }[] } } };
    expect(body.error.details.issues.map((i) => i.path)).toContain('fast');
  }, 30_000);
});
