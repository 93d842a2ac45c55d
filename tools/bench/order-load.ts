/**
 * Order load: simulated MARKET orders through `POST /api/orders` at concurrency 32 against the
 * provider as operators run it (its own process, sim exchange ticking: by default the image's
 * form, an esbuild bundle of `apps/provider/src/main.ts` run with the image's node flags; with
 * BENCH_PROVIDER_FORM=source its TypeScript under tsx, as `npm run start:provider` runs it), next to a
 * cheap authenticated GET (`GET /api/symbols/sim/spot`) at the same concurrency in the same run.
 * Rounds alternate (GET, orders, GET, orders, ...) so machine noise hits both alike; orders/s,
 * p50 and p99 per side and the ratio orders/s : GETs/s are printed.
 * Twice: on PostgreSQL (TEST_DATABASE_URL, NATS at NATS_URL when it answers) and on the embedded
 * PGlite with the in-memory bus (the `npm start` default).
 *
 * On PostgreSQL + NATS a third side runs in the same rounds: the physical floor of an order on this
 * machine — the durable I/O no order can skip, done by a bare client at the same concurrency: the
 * write-ahead row inserted, its CREATE, FILL and CLOSE published to JetStream with their acks
 * awaited, the row updated. No HTTP, no validation, no matching, no event sink. The provider's
 * orders/s over the floor's is what the order path costs beyond the I/O itself.
 *
 * Each order round also prints the CPU per order of every process on the path (provider, the
 * PostgreSQL server's processes, the NATS server, this client), read from /proc: on a machine
 * whose cores they all share, that is where an order's time goes.
 *
 * Run: npx tsx --conditions=development tools/bench/order-load.ts [orders per round=4000] [rounds=5]
 *   [warm-up orders and GETs=10000]
 */
import { Agent, request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { connect, JSONCodec } from 'nats';
import pg from 'pg';
import { createTestDatabase, deleteNatsStream, startProviderProcess } from '@barfinex/testing';
import { shippedProvider } from './bundled';
import type { ProviderProcess } from '@barfinex/testing';
import { commCpuMs, groupCpuMs } from './proc-cpu';
import { reachable } from './reachable';

const PER_ROUND = Number(process.argv[2] ?? 4000);
const ROUNDS = Number(process.argv[3] ?? 5);
const WARM_UP = Number(process.argv[4] ?? 10_000);
if (!Number.isInteger(WARM_UP) || WARM_UP < 0)
  throw new Error(`warm-up must be a whole number of requests, not ${process.argv[4]}`);
const CONCURRENCY = 32;
const NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';

interface Result {
  perSecond: number;
  latencies: number[];
  /** CPU the provider's processes spent per request (ms): steadier than wall time on a busy machine. */
  cpuMs: number;
  /** CPU per request (ms) of the other processes on the path: the database server, the NATS server, this client. */
  others: { postgres: number; nats: number; client: number };
}

/** CPU of the database server, the NATS server and this process, to diff around a round. */
function othersCpu(): { postgres: number; nats: number; client: number } {
  const self = process.cpuUsage();
  return { postgres: commCpuMs('postgres'), nats: commCpuMs('nats-server'), client: (self.user + self.system) / 1000 };
}

function at(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * q))] ?? NaN;
}

/** `count` requests, `CONCURRENCY` in flight, over keep-alive connections; every answer must have `expect` status. */
async function drive(
  p: ProviderProcess,
  count: number,
  make: (i: number) => { method: string; path: string; body?: string },
  expect: number,
): Promise<Result> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies: number[] = [];
  let next = 0;
  const one = (i: number) =>
    new Promise<void>((resolve, reject) => {
      const spec = make(i);
      const t0 = performance.now();
      const req = request(
        {
          host: '127.0.0.1',
          port: p.port,
          method: spec.method,
          path: spec.path,
          agent,
          headers: {
            ...p.auth,
            ...(spec.body
              ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(spec.body) }
              : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            latencies.push(performance.now() - t0);
            if (res.statusCode !== expect)
              reject(
                new Error(
                  `${spec.method} ${spec.path} answered ${res.statusCode}: ${Buffer.concat(chunks).toString().slice(0, 300)}`,
                ),
              );
            else resolve();
          });
        },
      );
      req.once('error', reject);
      req.end(spec.body);
    });
  const cpu0 = groupCpuMs(p.pid);
  const others0 = othersCpu();
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < count; i = next++) await one(i);
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  const others1 = othersCpu();
  return {
    perSecond: count / seconds,
    latencies,
    cpuMs: (groupCpuMs(p.pid) - cpu0) / count,
    others: {
      postgres: (others1.postgres - others0.postgres) / count,
      nats: (others1.nats - others0.nats) / count,
      client: (others1.client - others0.client) / count,
    },
  };
}

