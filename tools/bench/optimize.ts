/**
 * The research lab under load, on one seeded synthetic year of minute bars (525,600 bars,
 * generated once per process), in one run:
 *   1. trials/s of the same trials (EMA cross, one in-sample window of the job below) on a
 *      research pool of 1 worker vs one worker per core, alternating round by round, beside the
 *      physical floor: the same pure CPU work on 1 vs the same number of bare worker threads;
 *   2. the provider's RSS (its process, workers included) after 50 vs 500+ trials of one
 *      walk-forward optimisation over that year (10 rolling folds, 50 random trials each; the
 *      year is loaded once and shared, every trial reads its window of it);
 *   3. the order path (POST /api/orders, sim MARKET) p50/p99 idle before, while that job runs, and
 *      idle again after it.
 * The provider runs in its own process (PostgreSQL when reachable, else PGlite), its research
 * pool at the default size (one fewer than the cores, at a lower priority).
 *
 * Run: npx tsx tools/bench/optimize.ts [highTrials=500] [bars=525600] [rounds=5]
 *      (BENCH_PARTS=pool|provider for one half)
 * On a loaded machine the wall-clock speed-up says more about the load than the pool: the floor
 * beside it is what the machine gave two threads in the same minutes, and the workers' own thread
 * CPU time (Linux) is printed too.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';

const CONDITION = '--conditions=development';
if (!process.execArgv.includes(CONDITION)) {
  const r = spawnSync(process.execPath, [...process.execArgv, CONDITION, ...process.argv.slice(1)], {
    stdio: 'inherit',
  });
  process.exit(r.status ?? 1);
}

const HIGH = Number(process.argv[2] ?? 500);
const BARS = Number(process.argv[3] ?? 525_600);
const ROUNDS = Number(process.argv[4] ?? 5);
const LOW = 50;
const POOL_TRIALS = 16;
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const settings = {
  initialBalance: '10000',
  positionSizing: { mode: 'percent' as const, percent: 10 },
  fees: { maker: '0.0002', taker: '0.0005' },
};

/** The year, the job and its folds: what both halves use. */
const SOURCE = { type: 'synthetic' as const, bars: BARS, seed: 7, startPrice: 60_000, drift: 0, volatility: 0.001 };
const WALK_FORWARD = { mode: 'rolling' as const, folds: 10, inSampleRatio: 0.5 };
const SPACE = { fast: { min: 20, max: 200, step: 1 }, slow: { min: 300, max: 2_000, step: 10 } };
/** In-sample bars of a rolling fold, as the provider's walk-forward splits the range. */
const IN_SAMPLE_BARS = (() => {
  const r = WALK_FORWARD.inSampleRatio;
  const oos = Math.floor(BARS / (WALK_FORWARD.folds + r / (1 - r)));
  return BARS - WALK_FORWARD.folds * oos;
})();

/** A few bare worker threads doing pure integer work: what the machine gives N threads right now. */
function createBareThreads(size: number) {
  // Each piece answers with the thread's own CPU ms for it (Linux /proc/thread-self/stat, 100 ticks a second).
  const code = `const { parentPort } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const cpu = () => { const f = readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) * 10; };
parentPort.on('message', (n) => { const c = cpu(); let x = 2463534242; for (let i = 0; i < n; i += 1) { x ^= x << 13; x ^= x >>> 17; x ^= x << 5; } parentPort.postMessage({ x, cpuMs: cpu() - c }); });`;
  const workers = Array.from({ length: size }, () => new Worker(code, { eval: true }));
  let cpuMs = 0;
  const once = (w: Worker, n: number) =>
    new Promise<void>((resolve) => {
      w.once('message', (reply: { cpuMs: number }) => {
        cpuMs += reply.cpuMs;
        resolve();
      });
      w.postMessage(n);
    });
  return {
    cpuMs: () => cpuMs,
    /** `units` pieces of `iterations` each, taken by whichever thread is free; resolves with the wall ms. */
    async run(units: number, iterations: number): Promise<number> {
      let next = 0;
      const t = performance.now();
      await Promise.all(
        workers.map(async (w) => {
          while (next < units) {
            next += 1;
            await once(w, iterations);
          }
        }),
      );
      return performance.now() - t;
    },
    close: () => Promise.all(workers.map((w) => w.terminate())),
  };
}

