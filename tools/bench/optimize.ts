/**
 * The research lab under load, three measurements in one run:
 *   1. trials/s: the same 24 trials (EMA-cross over 100k seeded minute bars, shared candles) on a
 *      research pool of 1 worker vs one worker per core; the ratio is the parallel speed-up
 *      (target >= 0.85 x cores);
 *   2. provider RSS after 50 vs 500 trials of one optimisation over a year of minute bars
 *      (525,600 bars loaded once, target: flat, < 1.2x);
 *   3. the order path (POST /api/orders, sim MARKET) p50/p99 idle vs while that job runs.
 * The provider runs in its own process (PostgreSQL when reachable, else PGlite), its research
 * pool at the default size (one fewer than the cores, at a lower priority).
 *
 * Run: npx tsx tools/bench/optimize.ts [highTrials=500] [bars=525600] [poolBars=100000]   (BENCH_PARTS=pool|provider for one half)
 * On a loaded machine the wall-clock speed-up says more about the load than the pool; the
 * workers' own thread CPU time (Linux) is printed beside it.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';

const CONDITION = '--conditions=development';
if (!process.execArgv.includes(CONDITION)) {
  const r = spawnSync(process.execPath, [...process.execArgv, CONDITION, ...process.argv.slice(1)], {
    stdio: 'inherit',
  });
  process.exit(r.status ?? 1);
}

const HIGH = Number(process.argv[2] ?? 500);
const BARS = Number(process.argv[3] ?? 525_600);
const POOL_BARS = Number(process.argv[4] ?? 100_000);
const LOW = 50;
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const settings = {
  initialBalance: '10000',
  positionSizing: { mode: 'percent' as const, percent: 10 },
  fees: { maker: '0.0002', taker: '0.0005' },
};

async function poolThroughput(): Promise<void> {
  const { syntheticCandles } = await import('@barfinex/provider/bench');
  const { appendCandles, createSharedSeries } = await import('@barfinex/provider/bench');
  const { createTrialPool } = await import('@barfinex/provider/bench');
  const bars = POOL_BARS;
  const series = createSharedSeries('BTCUSDT', 'min1', 60_000, bars);
  appendCandles(
    series,
    syntheticCandles(
      { type: 'synthetic', seed: 2026, bars, startPrice: 60_000, drift: 0, volatility: 0.001 },
      { symbol: 'BTCUSDT', interval: 'min1' },
    ),
  );
  const trials = Array.from({ length: 24 }, (_, i) => ({
    fast: 5 + (i % 6) * 2,
    slow: 30 + Math.floor(i / 6) * 10,
    atrPeriod: 14,
    stopAtr: 2,
    targetR: 2,
  }));
  const cores = availableParallelism();
  const rates: number[] = [];
  const cpuRates: number[] = [];
  for (const size of [1, cores]) {
    const pool = createTrialPool({ size, nice: 0 });
    pool.share('s', series);
    // One warm-up trial per worker: module loading is not what is measured.
    await Promise.all(
      Array.from({ length: size }, () =>
        pool.run({
          detector: 'ema-cross-atr',
          params: trials[0] as Record<string, unknown>,
          seriesKey: 's',
          window: { runFrom: 0, scoreFrom: 0, end: 2_000 },
          settings,
        }),
      ),
    );
    const t = performance.now();
    const cpu0 = pool.cpuMs();
    await Promise.all(
      trials.map((params) =>
        pool.run({
          detector: 'ema-cross-atr',
          params,
          seriesKey: 's',
          window: { runFrom: 0, scoreFrom: 0, end: bars },
          settings,
        }),
      ),
    );
    const wall = performance.now() - t;
    const cpu = pool.cpuMs() - cpu0;
    const rate = trials.length / (wall / 1000);
    rates.push(rate);
    cpuRates.push(trials.length / (cpu / 1000));
    console.log(
      `pool of ${size}: ${trials.length} trials x ${fmt(bars)} bars in ${fmt(wall)} ms wall = ${fmt(rate, 2)} trials/s; workers' own CPU ${fmt(cpu)} ms = ${fmt(trials.length / (cpu / 1000), 2)} trials per CPU-second`,
    );
    await pool.close();
  }
  const speedup = (rates[1] as number) / (rates[0] as number);
  const perCpu = (cpuRates[1] as number) / (cpuRates[0] as number);
  console.log(
    `load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${cores} cores`,
  );
  console.log(
    `speed-up ${fmt(speedup, 2)}x wall on ${cores} cores = ${fmt(speedup / cores, 2)} x cores (target >= 0.85 x cores); per CPU-second ${fmt(perCpu, 2)}x (1.00 = the workers do not slow each other)`,
  );
}

/** The provider's node process (the launcher's child) and its resident set. */
function rssMb(launcherPid: number): number {
  const children = readFileSync(`/proc/${launcherPid}/task/${launcherPid}/children`, 'utf8')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  const pid = children[0] ?? String(launcherPid);
  const line =
    readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmRSS:')) ?? '';
  return Number(/(\d+)/.exec(line)?.[1] ?? 0) / 1024;
}

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] ?? 0;

