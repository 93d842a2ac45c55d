// A NATS outage swallows bar closes: the detector must come back warm, from the candles the
// provider stored in PostgreSQL meanwhile, and signal on the first qualifying bar after it.
// Runs its own nats-server (killed and restarted here) and a throwaway database.
import { Writable } from 'node:stream';
import request from 'supertest';
import { createNatsBus } from '@barfinex/bus';
import type { Bus } from '@barfinex/bus';
import type { Candle } from '@barfinex/contracts';
import { createDetectorRunner } from '@barfinex/detector-kit';
import type { DetectorEmission } from '@barfinex/detector-kit';
import { emaCrossAtr } from '@barfinex/detector-kit/examples';
import { createProviderClient } from '@barfinex/sdk';
import type { ProviderClient } from '@barfinex/sdk';
import { createLogger } from '@barfinex/service-kit';
import {
  createTestDatabase,
  describeWithNats,
  describeWithPostgres,
  eventually,
  startNatsServer,
  startProviderProcess,
} from '@barfinex/testing';
import type { NatsServerProcess, ProviderProcess, TestDatabase } from '@barfinex/testing';
import { createDetectorApp } from './app';
import type { DetectorApp } from './app';
import { loadDetectorConfig } from './config';

const MINUTE = 60_000;
const HISTORY = 60;
const MISSED = 3;
const SERIES = { connectorType: 'sim', marketType: 'spot', symbol: 'BTCUSDT', interval: 'min1' } as const;
/** A slow decline (no cross in history or during the outage), then a sharp rise. */
const declining = (n: number, from: number) => Array.from({ length: n }, (_, i) => (from - i * 0.1).toFixed(2));
const rising = ['95', '97', '99', '101', '103', '105', '107', '109'];

/** The signal id ema-cross-atr gives first over `bars` in one uninterrupted run. */
function firstSignalId(bars: readonly Candle[], detectorKey: string): string | undefined {
  const out: DetectorEmission[] = [];
  const runner = createDetectorRunner(emaCrossAtr, { emit: (e) => out.push(e), detectorKey });
  for (const bar of bars) runner.onCandle(bar, { symbol: SERIES.symbol, timeframe: SERIES.interval });
  return (out.find((e) => e.name === 'DETECTOR_SIGNAL_GENERATED')?.payload as { signalId?: string } | undefined)
    ?.signalId;
}