/** `count` floor orders, `CONCURRENCY` in flight: insert, three JetStream publishes with acks, update. */
type FloorOrder = (i: number) => Promise<void>;

async function driveFloor(count: number, one: FloorOrder): Promise<Result> {
  const latencies: number[] = [];
  let next = 0;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < count; i = next++) {
        const t0 = performance.now();
        await one(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000 / count;
  return { perSecond: count / seconds, latencies, cpuMs, others: { postgres: NaN, nats: NaN, client: cpuMs } };
}

async function createFloor(
  databaseUrl: string,
  natsUrl: string,
  runId: string,
): Promise<{ one: FloorOrder; close(): Promise<void> }> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  await pool.query(
    'CREATE TABLE IF NOT EXISTS floor_orders (id text PRIMARY KEY, status text NOT NULL, filled numeric NOT NULL, updated_at timestamptz NOT NULL)',
  );
  const nc = await connect({ servers: natsUrl });
  const jsm = await nc.jetstreamManager();
  const stream = `FLOOR_${runId}`;
  await jsm.streams.add({ name: stream, subjects: [`floor${runId}.>`] });
  const js = nc.jetstream();
  const codec = JSONCodec();
  const publish = (id: string, type: string) =>
    js.publish(`floor${runId}.${type}`, codec.encode({ id, type, timestamp: Date.now() }), { msgID: `${id}:${type}` });
  let seq = 0;
  return {
    async one() {
      const id = `f-${runId}-${seq++}`;
      await pool.query('INSERT INTO floor_orders (id, status, filled, updated_at) VALUES ($1, $2, 0, now())', [
        id,
        'NEW',
      ]);
      await publish(id, 'create');
      await publish(id, 'fill');
      await pool.query('UPDATE floor_orders SET status = $2, filled = $3, updated_at = now() WHERE id = $1', [
        id,
        'FILLED',
        '0.01',
      ]);
      await publish(id, 'close');
    },
    async close() {
      await jsm.streams.delete(stream).catch(() => undefined);
      await nc.close();
      await pool.end();
    },
  };
}