async function providerUnderLoad(): Promise<void> {
  const { createTestDatabase, startProviderProcess } = await import('@barfinex/testing');
  const pg = await createTestDatabase(`bench_optimize_${Date.now()}`).catch(() => undefined);
  const provider = await startProviderProcess({ ...(pg ? { databaseUrl: pg.url } : {}), env: { LOG_LEVEL: 'warn' } });
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${provider.baseUrl}/api${path}`, {
      method,
      headers: { ...provider.auth, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return (await res.json()) as Record<string, unknown>;
  };
  let seq = 0;
  const orders = async (n: number) => {
    const ms: number[] = [];
    for (let i = 0; i < n; i += 1) {
      const t = performance.now();
      await call('POST', '/orders', {
        symbol: 'BTCUSDT',
        side: i % 2 ? 'SELL' : 'BUY',
        type: 'MARKET',
        quantity: '0.001',
        connectorType: 'sim',
        marketType: 'futures',
        clientOrderId: `bench-opt-${(seq += 1)}`,
      });
      ms.push(performance.now() - t);
    }
    return ms;
  };
  try {
    console.log(
      `provider on ${pg ? 'PostgreSQL' : 'PGlite'}, research pool at its default size (${Math.max(1, availableParallelism() - 1)})`,
    );
    await orders(50);
    const idle = await orders(300);
    const job = await call('POST', '/optimizations', {
      detector: 'ema-cross',
      symbols: ['BTCUSDT'],
      interval: 'min1',
      source: { type: 'synthetic', bars: BARS, seed: 7, startPrice: 60_000, volatility: 0.001 },
      space: { fast: { min: 20, max: 200, step: 1 }, slow: { min: 300, max: 2_000, step: 10 } },
      search: { method: 'random', trials: HIGH, seed: 1 },
    });
    const id = String(job['id']);
    const done = async () => Number((await call('GET', `/optimizations/${id}?trials=0`))['done']);
    while ((await done()) < 1) await new Promise((r) => setTimeout(r, 500));
    const busy = await orders(300);
    while ((await done()) < LOW) await new Promise((r) => setTimeout(r, 1_000));
    const rssLow = rssMb(provider.pid);
    const t = performance.now();
    for (;;) {
      const d = await call('GET', `/optimizations/${id}?trials=0`);
      if (d['state'] !== 'running' && d['state'] !== 'queued') break;
      await new Promise((r) => setTimeout(r, 2_000));
    }
    const rssHigh = rssMb(provider.pid);
    const final = await call('GET', `/optimizations/${id}?trials=0`);
    console.log(
      `optimisation: ${String(final['done'])} trials over ${fmt(BARS)} bars, the last ${Number(final['done']) - LOW} in ${fmt((performance.now() - t) / 1000, 1)} s`,
    );
    console.log(
      `provider RSS after ${LOW} trials ${fmt(rssLow)} MB, after ${String(final['done'])} trials ${fmt(rssHigh)} MB = ${fmt(rssHigh / rssLow, 2)}x (target < 1.2x)`,
    );
    console.log(`order path idle:    p50 ${fmt(pct(idle, 50), 1)} ms, p99 ${fmt(pct(idle, 99), 1)} ms`);
    console.log(
      `order path job on:  p50 ${fmt(pct(busy, 50), 1)} ms, p99 ${fmt(pct(busy, 99), 1)} ms = p99 ${fmt(pct(busy, 99) / pct(idle, 99), 2)}x idle`,
    );
  } finally {
    await provider.stop();
    await pg?.drop();
  }
}

/** `BENCH_PARTS=pool` or `provider` runs one half. */
async function main(): Promise<void> {
  const parts = process.env['BENCH_PARTS'] ?? 'pool,provider';
  if (parts.includes('pool')) await poolThroughput();
  if (parts.includes('provider')) await providerUnderLoad();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
