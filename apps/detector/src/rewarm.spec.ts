import { Writable } from 'node:stream';
import request from 'supertest';
import { createMemoryBus } from '@barfinex/bus';
import type { Bus, BusConnectionListener, MemoryBus } from '@barfinex/bus';
import type { Candle } from '@barfinex/contracts';
import { createDetectorRunner } from '@barfinex/detector-kit';
import type { DetectorEmission } from '@barfinex/detector-kit';
import { emaCrossAtr } from '@barfinex/detector-kit/examples';
import type { AnyEventEnvelope } from '@barfinex/events';
import { createLogger } from '@barfinex/service-kit';
import { eventually } from '@barfinex/testing';
import { createDetectorApp } from './app';
import type { DetectorApp } from './app';
import { loadDetectorConfig } from './config';
import { createFakeProvider, minuteCandles } from './testing/fake-provider';

const TOKEN = 'rewarm-test-token';
const START = 1_717_200_000_000;
const MINUTE = 60_000;
const SYMBOL = 'BTCUSDT';
const auth = { authorization: `Bearer ${TOKEN}` };

/**
 * 60 stored bars of slow decline, 4 more live, then 3 bars the detector never hears about (a bus
 * outage, a provider restart), then a sharp rise: ema-cross-atr (9/21 EMAs, warm-up 30 bars)
 * signals LONG a few bars into the rise, if and only if it still has its indicators.
 */
const closes = [
  ...Array.from({ length: 64 }, (_, i) => 100 - i * 0.1),
  93.6,
  93.5,
  93.4,
  94,
  96,
  98,
  100,
  102,
  104,
  106,
  108,
];
const series = minuteCandles(SYMBOL, closes, START);
const HISTORY = 60;
const LIVE_BEFORE = 4;
const MISSED = 3;
const afterGap = series.slice(HISTORY + LIVE_BEFORE + MISSED);

/** Where ema-cross-atr signals first when it sees `bars` in one run (holes bridged): the signal id and its bar's time. */
function firstSignal(bars: readonly Candle[]): { signalId: string; time: number } {
  const out: DetectorEmission[] = [];
  const runner = createDetectorRunner(emaCrossAtr, {
    emit: (e) => out.push(e),
    onGap: 'continue',
    detectorKey: 'det-r',
  });
  for (const bar of bars) {
    runner.onCandle(bar, { symbol: SYMBOL, timeframe: 'min1' });
    const first = out.find((e) => e.name === 'DETECTOR_SIGNAL_GENERATED');
    if (first) return { signalId: (first.payload as { signalId: string }).signalId, time: bar.time };
  }
  throw new Error('the scripted series never signals');
}

/** A memory bus whose connection the test can drop and restore. */
function flakyBus(inner: MemoryBus) {
  const listeners = new Set<BusConnectionListener>();
  let connected = true;
  const bus: Bus = {
    ...inner,
    status: () => ({ ...inner.status(), connected }),
    watchConnection: (listener) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
  const set = (next: boolean): void => {
    connected = next;
    for (const l of listeners) l({ connected: next, status: bus.status() });
  };
  return { bus, set };
}

function memoryLog() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger({ name: 'detector', level: 'info', destination }), lines };
}

