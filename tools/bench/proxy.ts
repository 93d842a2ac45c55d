// Proxy overhead: a GET through the provider's proxy (/api/detectors/:appKey/signals?limit=10)
// versus the same GET sent straight to the app, alternated round by round in one run. The upstream
// is the real detector app (tools/bench/proxy-app.ts: createDetectorApp holding signals its built-in
// detector produced), which registers itself with the provider as deployed; both paths hit the
// identical route and receive the identical body. The provider, the app and this load generator
// each run in their own process, the two servers from esbuild bundles as in the images. Targets:
// p50 latency ratio ≤ 1.25× (sequential requests) and requests/s ratio ≥ 0.8× (concurrency 32).
// A third path through a bare TCP relay process (tools/bench/proxy-relay.ts, parses nothing) is
// measured alongside as the floor of any separate proxy process. All processes share this
// machine's cores, so CPU time per request (from /proc) is printed too: it is what the hop costs
// wherever it runs.
//   npx tsx --conditions=development tools/bench/proxy.ts
import { spawn } from 'node:child_process';
import type { ChildProcess, ChildProcessByStdio } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import { findRepoRoot, freePort } from '@barfinex/testing';
import { SHIPPED_NODE_FLAGS, bundleFile } from './bundled';

const SEQUENTIAL = 2_000;
const CONCURRENT = 8_000;
const CONCURRENCY = 32;
const ROUNDS = 5;
const APP_KEY = 'bench';
const APP_TOKEN = 'bench-app-token';
const LOG_LEVEL = process.env['BENCH_LOG_LEVEL'] ?? 'warn';
const CLOCK_TICK_US = 10_000;

const root = findRepoRoot(__dirname);

/**
 * Both servers run as they ship (`node dist/main.js` from an esbuild bundle, tools/build-app.mjs):
 * under tsx every cross-module binding is read through a getter, which is not what production runs.
 */
const bundle = (entry: string, outfile: string): Promise<string> => bundleFile(join(root, entry), join(root, outfile));

interface Server {
  pid: number;
  stop: () => Promise<void>;
}

