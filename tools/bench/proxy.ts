// Proxy overhead: GET through the provider's proxy (/api/detectors/:appKey/*) versus the same GET
// sent straight to the app, alternated round by round in one run. The provider and the app each run
// in their own process, as deployed; this process only generates load. Targets: p50 latency ratio
// ≤ 1.25× and requests/s ratio ≥ 0.8×.
//   npx tsx --conditions=development tools/bench/proxy.ts
import { spawn } from 'node:child_process';
import http from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createProviderClient } from '@barfinex/sdk';
import { findRepoRoot, startProviderProcess } from '@barfinex/testing';

const SEQUENTIAL = 2_000;
const CONCURRENT = 8_000;
const CONCURRENCY = 32;
const ROUNDS = 5;
const APP_TOKEN = 'bench-app-token';

async function startApp(): Promise<{ port: number; stop: () => void }> {
  const root = findRepoRoot(__dirname);
  const child = spawn(join(root, 'node_modules/.bin/tsx'), ['--conditions=development', join(root, 'tools/bench/proxy-app.ts')], { env: { ...process.env, APP_TOKEN }, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once('exit', (code) => reject(new Error(`bench app exited with ${code}`)));
  });
  return { port, stop: () => void child.kill('SIGTERM') };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function get(url: URL, headers: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`${url.pathname}: ${res.statusCode}`));
      res.resume();
      res.on('end', resolve);
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

async function throughput(url: URL, headers: Record<string, string>, n: number): Promise<number> {
  let next = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < n) await get(url, headers);
    }),
  );
  return n / ((performance.now() - t) / 1000);
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function main(): Promise<void> {
  const provider = await startProviderProcess({ env: { SIM_AUTOSTART: 'false', LOG_LEVEL: 'warn' } });
  const app = await startApp();
  const appUrl = `http://127.0.0.1:${app.port}`;
  const sdk = createProviderClient({ baseUrl: provider.baseUrl, token: provider.token });
  await sdk.registry.register({ appType: 'detector', appKey: 'bench', baseUrl: appUrl, meta: { apiToken: APP_TOKEN } });

  const direct = { url: new URL(`${appUrl}/signals?limit=10`), headers: { authorization: `Bearer ${APP_TOKEN}` } };
  const proxied = { url: new URL(`${provider.baseUrl}/api/detectors/bench/signals?limit=10`), headers: { authorization: `Bearer ${provider.token}` } };
  await latencies(direct.url, direct.headers, 300);
  await latencies(proxied.url, proxied.headers, 300);

  const p50 = { direct: [] as number[], proxied: [] as number[] };
  const p99 = { direct: [] as number[], proxied: [] as number[] };
  const rps = { direct: [] as number[], proxied: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, target] of [['direct', direct], ['proxied', proxied]] as const) {
      const l = await latencies(target.url, target.headers, SEQUENTIAL / ROUNDS);
      p50[name].push(pct(l, 0.5));
      p99[name].push(pct(l, 0.99));
      rps[name].push(await throughput(target.url, target.headers, CONCURRENT / ROUNDS));
    }
  }
  const row = (label: string, d: number, p: number, unit: string, digits = 3) => `${label.padEnd(22)} direct ${d.toFixed(digits)} ${unit}  proxied ${p.toFixed(digits)} ${unit}  ratio ${(p / d).toFixed(2)}×`;
  process.stdout.write(`proxy benchmark: ${ROUNDS} alternating rounds, ${SEQUENTIAL} sequential + ${CONCURRENT} requests at concurrency ${CONCURRENCY} per side\n`);
  process.stdout.write(`${row('p50 latency', median(p50.direct), median(p50.proxied), 'ms')}   (target ≤ 1.25×)\n`);
  process.stdout.write(`${row('p99 latency', median(p99.direct), median(p99.proxied), 'ms')}\n`);
  const dr = median(rps.direct);
  const pr = median(rps.proxied);
  process.stdout.write(`${'throughput'.padEnd(22)} direct ${dr.toFixed(0)} req/s  proxied ${pr.toFixed(0)} req/s  ratio ${(pr / dr).toFixed(2)}×   (target ≥ 0.8×)\n`);

  sdk.close();
  agent.destroy();
  app.stop();
  await provider.stop();
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
