/**
 * Detector throughput: closed candles per second through one detector with 5 indicators
 * (EMA 9, EMA 21, RSI 14, ATR 14, Bollinger 20/2) and 4 weighted rules, measured two ways:
 *   1. harness: `runDetector` over numeric GBM candles in memory (the kit's hot path alone);
 *   2. live:    the detector app on the memory bus: `bus.publish(PROVIDER_MARKETDATA_CANDLE)` with
 *               decimal-string prices (validated and enveloped) → the app's partitioned
 *               subscription (validated again) → host → runner → signals published back on the bus.
 * Same detector, same candle series; rounds alternate to spread noise; medians are printed side
 * by side with the live/harness ratio. Target: harness ≥ 1,000,000 candles/s. Wall-clock rates
 * swing when other processes share the CPU, so rates per second of this process's CPU time
 * (process.cpuUsage) are printed too; they include the garbage collector's helper threads, so on
 * an idle machine they can come out below the wall-clock rate. The harness validates every
 * emitted payload against the event catalog (its default); `validate: false` is shown for the
 * kit's own cost.
 *
 * Run: npx tsx --conditions=development tools/bench/detector.ts [harnessCandles=500000] [liveCandles=50000] [rounds=5]
 * It runs from an esbuild bundle of itself with the libs' TypeScript sources, as the detector
 * app's image runs (see bundled.ts).
 */
import { runBundled } from './bundled';