function run(file: string, env: Record<string, string>): ChildProcessByStdio<null, Readable, null> {
  const childEnv: Record<string, string | undefined> = { ...process.env, ...env };
  delete childEnv['NODE_OPTIONS'];
  delete childEnv['NATS_URL'];
  // BENCH_CPU_PROF=<dir>: both servers write a V8 CPU profile there when they stop.
  const prof = process.env['BENCH_CPU_PROF'];
  const flags = prof === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${prof}`];
  // BENCH_PROVIDER_FLAGS: more node flags for the provider (e.g. --trace-gc; its stdout goes to stderr then).
  if (env['PROVIDER_PORT'] !== undefined)
    flags.push(...(process.env['BENCH_PROVIDER_FLAGS'] ?? '').split(' ').filter(Boolean));
  return spawn(process.execPath, [...SHIPPED_NODE_FLAGS, ...flags, file], {
    cwd: root,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

const stopper = (child: ChildProcess) => () =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

async function startProvider(): Promise<Server & { baseUrl: string; token: string }> {
  const file = await bundle('apps/provider/src/main.ts', 'apps/provider/dist/main.js');
  const port = await freePort();
  const token = randomBytes(18).toString('base64url');
  // The in-memory bus and an in-memory database: nothing outside the two processes is involved.
  const child = run(file, {
    PROVIDER_PORT: String(port),
    PROVIDER_HOST: '127.0.0.1',
    PROVIDER_API_TOKEN: token,
    DATABASE_URL: 'pglite:memory',
    SIM_AUTOSTART: 'false',
    LOG_LEVEL,
  });
  if (process.env['BENCH_PROVIDER_FLAGS'] === undefined) child.stdout.resume();
  else child.stdout.pipe(process.stderr);
  const baseUrl = `http://127.0.0.1:${port}`;
  for (let tries = 0; ; tries++) {
    if (child.exitCode !== null) throw new Error(`provider exited with ${child.exitCode}`);
    const up = await fetch(`${baseUrl}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (tries > 300) throw new Error('provider not healthy within 60 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  return { baseUrl, token, pid: child.pid ?? -1, stop: stopper(child) };
}

async function startRelay(appPort: number): Promise<Server & { port: number }> {
  const file = await bundle('tools/bench/proxy-relay.ts', 'node_modules/.cache/barfinex-bench/proxy-relay.cjs');
  const child = run(file, { RELAY_TARGET_PORT: String(appPort) });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once('exit', (code) => reject(new Error(`relay exited with ${code}`)));
  });
  child.stdout.resume();
  return { port, pid: child.pid ?? -1, stop: stopper(child) };
}

async function startApp(provider: { baseUrl: string; token: string }): Promise<Server & { port: number }> {
  const file = await bundle('tools/bench/proxy-app.ts', 'node_modules/.cache/barfinex-bench/proxy-app.cjs');
  const child = run(file, {
    PROVIDER_URL: provider.baseUrl,
    PROVIDER_API_TOKEN: provider.token,
    DETECTOR_APP_KEY: APP_KEY,
    DETECTOR_API_TOKEN: APP_TOKEN,
    LOG_LEVEL,
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once('exit', (code) => reject(new Error(`bench app exited with ${code}`)));
  });
  child.stdout.resume();
  return { port, pid: child.pid ?? -1, stop: stopper(child) };
}

/** User + system CPU of a process and its descendants, in µs. */
function treeCpuUs(pid: number): number {
  let total = 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    total += (Number(fields[11]) + Number(fields[12])) * CLOCK_TICK_US;
    for (const child of readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean))
      total += treeCpuUs(Number(child));
  } catch {
    // gone, or not Linux: no CPU column then
  }
  return total;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function get(url: URL, headers: Record<string, string>, keep = false): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`${url.pathname}: ${res.statusCode}`));
      if (!keep) {
        res.resume();
        res.on('end', () => resolve(undefined));
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks)));
    });
    req.on('error', reject);
  });
}

async function latencies(url: URL, headers: Record<string, string>, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await get(url, headers);
    out.push(performance.now() - t);
  }
  return out.sort((a, b) => a - b);
}

/** Requests/s at CONCURRENCY in flight; each request's latency under that load goes into `loaded`. */
async function throughput(
  url: URL,
  headers: Record<string, string>,
  n: number,
  loaded: number[] = [],
): Promise<number> {
  let next = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < n) {
        const s = performance.now();
        await get(url, headers);
        loaded.push(performance.now() - s);
      }
    }),
  );
  return n / ((performance.now() - t) / 1000);
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const ownCpuUs = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

async function main(): Promise<void> {
  const provider = await startProvider();
  const app = await startApp(provider);
  const appUrl = `http://127.0.0.1:${app.port}`;
  const direct = { url: new URL(`${appUrl}/signals?limit=10`), headers: { authorization: `Bearer ${APP_TOKEN}` } };
  const proxied = {
    url: new URL(`${provider.baseUrl}/api/detectors/${APP_KEY}/signals?limit=10`),
    headers: { authorization: `Bearer ${provider.token}` },
  };
  const relay = await startRelay(app.port);
  const relayed = { url: new URL(`http://127.0.0.1:${relay.port}/signals?limit=10`), headers: direct.headers };

  // Both paths must measure the same work: the same route and the same bytes back.
  const [directBody, proxiedBody] = [
    await get(direct.url, direct.headers, true),
    await get(proxied.url, proxied.headers, true),
  ];
  if (!directBody || !proxiedBody || !directBody.equals(proxiedBody))
    throw new Error('the proxied and direct responses differ');
  const signals = (JSON.parse(directBody.toString()) as { items: unknown[] }).items.length;

  await latencies(direct.url, direct.headers, 300);
  await latencies(proxied.url, proxied.headers, 300);
  await throughput(direct.url, direct.headers, 1_000);
  await throughput(proxied.url, proxied.headers, 1_000);
  await latencies(relayed.url, relayed.headers, 300);

  const sides = ['direct', 'proxied', 'relayed'] as const;
  const p50 = { direct: [] as number[], proxied: [] as number[], relayed: [] as number[] };
  const p99 = { direct: [] as number[], proxied: [] as number[], relayed: [] as number[] };
  const rps = { direct: [] as number[], proxied: [] as number[], relayed: [] as number[] };
  const loaded = { direct: [] as number[], proxied: [] as number[], relayed: [] as number[] };
  // CPU µs spent during the concurrent phases, per process.
  const cpu = {
    direct: { app: 0, provider: 0, load: 0 },
    proxied: { app: 0, provider: 0, load: 0 },
    relayed: { app: 0, provider: 0, load: 0 },
  };
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of sides) {
      const target = name === 'direct' ? direct : name === 'proxied' ? proxied : relayed;
      const l = await latencies(target.url, target.headers, SEQUENTIAL / ROUNDS);
      p50[name].push(pct(l, 0.5));
      p99[name].push(pct(l, 0.99));
      // The middle process: the provider, or the relay on the relayed path.
      const hop = name === 'relayed' ? relay.pid : provider.pid;
      const before = { app: treeCpuUs(app.pid), provider: treeCpuUs(hop), load: ownCpuUs() };
      rps[name].push(await throughput(target.url, target.headers, CONCURRENT / ROUNDS, loaded[name]));
      cpu[name].app += treeCpuUs(app.pid) - before.app;
      cpu[name].provider += treeCpuUs(hop) - before.provider;
      cpu[name].load += ownCpuUs() - before.load;
    }
  }

  const out = (line: string) => process.stdout.write(`${line}\n`);
  const row = (label: string, d: number, p: number, unit: string, digits = 3) =>
    `${label.padEnd(24)} direct ${d.toFixed(digits)} ${unit}  proxied ${p.toFixed(digits)} ${unit}  ratio ${(p / d).toFixed(2)}×`;
  out(
    `proxy benchmark: GET /signals?limit=10 of the detector app (${signals} signals, ${directBody.length} bytes), direct vs /api/detectors/${APP_KEY}/… through the provider; log level ${LOG_LEVEL}`,
  );
  out(
    `${ROUNDS} alternating rounds, ${SEQUENTIAL} sequential + ${CONCURRENT} requests at concurrency ${CONCURRENCY} per side; provider, app (both bundled, as shipped) and load generator in their own processes`,
  );
  const [d50, x50] = [median(p50.direct), median(p50.proxied)];
  out(`${row('p50 latency', d50, x50, 'ms')}   (target ≤ 1.25×; the hop adds ${((x50 - d50) * 1000).toFixed(0)} µs)`);
  out(row('p99 latency', median(p99.direct), median(p99.proxied), 'ms'));
  const [ld, lp] = [loaded.direct.sort((a, b) => a - b), loaded.proxied.sort((a, b) => a - b)];
  out(
    `${row(`p50 at concurrency ${CONCURRENCY}`, pct(ld, 0.5), pct(lp, 0.5), 'ms')}   (p99 ${pct(ld, 0.99).toFixed(3)} vs ${pct(lp, 0.99).toFixed(3)} ms)`,
  );
  const [dr, pr] = [median(rps.direct), median(rps.proxied)];
  out(
    `${'throughput'.padEnd(24)} direct ${dr.toFixed(0)} req/s  proxied ${pr.toFixed(0)} req/s  ratio ${(pr / dr).toFixed(2)}×   (target ≥ 0.8×)`,
  );
  const r50 = median(p50.relayed);
  const rr = median(rps.relayed);
  out(
    `${'floor: bare TCP relay'.padEnd(24)} p50 ${r50.toFixed(3)} ms = ${(r50 / d50).toFixed(2)}× direct (adds ${((r50 - d50) * 1000).toFixed(0)} µs), ${rr.toFixed(0)} req/s = ${(rr / dr).toFixed(2)}× direct; the provider's hop costs ${((x50 - r50) * 1000).toFixed(0)} µs more than copying bytes`,
  );
  const per = (us: number) => (us / CONCURRENT).toFixed(0).padStart(4);
  for (const name of sides) {
    const c = cpu[name];
    out(
      `${`CPU per request, ${name}`.padEnd(24)} app ${per(c.app)} µs  ${name === 'relayed' ? 'relay   ' : 'provider'} ${per(c.provider)} µs  load generator ${per(c.load)} µs  all ${per(c.app + c.provider + c.load)} µs`,
    );
  }
  const all = (c: (typeof cpu)['direct']) => c.app + c.provider + c.load;
  out(
    `${'CPU-bound rate ratio'.padEnd(24)} ${(all(cpu.direct) / all(cpu.proxied)).toFixed(2)}× (requests per CPU-second of all three processes, proxied/direct)`,
  );

  agent.destroy();
  await relay.stop();
  await app.stop();
  await provider.stop();
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
