/**
 * Sustained orders: simulated MARKET orders through `POST /api/orders` at concurrency 32, without a
 * pause, against the provider as operators run it (its own process, as the image runs it unless
 * BENCH_PROVIDER_FORM=source, see bundled.ts; PostgreSQL, NATS when it answers), reported per
 * window of orders: orders/s, p50/p99, and the CPU per order of the provider and of PostgreSQL.
 * A short benchmark measures a fresh database; this one shows whether the order path stays as fast
 * as its tables fill with orders, fills, events and the dead rows that updates and deletes leave.
 * It ends with the last window's rate over the second's (the first warms up), and with the live
 * and dead rows of the tables the order path churns.
 *
 * Twice, side by side: with the provider's table care off (PROVIDER_TABLE_CARE_MS=0) and as it ships.
 * On a server whose autovacuum is off (and on PGlite) the care is all that vacuums and analyzes;
 * where autovacuum runs, the provider leaves it to the server and both runs are alike.
 *
 * Run: npx tsx --conditions=development tools/bench/order-sustained.ts [orders=60000] [window=5000]
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { createTestDatabase, deleteNatsStream, startProviderProcess } from '@barfinex/testing';
import { shippedProvider, type ProviderLaunch } from './bundled';
import { commCpuMs, groupCpuMs } from './proc-cpu';
import { reachable } from './reachable';

const TOTAL = Number(process.argv[2] ?? 60_000);
const WINDOW = Number(process.argv[3] ?? 5_000);
const CONCURRENCY = 32;
const NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
const CHURNED = ['orders', 'sim_state_parts', 'event_outbox', 'candles'];

const at = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? NaN;

/** One provider on a fresh database, `TOTAL` orders; resolves with the windows' rates. */
async function sustain(
  label: string,
  env: Record<string, string>,
  nats: string | undefined,
  launch: ProviderLaunch,
): Promise<number[]> {
  const db = await createTestDatabase('bench_sustained');
  const p = await startProviderProcess({
    databaseUrl: db.url,
    ...(nats ? { natsUrl: nats } : {}),
    env: { LOG_LEVEL: 'warn', SIM_SYMBOLS: 'BTCUSDT,ETHUSDT', ...env },
    launch,
  });
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies: number[] = [];
  const order = (body: object) =>
    new Promise<void>((resolve, reject) => {
      const text = JSON.stringify(body);
      const t0 = performance.now();
      const req = request(
        {
          host: '127.0.0.1',
          port: p.port,
          method: 'POST',
          path: '/api/orders',
          agent,
          headers: { ...p.auth, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - t0);
            if (res.statusCode === 201) resolve();
            else reject(new Error(`POST /api/orders answered ${res.statusCode}`));
          });
        },
      );
      req.once('error', reject);
      req.end(text);
    });
  const market = { symbol: 'ETHUSDT', type: 'MARKET', connectorType: 'sim', marketType: 'spot' };
  const rates: number[] = [];
  try {
    // A stock of ETH first, so the sells interleaved with buys always have something to sell.
    await order({ ...market, side: 'BUY', quantity: '2' });
    console.log(
      `${label}, PostgreSQL + ${nats ? 'NATS' : 'memory bus'}: ${TOTAL} orders in windows of ${WINDOW}, concurrency ${CONCURRENCY}`,
    );
    let next = 0;
    let done = 0;
    let mark = { t: performance.now(), provider: groupCpuMs(p.pid), postgres: commCpuMs('postgres') };
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = next++; i < TOTAL; i = next++) {
          await order({ ...market, side: i % 2 === 0 ? 'BUY' : 'SELL', quantity: '0.01', clientOrderId: `sus-${i}` });
          if (++done % WINDOW !== 0) continue;
          const now = { t: performance.now(), provider: groupCpuMs(p.pid), postgres: commCpuMs('postgres') };
          const sorted = latencies.splice(0).sort((a, b) => a - b);
          const rate = WINDOW / ((now.t - mark.t) / 1000);
          rates.push(rate);
          console.log(
            `  ${String(done).padStart(7)} orders  ${rate.toFixed(0).padStart(5)}/s  p50 ${at(sorted, 0.5).toFixed(1)} ms  p99 ${at(sorted, 0.99).toFixed(1)} ms  CPU per order: provider ${((now.provider - mark.provider) / WINDOW).toFixed(2)} ms, PostgreSQL ${((now.postgres - mark.postgres) / WINDOW).toFixed(2)} ms`,
          );
          mark = now;
        }
      }),
    );
    const second = rates[1] ?? rates[0] ?? NaN;
    const last = rates[rates.length - 1] ?? NaN;
    console.log(`  last window : second window = ${(last / second).toFixed(2)}x by rate`);
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const rows = await client.query<{ relname: string; n_live_tup: string; n_dead_tup: string }>(
        `SELECT relname, n_live_tup, n_dead_tup FROM pg_stat_user_tables WHERE relname = ANY($1::text[]) ORDER BY relname`,
        [CHURNED],
      );
      console.log(
        `  rows at the end (live / dead): ${rows.rows.map((r) => `${r.relname} ${r.n_live_tup} / ${r.n_dead_tup}`).join(', ')}`,
      );
    } finally {
      await client.end();
    }
  } finally {
    agent.destroy();
    await p.stop();
    if (nats) await deleteNatsStream(p.streamName, nats);
    await db.drop();
  }
  return rates;
}

async function main(): Promise<void> {
  const nats = (await reachable(NATS_URL)) ? NATS_URL : undefined;
  const admin = new pg.Client({
    connectionString: process.env['TEST_DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/test',
  });
  await admin.connect();
  const autovacuum = (await admin.query<{ a: string }>(`SELECT current_setting('autovacuum') AS a`)).rows[0]?.a;
  await admin.end();
  const form = await shippedProvider();
  console.log(`server autovacuum: ${autovacuum}; provider: ${form.label}`);
  const off = await sustain('table care off', { PROVIDER_TABLE_CARE_MS: '0' }, nats, form.launch);
  const on = await sustain('table care on (default)', {}, nats, form.launch);
  const mean = (xs: number[]) => xs.slice(1).reduce((a, b) => a + b, 0) / Math.max(1, xs.length - 1);
  console.log(
    `on : off = ${(mean(on) / mean(off)).toFixed(2)}x by mean rate after the first window, ${((on[on.length - 1] ?? NaN) / (off[off.length - 1] ?? NaN)).toFixed(2)}x in the last window`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
