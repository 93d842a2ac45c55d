// Authentication cost: throughput of a cheap authenticated GET (`/api/connectors`) with a scoped
// token (read, restricted to a symbol, rate-metered with a limit it never reaches) versus the
// bootstrap PROVIDER_API_TOKEN, measured alternately in one run against one provider (embedded
// PGlite, in-memory bus). A scoped token is checked from the provider's in-memory cache: one
// SHA-256, one map lookup, one bucket; no database round trip. Target: scoped >= 0.9x bootstrap.
//   npx tsx --conditions=development tools/bench/auth.ts
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { createMemoryBus } from '@barfinex/bus';
import { createTestPglite } from '@barfinex/db/testing';
import { startProvider } from '@barfinex/provider/bench';

const ROUNDS = 6;
const REQUESTS = 4_000;
const CONCURRENCY = 16;

function get(agent: Agent, port: number, path: string, token: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, agent, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Requests per second for REQUESTS calls, CONCURRENCY at a time. */
async function throughput(agent: Agent, port: number, token: string): Promise<number> {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < REQUESTS) {
      next += 1;
      await get(agent, port, '/api/connectors', token);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return REQUESTS / ((performance.now() - started) / 1000);
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function main(): Promise<void> {
  const db = await createTestPglite();
  const h = await startProvider({
    db,
    bus: createMemoryBus(),
    env: { PROVIDER_TOKEN_RATE_PER_SEC: '1000000000', PROVIDER_TOKEN_RATE_BURST: '1000000000' },
  });
  const port = Number(new URL(h.baseUrl).port);
  const bootstrap = h.auth.Authorization.slice('Bearer '.length);
  const created = await fetch(`${h.baseUrl}/api/auth/tokens`, {
    method: 'POST',
    headers: { ...h.auth, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'bench-reader', scopes: ['read'], restrict: { symbols: ['BTCUSDT'] } }),
  });
  const { secret } = (await created.json()) as { secret: string };
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

  await throughput(agent, port, bootstrap);
  await throughput(agent, port, secret);
  const boot: number[] = [];
  const scoped: number[] = [];
  for (let i = 0; i < ROUNDS; i += 1) {
    // Alternate which goes first, so warm-up and drift fall on both sides alike.
    if (i % 2 === 0) {
      boot.push(await throughput(agent, port, bootstrap));
      scoped.push(await throughput(agent, port, secret));
    } else {
      scoped.push(await throughput(agent, port, secret));
      boot.push(await throughput(agent, port, bootstrap));
    }
  }
  const b = median(boot);
  const s = median(scoped);
  console.log(`GET /api/connectors, ${REQUESTS} requests x ${ROUNDS} rounds, ${CONCURRENCY} concurrent, keep-alive`);
  console.log(`bootstrap token: ${b.toFixed(0)} req/s (median)`);
  console.log(`scoped token:    ${s.toFixed(0)} req/s (median)`);
  console.log(`ratio scoped/bootstrap: ${(s / b).toFixed(3)}x (target >= 0.9x)`);
  agent.destroy();
  await h.stop();
  await db.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