async function poolThroughput(): Promise<void> {
  const { appendCandles, createSharedSeries, createTrialPool, syntheticCandles } =
    await import('@barfinex/provider/bench');
  const cores = availableParallelism();
  let t = performance.now();
  const series = createSharedSeries('BTCUSDT', 'min1', 60_000, BARS);
  appendCandles(series, syntheticCandles(SOURCE, { symbol: 'BTCUSDT', interval: 'min1' }));
  console.log(`a year of minute bars: ${fmt(BARS)} bars generated once (seed 7) in ${fmt(performance.now() - t)} ms`);
  // Spread over the job's space, the same for every pool and round.
  const trials = Array.from({ length: POOL_TRIALS }, (_, i) => ({
    fast: 20 + ((i * 37) % 181),
    slow: 300 + ((i * 53) % 171) * 10,
  }));
  const window = { runFrom: 0, scoreFrom: 0, end: IN_SAMPLE_BARS };
  const sizes = [1, cores];
  const pools = sizes.map((size) => createTrialPool({ size, nice: 0 }));
  const bare = sizes.map((size) => createBareThreads(size));
  for (const pool of pools) {
    pool.share('s', series);
    // One short trial per worker first: module loading is not what is measured.
    await Promise.all(
      Array.from({ length: pool.size }, () =>
        pool.run({
          detector: 'ema-cross',
          params: trials[0] as Record<string, unknown>,
          seriesKey: 's',
          window: { ...window, end: 2_000 },
          settings,
        }),
      ),
    );
  }
  // The floor's unit of work: about one trial's CPU time, from the CPU time (not the wall time,
  // which the load stretches) one thread spends on a fixed loop.
  const calibration = 200_000_000;
  const cpuBefore = bare[0]?.cpuMs() ?? 0;
  await bare[0]?.run(1, calibration);
  const perIteration = Math.max(1e-9, ((bare[0]?.cpuMs() ?? 0) - cpuBefore) / calibration);
  let iterations = 0;

  const wall: number[][] = sizes.map(() => []);
  const cpu: number[][] = sizes.map(() => []);
  const floor: number[][] = sizes.map(() => []);
  console.log(
    `${POOL_TRIALS} EMA-cross trials x ${fmt(IN_SAMPLE_BARS)} bars (one fold's in-sample window) per round; load average at start ${load()} on ${cores} cores`,
  );
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [k, pool] of pools.entries()) {
      const cpu0 = pool.cpuMs();
      t = performance.now();
      await Promise.all(
        trials.map((params) => pool.run({ detector: 'ema-cross', params, seriesKey: 's', window, settings })),
      );
      wall[k]?.push(POOL_TRIALS / ((performance.now() - t) / 1000));
      cpu[k]?.push(POOL_TRIALS / ((pool.cpuMs() - cpu0) / 1000));
      if (iterations === 0) iterations = Math.round((pool.cpuMs() - cpu0) / POOL_TRIALS / perIteration);
    }
    for (const [k, threads] of bare.entries()) {
      floor[k]?.push(POOL_TRIALS / ((await threads.run(POOL_TRIALS, iterations)) / 1000));
    }
    console.log(
      `round ${round + 1}: pool ${sizes.map((n, k) => `${n}: ${fmt(wall[k]?.at(-1) ?? 0, 2)}`).join(', ')} trials/s; bare threads ${sizes.map((n, k) => `${n}: ${fmt(floor[k]?.at(-1) ?? 0, 2)}`).join(', ')} units/s; load ${load()}`,
    );
  }
  await Promise.all([...pools.map((p) => p.close()), ...bare.map((b) => b.close())]);
  const [w1, wn] = wall.map(median) as [number, number];
  const [c1, cn] = cpu.map(median) as [number, number];
  const [f1, fn] = floor.map(median) as [number, number];
  const speedup = wn / w1;
  const floorSpeedup = fn / f1;
  console.log(
    `pool (median of ${ROUNDS}): 1 worker ${fmt(w1, 2)} trials/s, ${cores} workers ${fmt(wn, 2)} trials/s = ${fmt(speedup, 2)}x = ${fmt(speedup / cores, 2)} x cores (target >= 0.85 x cores)`,
  );
  console.log(
    `floor (median of ${ROUNDS}): the same CPU work on 1 vs ${cores} bare threads ${fmt(floorSpeedup, 2)}x = ${fmt(floorSpeedup / cores, 2)} x cores; the pool reaches ${fmt(speedup / floorSpeedup, 2)} of the floor`,
  );
  // Within a round the two sizes ran minutes apart at most: the median of the rounds' own ratios
  // is less at the mercy of the load changing between rounds than the ratio of medians.
  const paired = (xs: number[][]) => median((xs[1] ?? []).map((v, i) => v / (xs[0]?.[i] ?? v)));
  const [pairedPool, pairedFloor] = [paired(wall), paired(floor)];
  console.log(
    `paired by round (median of the rounds' ratios): pool ${fmt(pairedPool, 2)}x = ${fmt(pairedPool / cores, 2)} x cores, floor ${fmt(pairedFloor, 2)}x = ${fmt(pairedFloor / cores, 2)} x cores, the pool at ${fmt(pairedPool / pairedFloor, 2)} of the floor`,
  );
  console.log(
    `per CPU-second: ${fmt(c1, 2)} vs ${fmt(cn, 2)} trials = ${fmt(cn / c1, 2)}x (1.00 = the workers do not slow each other); load average at end ${load()}`,
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
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
    const json = (await res.json()) as Record<string, unknown>;
    if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
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
      `provider on ${pg ? 'PostgreSQL' : 'PGlite'}, research pool at its default size (${Math.max(1, availableParallelism() - 1)}), RSS before any job ${fmt(rssMb(provider.pid))} MB`,
    );
    await orders(50);
    const idle = await orders(300);
    const perFold = Math.ceil(HIGH / WALK_FORWARD.folds);
    const job = await call('POST', '/optimizations', {
      detector: 'ema-cross',
      symbols: ['BTCUSDT'],
      interval: 'min1',
      source: SOURCE,
      space: SPACE,
      search: { method: 'random', trials: perFold, seed: 1 },
      walkForward: WALK_FORWARD,
    });
    const id = String(job['id']);
    const status = () => call('GET', `/optimizations/${id}?trials=0`);
    while (Number((await status())['done']) < 1) await sleep(250);
    const busy = await orders(300);
    // RSS every second of the job: at the 50th trial, at the end, and the highest in between.
    let rssLow = 0;
    let lowAt = 0;
    let peak = 0;
    // The first sample at or past every 50th trial: the shape of the curve, not only its ends.
    const trace: string[] = [];
    const t = performance.now();
    let final: Record<string, unknown>;
    for (;;) {
      final = await status();
      const rss = rssMb(provider.pid);
      const done = Number(final['done']);
      if (rssLow === 0 && done >= LOW) {
        rssLow = rss;
        lowAt = done;
      }
      if (rssLow > 0) peak = Math.max(peak, rss);
      if (done >= (trace.length + 1) * LOW) trace.push(`${done}: ${fmt(rss)}`);
      if (final['state'] !== 'running' && final['state'] !== 'queued') break;
      await sleep(1_000);
    }
    const rssHigh = rssMb(provider.pid);
    // Idle again once the job is over: the load of this shared machine moves, the job is one thing.
    const idleAfter = await orders(300);
    if (final['state'] !== 'finished')
      throw new Error(`the job ended ${String(final['state'])}: ${String(final['error'])}`);
    console.log(
      `optimisation: ${String(final['done'])} trials (${WALK_FORWARD.folds} rolling folds x ${perFold} random + neighbours + out-of-sample) over ${fmt(BARS)} bars, each search trial ${fmt(IN_SAMPLE_BARS)} bars; ${fmt((performance.now() - t) / 1000, 1)} s after the first trial; load average ${load()}`,
    );
    console.log(
      `provider RSS after ${lowAt} trials ${fmt(rssLow)} MB, after ${String(final['done'])} trials ${fmt(rssHigh)} MB = ${fmt(rssHigh / rssLow, 2)}x (target < 1.2x); highest in between ${fmt(peak)} MB = ${fmt(peak / rssLow, 2)}x`,
    );
    console.log(`provider RSS (MB) by trials done: ${trace.join(', ')}`);
    console.log(`order path idle:    p50 ${fmt(pct(idle, 50), 1)} ms, p99 ${fmt(pct(idle, 99), 1)} ms`);
    console.log(
      `order path job on:  p50 ${fmt(pct(busy, 50), 1)} ms, p99 ${fmt(pct(busy, 99), 1)} ms = p99 ${fmt(pct(busy, 99) / pct(idle, 99), 2)}x idle before`,
    );
    console.log(
      `order path idle after the job: p50 ${fmt(pct(idleAfter, 50), 1)} ms, p99 ${fmt(pct(idleAfter, 99), 1)} ms (job-on p99 = ${fmt(pct(busy, 99) / pct(idleAfter, 99), 2)}x this)`,
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