describeWithNats('detector across a NATS outage', () => {
  describeWithPostgres('with the provider storing candles in PostgreSQL', () => {
    let nats: NatsServerProcess;
    let db: TestDatabase;
    let p: ProviderProcess;
    let provider: ProviderClient;
    let bus: Bus;
    let detector: DetectorApp;
    const logs: Record<string, unknown>[] = [];
    const auth = () => ({ authorization: `Bearer ${detector.apiToken}` });
    const stored = async () => (await provider.candles.list({ ...SERIES, days: 1 })).filter((c) => c.closed !== false);
    const stream = async () =>
      (
        (await request(detector.app).get('/detectors/ema-cross-atr').set(auth())).body.streams as {
          bars: number;
          lastTime: number;
        }[]
      )[0];

    beforeAll(async () => {
      nats = await startNatsServer();
      db = await createTestDatabase('bfx_rewarm');
      p = await startProviderProcess({
        natsUrl: nats.url,
        databaseUrl: db.url,
        env: { SIM_SYMBOLS: 'BTCUSDT', SIM_AUTOSTART: 'false', SIM_TICK_MS: '1000', CANDLE_FLUSH_MS: '100' },
      });
      provider = createProviderClient({ baseUrl: p.baseUrl, token: p.token, timeoutMs: 10_000 });
      await provider.sim.pause();
      await provider.sim.path({ symbol: SERIES.symbol, prices: declining(HISTORY, 100), intervalMs: MINUTE });
      await provider.sim.step(HISTORY * MINUTE);
      await eventually(async () => expect((await stored()).length).toBeGreaterThanOrEqual(HISTORY - 1), 30_000);
      await provider.detectors.create({
        key: 'detector',
        symbols: [SERIES.symbol],
        intervals: ['min1'],
        connectorType: 'sim',
        marketType: 'spot',
      });

      bus = await createNatsBus({
        servers: nats.url,
        name: 'detector-rewarm',
        subjectPrefix: p.subjectPrefix,
        streamName: p.streamName,
        reconnectTimeWaitMs: 100,
      });
      const destination = new Writable({
        write(chunk: Buffer, _enc, done) {
          for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
            logs.push(JSON.parse(line) as Record<string, unknown>);
          done();
        },
      });
      const config = {
        ...loadDetectorConfig({
          PROVIDER_URL: p.baseUrl,
          PROVIDER_API_TOKEN: p.token,
          DETECTOR_DEFINITIONS: 'ema-cross-atr',
          DETECTOR_MARKET_TYPE: 'spot',
          DETECTOR_HEARTBEAT_MS: '1s',
        }),
        DETECTOR_PORT: 0,
        DETECTOR_HOST: '127.0.0.1',
      };
      detector = await createDetectorApp({
        config,
        logger: createLogger({ name: 'detector', level: 'info', destination }),
        bus,
        provider,
      });
      await detector.start();
      await eventually(async () => expect((await request(detector.app).get('/ready')).status).toBe(200), 30_000);
    }, 180_000);

    afterAll(async () => {
      await detector?.stop();
      await bus?.close();
      provider?.close();
      await p?.stop();
      await nats?.dispose();
      await db?.drop();
    }, 60_000);

    it('comes back warm from the stored candles without a live bar, and signals on the first qualifying bar', async () => {
      const before = (await stream())!;
      expect(before.bars).toBeGreaterThanOrEqual(HISTORY - 1);

      await nats.kill();
      await eventually(
        () => expect(logs.some((l) => String(l['msg']).startsWith('bus disconnected'))).toBe(true),
        20_000,
      );
      // Bars close while the bus is down: stored by the provider, their events lost.
      await provider.sim.path({ symbol: SERIES.symbol, prices: declining(MISSED, 94), intervalMs: MINUTE });
      await provider.sim.step(MISSED * MINUTE);
      await eventually(
        async () => expect((await stored()).length).toBeGreaterThanOrEqual(before.bars + MISSED),
        20_000,
      );

      await nats.start();
      // Zero sim steps between the restart and readiness: the fetch alone re-warms the stream.
      await eventually(async () => expect((await request(detector.app).get('/ready')).status).toBe(200), 30_000);
      await eventually(async () => expect((await stream())!.bars).toBeGreaterThanOrEqual(before.bars + MISSED), 30_000);
      expect(logs.filter((l) => String(l['msg']).startsWith('bus disconnected'))).toHaveLength(1);
      expect(logs.filter((l) => l['msg'] === 'bus reconnected')).toHaveLength(1);
      expect(logs.some((l) => l['msg'] === 'stream re-warmed from stored candles after a gap')).toBe(true);
      // The provider's own bus is back before the next bar is published.
      await eventually(async () => expect((await fetch(`${p.baseUrl}/health/ready`)).status).toBe(200), 30_000);

      await provider.sim.path({ symbol: SERIES.symbol, prices: rising, intervalMs: MINUTE });
      await provider.sim.step(rising.length * MINUTE);
      const all = await (async () => {
        let bars: Candle[] = [];
        await eventually(async () => {
          bars = await stored();
          expect(bars.length).toBeGreaterThanOrEqual(before.bars + MISSED + rising.length - 1);
        }, 20_000);
        return bars;
      })();
      const expected = firstSignalId(all, 'detector');
      expect(expected).toBeDefined();
      await eventually(async () => {
        const res = await request(detector.app).get('/signals?symbol=BTCUSDT').set(auth()).expect(200);
        expect((res.body.items as { signalId: string }[]).map((s) => s.signalId)).toContain(expected);
      }, 30_000);
      // Never reset: the stream counts every bar since its warm-up.
      expect((await stream())!.bars).toBeGreaterThanOrEqual(before.bars + MISSED + 1);
    }, 180_000);
  });
});