const HARNESS_N = Number(process.argv[2] ?? 500_000);
const LIVE_N = Number(process.argv[3] ?? 50_000);
const ROUNDS = Number(process.argv[4] ?? 5);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function main(): Promise<void> {
  const { z } = await import('zod');
  const kit = await import('@barfinex/detector-kit');
  const { createMemoryBus } = await import('@barfinex/bus');
  const { createLogger } = await import('@barfinex/service-kit');
  const { createDetectorApp, loadDetectorConfig } = await import('@barfinex/detector');
  const { createFakeProvider } = await import('@barfinex/detector/testing');

  const bench5 = kit.defineDetector({
    name: 'bench-5',
    inputs: { timeframes: ['min1'], warmup: 30 },
    params: z.object({ fast: z.number().int().default(9), slow: z.number().int().default(21) }),
    setup: (p) => ({
      fast: kit.ema(p.fast),
      slow: kit.ema(p.slow),
      rsi: kit.rsi(14),
      atr: kit.atr(14),
      bands: kit.bollinger({ period: 20 }),
    }),
    rules: [
      { id: 'cross-up', direction: 'LONG', weight: 2, when: (ctx) => ctx.crossedAbove('fast', 'slow') },
      { id: 'rsi-bullish', direction: 'LONG', weight: 1, when: (ctx) => ctx.values.rsi > 55 },
      {
        id: 'above-middle-band',
        direction: 'LONG',
        weight: 1,
        when: (ctx) => ctx.candle.close > ctx.values.bands.middle,
      },
      { id: 'cross-down', direction: 'SHORT', weight: 2, when: (ctx) => ctx.crossedBelow('fast', 'slow') },
      { id: 'rsi-bearish', direction: 'SHORT', weight: 1, when: (ctx) => ctx.values.rsi < 45 },
      {
        id: 'below-middle-band',
        direction: 'SHORT',
        weight: 1,
        when: (ctx) => ctx.candle.close < ctx.values.bands.middle,
      },
    ],
    thresholds: { long: 4, short: 4 },
    levels: (ctx, side) => {
      const risk = 2 * ctx.values.atr;
      const s = side === 'LONG' ? 1 : -1;
      return { stop: ctx.candle.close - s * risk, targets: [ctx.candle.close + 2 * s * risk] };
    },
    managePosition: true,
  });

  // The same indicators and rules with unreachable thresholds: the per-bar cost without emissions.
  const quiet5 = kit.defineDetector({ ...bench5, name: 'bench-5-quiet', thresholds: { long: 100, short: 100 } });

  const harnessCandles = kit.generateGbmCandles({ seed: 11, count: HARNESS_N, startPrice: 60_000, volatility: 0.002 });
  const liveCandles = harnessCandles.slice(0, LIVE_N).map((c) => ({
    symbol: 'BTCUSDT',
    interval: 'min1' as const,
    time: c.time,
    open: String(c.open),
    high: String(c.high),
    low: String(c.low),
    close: String(c.close),
    volume: String(c.volume),
    closed: true,
    connectorType: 'sim' as const,
    marketType: 'spot' as const,
  }));

  const timed = <T>(n: number, fn: () => T) => {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const out = fn();
    const cpu = process.cpuUsage(c0);
    return { out, wall: n / ((performance.now() - t0) / 1000), cpu: n / ((cpu.user + cpu.system) / 1e6) };
  };
  const harnessRound = (validate: boolean, detector: typeof bench5 = bench5) => {
    const r = timed(HARNESS_N, () =>
      kit.runDetector(detector, { candles: harnessCandles, symbol: 'BTCUSDT', timeframe: 'min1', validate }),
    );
    return { wall: r.wall, cpu: r.cpu, signals: r.out.signals.length, events: r.out.events.length };
  };

  const liveRound = async () => {
    const bus = createMemoryBus();
    let signals = 0;
    await bus.subscribe('DETECTOR_SIGNAL_GENERATED', () => void (signals += 1));
    const { provider } = createFakeProvider({});
    const config = {
      ...loadDetectorConfig({
        DETECTOR_SYMBOLS: 'BTCUSDT',
        DETECTOR_MARKET_TYPE: 'spot',
        DETECTOR_API_TOKEN: 'bench',
        LOG_LEVEL: 'silent',
      }),
      DETECTOR_PORT: 0,
      DETECTOR_HOST: '127.0.0.1',
    };
    const app = await createDetectorApp({
      config,
      logger: createLogger({ name: 'detector', level: 'silent' }),
      bus,
      provider,
      detectors: [bench5],
    });
    await app.start();
    const slot = app.host()?.slots()[0];
    if (!slot) throw new Error('no detector slot');
    await app.host()?.settled();
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (let i = 0; i < liveCandles.length; i += 1) {
      void bus.publish('PROVIDER_MARKETDATA_CANDLE', liveCandles[i]!);
      if (i % 1000 === 999) await new Promise((r) => setImmediate(r));
    }
    while (slot.stats.candles < LIVE_N) await new Promise((r) => setImmediate(r));
    await app.publisher.idle();
    const wall = LIVE_N / ((performance.now() - t0) / 1000);
    const used = process.cpuUsage(c0);
    const cpu = LIVE_N / ((used.user + used.system) / 1e6);
    await app.stop();
    await bus.close();
    return { wall, cpu, signals };
  };

  harnessRound(true);
  await liveRound();
  const rows = { harness: [] as Rate[], raw: [] as Rate[], quiet: [] as Rate[], live: [] as Rate[] };
  let last = { harness: { signals: 0, events: 0 }, live: 0 };
  for (let r = 0; r < ROUNDS; r += 1) {
    const h = harnessRound(true);
    rows.harness.push(h);
    rows.raw.push(harnessRound(false));
    rows.quiet.push(harnessRound(true, quiet5));
    const l = await liveRound();
    rows.live.push(l);
    last = { harness: { signals: h.signals, events: h.events }, live: l.signals };
  }
  const m = (xs: Rate[], k: keyof Rate) => median(xs.map((x) => x[k]));
  const line = (label: string, xs: Rate[], note: string) =>
    console.log(
      `  ${label.padEnd(46)} ${fmt(m(xs, 'wall')).padStart(11)} /s wall  ${fmt(m(xs, 'cpu')).padStart(11)} /s CPU   ${note}`,
    );
  console.log(
    `detector with 5 indicators + 6 rules (EMA 9/21, RSI 14, ATR 14, Bollinger 20), ${ROUNDS} rounds, medians, node ${process.version}`,
  );
  line(
    `harness runDetector, ${fmt(HARNESS_N)} candles`,
    rows.harness,
    `${last.harness.signals} signals, ${last.harness.events} events`,
  );
  line(`harness runDetector, validate: false`, rows.raw, '');
  line(`harness, same detector that never signals`, rows.quiet, 'indicators + rules only');
  line(`live memory bus → detector app → bus, ${fmt(LIVE_N)}`, rows.live, `${last.live} signals`);
  const ratio = (k: keyof Rate) => (m(rows.live, k) / m(rows.harness, k)).toFixed(3);
  console.log(`  live/harness: ${ratio('cpu')}x (CPU), ${ratio('wall')}x (wall)`);
  const verdict = (k: keyof Rate) => (m(rows.harness, k) >= 1_000_000 ? 'met' : 'not met');
  console.log(
    `  harness target ≥ 1,000,000 candles/s (payloads validated): ${verdict('cpu')} on CPU time, ${verdict('wall')} on wall time`,
  );
}

interface Rate {
  wall: number;
  cpu: number;
}

runBundled(__filename)
  .then(main)
  .catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