describe('detector re-warm after a gap (memory bus, fake provider)', () => {
  let inner: MemoryBus;
  let detector: DetectorApp | undefined;
  const published: AnyEventEnvelope[] = [];

  const start = async (
    store: Candle[],
    options: { hold?: Promise<void>; repairable?: boolean; bus?: Bus; logger?: ReturnType<typeof createLogger> } = {},
  ) => {
    const fake = createFakeProvider({ [SYMBOL]: store }, undefined, {
      // The first read is the warm-up; later ones are re-warms, which the test may hold.
      beforeCandles: async () => {
        if (fake.calls.filter((c) => c.method === 'candles.list').length > 1) await options.hold;
      },
      onRequest: (route) => (route.path.endsWith('/backfill/status') ? { state: 'finished' } : {}),
    });
    const config = {
      ...loadDetectorConfig({
        DETECTOR_SYMBOLS: SYMBOL,
        DETECTOR_API_TOKEN: TOKEN,
        DETECTOR_APP_KEY: 'det-r',
        DETECTOR_MARKET_TYPE: 'spot',
        LOG_LEVEL: 'silent',
      }),
      DETECTOR_PORT: 0,
      DETECTOR_HOST: '127.0.0.1',
    };
    const logger = options.logger ?? createLogger({ name: 'detector', level: 'silent' });
    detector = await createDetectorApp({
      config,
      logger,
      bus: options.bus ?? inner,
      provider: fake.provider,
      detectors: [emaCrossAtr],
    });
    await detector.start();
    await eventually(async () => expect((await request(detector!.app).get('/ready')).status).toBe(200));
    return fake;
  };
  const publish = (bar: Candle) =>
    inner.publish(
      'PROVIDER_MARKETDATA_CANDLE',
      { ...bar, connectorType: 'sim', marketType: 'spot' },
      { connectorType: 'sim', marketType: 'spot' },
    );
  const stream = async () =>
    (
      (await request(detector!.app).get('/detectors/ema-cross-atr').set(auth)).body.streams as {
        bars: number;
        ready: boolean;
      }[]
    )[0]!;
  const signals = () =>
    published.filter(
      (e): e is AnyEventEnvelope & { type: 'DETECTOR_SIGNAL_GENERATED' } => e.type === 'DETECTOR_SIGNAL_GENERATED',
    );

  beforeEach(async () => {
    published.length = 0;
    inner = createMemoryBus();
    await inner.subscribeAll((env) => {
      if (env.type.startsWith('DETECTOR_')) published.push(env as AnyEventEnvelope);
    });
  });

  afterEach(async () => {
    await detector?.stop();
    detector = undefined;
    await inner.close();
  });

  it('fetches the bars a hole lacks, says so on /ready meanwhile, and signals on the first qualifying bar after it', async () => {
    // The provider stored every bar, the missed ones included; only their live events were lost.
    const store = series.slice(0, HISTORY);
    let release: () => void = () => undefined;
    const hold = new Promise<void>((resolve) => (release = resolve));
    const fake = await start(store, { hold });
    for (const bar of series.slice(HISTORY, HISTORY + LIVE_BEFORE)) {
      store.push(bar);
      await publish(bar);
    }
    store.push(...series.slice(HISTORY + LIVE_BEFORE, HISTORY + LIVE_BEFORE + MISSED));
    await eventually(async () => expect((await stream()).bars).toBe(HISTORY + LIVE_BEFORE));

    // The first live bar after the hole: held while the stream fetches what it missed.
    await publish(afterGap[0]!);
    const waiting = await request(detector!.app).get('/ready').expect(503);
    expect(waiting.body).toMatchObject({
      status: 'rewarming',
      rewarming: [
        {
          detector: 'ema-cross-atr',
          symbol: SYMBOL,
          timeframe: 'min1',
          after: series[HISTORY + LIVE_BEFORE - 1]!.time,
          held: 1,
        },
      ],
    });
    expect((await request(detector!.app).get('/detectors/ema-cross-atr').set(auth)).body.status).toBe('rewarming');
    release();
    // Ready again after the fetch alone: zero further live bars were needed.
    await eventually(async () => expect((await request(detector!.app).get('/ready')).status).toBe(200));
    expect(await stream()).toMatchObject({ bars: HISTORY + LIVE_BEFORE + MISSED + 1, ready: true });
    // The store had the bars: nothing was asked of the venue.
    expect(fake.calls.some((c) => c.method.startsWith('post '))).toBe(false);

    for (const bar of afterGap.slice(1)) {
      await publish(bar);
      if (signals().length > 0) break;
    }
    await eventually(() => expect(signals().length).toBe(1));
    const expected = firstSignal(series);
    expect(signals()[0]!.payload).toMatchObject({
      strategy: 'ema-cross-atr',
      direction: 'LONG',
      signalId: expected.signalId,
    });
    // In bars after the hole: well inside the 30-bar warm-up a reset stream would have needed.
    expect((expected.time - afterGap[0]!.time) / MINUTE).toBeLessThan(10);
  });

  it('asks the provider to repair a hole its store has too, then bridges what no one has instead of resetting', async () => {
    const store = series.slice(0, HISTORY + LIVE_BEFORE);
    const fake = await start(store);
    for (const bar of series.slice(HISTORY, HISTORY + LIVE_BEFORE)) await publish(bar);
    for (const bar of afterGap) {
      await publish(bar);
      if (signals().length > 0) break;
    }
    await eventually(() => expect(signals().length).toBe(1));
    const asked = fake.calls.filter((c) => c.method.startsWith('post ')).map((c) => c.method);
    expect(asked).toEqual([
      'post /candles/:connectorType/:marketType/:symbol/:interval/repair',
      'post /candles/:connectorType/:marketType/:symbol/:interval/backfill',
    ]);
    const repair = fake.calls.find((c) => c.method.endsWith('/repair'))!.body as { body: { from: number; to: number } };
    expect(repair.body).toMatchObject({
      mode: 'apply',
      from: series[HISTORY + LIVE_BEFORE]!.time,
      to: afterGap[0]!.time - 1,
    });
    // The stream went on across the hole: its bars count on, never back to a handful.
    expect((await stream()).bars).toBeGreaterThan(HISTORY + LIVE_BEFORE);
    const withoutHole = [...series.slice(0, HISTORY + LIVE_BEFORE), ...afterGap];
    expect(signals()[0]!.payload).toMatchObject({ signalId: firstSignal(withoutHole).signalId });
  });

  it('after a bus reconnect fetches what closed meanwhile before the next live bar, and logs the outage once each way', async () => {
    const store = series.slice(0, HISTORY + LIVE_BEFORE);
    const flaky = flakyBus(inner);
    const log = memoryLog();
    await start(store, { bus: flaky.bus, logger: log.logger });
    flaky.set(false);
    flaky.set(false);
    store.push(...series.slice(HISTORY + LIVE_BEFORE, HISTORY + LIVE_BEFORE + MISSED));
    flaky.set(true);
    // Caught up from the store with no live bar at all.
    await eventually(async () => expect((await stream()).bars).toBe(HISTORY + LIVE_BEFORE + MISSED));
    await eventually(async () => expect((await request(detector!.app).get('/ready')).status).toBe(200));
    for (const bar of afterGap) {
      await publish(bar);
      if (signals().length > 0) break;
    }
    await eventually(() => expect(signals().length).toBe(1));
    expect(signals()[0]!.payload).toMatchObject({ signalId: firstSignal(series).signalId });
    const busLines = log.lines.filter((l) => l['component'] === 'bus' || String(l['msg']).startsWith('bus '));
    expect(busLines.map((l) => [l['level'], l['msg']])).toEqual([
      [40, expect.stringMatching(/^bus disconnected/)],
      [30, 'bus reconnected'],
    ]);
    expect(
      log.lines.some(
        (l) => l['msg'] === 'stream re-warmed from stored candles after a gap' && l['replayed'] === MISSED,
      ),
    ).toBe(true);
  });
});