async function measure(label: string, p: ProviderProcess, floor?: FloorOrder): Promise<void> {
  let seq = 0;
  const order = (i: number) => ({
    method: 'POST',
    path: '/api/orders',
    // Buys and sells alternate, so the account's balances stay where they started.
    body: JSON.stringify({
      symbol: 'ETHUSDT',
      side: i % 2 === 0 ? 'BUY' : 'SELL',
      type: 'MARKET',
      quantity: '0.01',
      connectorType: 'sim',
      marketType: 'spot',
      clientOrderId: `load-${label.replace(/[^A-Za-z]/g, '')}-${seq++}`,
    }),
  });
  const get = () => ({ method: 'GET', path: '/api/symbols/sim/spot' });
  // A stock of ETH first, so the sells interleaved with buys below always have something to sell.
  await drive(
    p,
    1,
    () => ({
      method: 'POST',
      path: '/api/orders',
      body: JSON.stringify({
        symbol: 'ETHUSDT',
        side: 'BUY',
        type: 'MARKET',
        quantity: '2',
        connectorType: 'sim',
        marketType: 'spot',
        clientOrderId: `load-stock-${Date.now()}`,
      }),
    }),
    201,
  );
  // Warm-up: JIT, connection pools, prepared statements. The JIT takes thousands of orders: in
  // `order-sustained.ts` the provider's CPU per order falls from about 2 ms in the first 5,000 to
  // about 1 ms by 15,000, and after 300 warm-up orders this bench measured 1.62 ms per order and
  // 0.52 ms per GET where 15,000 gave 1.12 and 0.34 ms (the same ratio). Operators run the
  // provider for days: the rounds measure it warm.
  await drive(p, WARM_UP, order, 201);
  await drive(p, WARM_UP, get, 200);
  if (floor) await driveFloor(300, floor);
  const orders: Result[] = [];
  const gets: Result[] = [];
  const floors: Result[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    gets.push(await drive(p, PER_ROUND, get, 200));
    orders.push(await drive(p, PER_ROUND, order, 201));
    if (floor) floors.push(await driveFloor(PER_ROUND, floor));
  }
  const rate = (rs: Result[]) => rs.reduce((s, r) => s + r.perSecond, 0) / rs.length;
  const all = (rs: Result[]) => rs.flatMap((r) => r.latencies);
  const cpu = (rs: Result[]) => rs.reduce((s, r) => s + r.cpuMs, 0) / rs.length;
  const line = (name: string, rs: Result[]) =>
    `  ${name.padEnd(28)} ${rate(rs).toFixed(0).padStart(6)}/s  p50 ${at(all(rs), 0.5).toFixed(1)} ms  p99 ${at(all(rs), 0.99).toFixed(1)} ms  provider CPU ${cpu(rs).toFixed(2)} ms/request  (rounds: ${rs.map((r) => r.perSecond.toFixed(0)).join(', ')})`;
  // Everything here shares the machine's cores: the load average says how much else ran meanwhile.
  console.log(
    `${label}: ${ROUNDS} rounds of ${PER_ROUND}, concurrency ${CONCURRENCY}, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ')}`,
  );
  console.log(line('POST /api/orders (MARKET)', orders));
  // Where the machine's cores go per order: every process on the path shares them.
  const mean = (f: (r: Result) => number) => orders.reduce((sum, r) => sum + f(r), 0) / orders.length;
  console.log(
    `    CPU per order across the machine: provider ${cpu(orders).toFixed(2)} ms, PostgreSQL ${mean((r) => r.others.postgres).toFixed(2)} ms, NATS server ${mean((r) => r.others.nats).toFixed(2)} ms, this client ${mean((r) => r.others.client).toFixed(2)} ms`,
  );
  console.log(line('GET /api/symbols/sim/spot', gets));
  if (floor) console.log(line('floor (bare PG + JetStream)', floors).replace('provider CPU', 'client CPU'));
  console.log(
    `  orders : GET = ${(rate(orders) / rate(gets)).toFixed(2)}x by rate, ${(cpu(gets) / cpu(orders)).toFixed(2)}x by provider CPU per request`,
  );
  if (floor) {
    console.log(
      `  orders : floor = ${(rate(orders) / rate(floors)).toFixed(2)}x by rate (the order path's cost beyond its durable I/O)`,
    );
    // The floor's I/O alone, with no HTTP, validation, matching or event sink, against the GET: how
    // far the orders : GET target is from what this machine's cores do for an order's durable writes.
    console.log(
      `  floor : GET = ${(rate(floors) / rate(gets)).toFixed(2)}x by rate (an order's durable I/O alone, without HTTP, against the GET)`,
    );
  }
  const p99 = at(all(orders), 0.99);
  console.log(
    `  targets: >= 1,000 orders/s: ${rate(orders).toFixed(0)}/s (${(rate(orders) / 1000).toFixed(2)}x); p99 < 100 ms: ${p99.toFixed(1)} ms (${p99 < 100 ? 'met' : 'not met'}); orders : GET >= 0.4x: ${(rate(orders) / rate(gets)).toFixed(2)}x${floor ? `, against a floor of ${(rate(floors) / rate(gets)).toFixed(2)}x` : ''}`,
  );
}

async function main(): Promise<void> {
  const nats = (await reachable(NATS_URL)) ? NATS_URL : undefined;
  const env = { LOG_LEVEL: 'warn', SIM_SYMBOLS: 'BTCUSDT,ETHUSDT' };
  const form = await shippedProvider();
  console.log(`provider: ${form.label}`);

  const pg = await createTestDatabase('bench_load');
  const onPg = await startProviderProcess({
    databaseUrl: pg.url,
    ...(nats ? { natsUrl: nats } : {}),
    env,
    launch: form.launch,
  });
  const floor = nats ? await createFloor(pg.url, nats, onPg.streamName.replace(/^BFX_/, '')) : undefined;
  try {
    await measure(`PostgreSQL + ${nats ? 'NATS' : 'memory bus'}`, onPg, floor?.one);
  } finally {
    await floor?.close();
    await onPg.stop();
    if (nats) await deleteNatsStream(onPg.streamName, nats);
    await pg.drop();
  }

  const dir = mkdtempSync(join(tmpdir(), 'bench-load-'));
  const onPglite = await startProviderProcess({
    databaseUrl: `pglite:${join(dir, 'pglite')}`,
    env,
    launch: form.launch,
  });
  try {
    await measure('PGlite + memory bus', onPglite);
  } finally {
    await onPglite.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
