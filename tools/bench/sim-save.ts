/**
 * Simulator save cost: what persisting the state costs after one order, once the market has run
 * a day (full 24 h ticker windows, 500 recent trades per market) and ~1500 orders exist (500
 * resting + 1000 retained closed). Side by side on the same state, alternating per order:
 *
 * - whole: the former store (snapshot → one JSON string → one key_values row upsert);
 * - incremental: the state store (core + changed orders in one statement; market parts at most
 *   every 5 s, as in the provider);
 * - incremental, all: the same with every changed market part written too (persist()/stop()).
 *
 * Wall time per save (median and p99) and main-thread CPU per save (process.cpuUsage; with PGlite
 * the database runs on that thread too). PostgreSQL at TEST_DATABASE_URL (default
 * postgresql://postgres@127.0.0.1:5432/test) and in-memory PGlite.
 *
 * Run: npx tsx --conditions=development tools/bench/sim-save.ts [saves=200]
 */
import { performance } from 'node:perf_hooks';
import { createDatabase } from '@barfinex/db';
import type { Database } from '@barfinex/db';
import { createTestDatabase } from '@barfinex/testing';
import { DEFAULT_SIM_SYMBOLS, createSimClock, createSimExchange } from '@barfinex/provider/bench';
import type { SimExchange } from '@barfinex/provider/bench';
import { createSimStateStore } from '@barfinex/provider/bench';

const SAVES = Number(process.argv[2] ?? 200);
const SYMBOLS = DEFAULT_SIM_SYMBOLS.filter((s) => ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'].includes(s.symbol));

function build(): SimExchange {
  const ex = createSimExchange({
    seed: 42,
    symbols: SYMBOLS,
    clock: createSimClock({ startMs: Date.UTC(2026, 0, 5), paused: true }),
  });
  ex.step(86_400_000);
  const btc = Number(ex.lastPrice('spot', 'BTCUSDT'));
  for (let i = 0; i < 1000; i++)
    ex.placeOrder('main', {
      marketType: 'spot',
      symbol: 'BTCUSDT',
      side: i % 2 ? 'SELL' : 'BUY',
      type: 'MARKET',
      quantity: '0.001',
    });
  for (let i = 0; i < 500; i++) {
    ex.placeOrder('main', {
      marketType: i % 2 ? 'futures' : 'spot',
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      quantity: '0.001',
      price: (Math.round(btc * (0.5 + i / 10_000) * 100) / 100).toFixed(2),
    });
  }
  return ex;
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(s.length * q))] ?? NaN;
  return { p50: at(0.5), p99: at(0.99), mean: xs.reduce((a, b) => a + b, 0) / xs.length };
};

async function run(label: string, db: Database): Promise<void> {
  const ex = build();
  const snapshotBytes = JSON.stringify(ex.snapshot()).length;
  const store = createSimStateStore({ prisma: db.prisma, key: 'sim:bench', exchange: ex });
  await store.load();
  await store.save({ all: true });
  const whole = async () => {
    const value = JSON.stringify(ex.snapshot());
    await db.prisma.$executeRawUnsafe(
      `INSERT INTO key_values (key, value, updated_at) VALUES ($1, $2::jsonb, $3)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at`,
      'sim:bench-whole',
      value,
      Date.now(),
    );
  };
  const kinds = { whole, incremental: () => store.save(), 'incremental, all': () => store.save({ all: true }) };
  const wall = new Map<string, number[]>(Object.keys(kinds).map((k) => [k, []]));
  const cpu = new Map<string, number[]>(Object.keys(kinds).map((k) => [k, []]));
  const btc = Number(ex.lastPrice('spot', 'BTCUSDT'));
  for (let i = -20; i < SAVES; i++) {
    for (const [kind, save] of Object.entries(kinds)) {
      // Each save follows one new resting order and one market step, as in the provider.
      ex.placeOrder('main', {
        marketType: 'spot',
        symbol: 'BTCUSDT',
        side: 'BUY',
        type: 'LIMIT',
        quantity: '0.001',
        price: (Math.round(btc * 0.4 * 100) / 100).toFixed(2),
      });
      ex.step(250);
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await save();
      const t = performance.now() - t0;
      const c = process.cpuUsage(c0);
      if (i < 0) continue;
      wall.get(kind)?.push(t);
      cpu.get(kind)?.push((c.user + c.system) / 1000);
    }
  }
  console.log(
    `${label}: ${ex.snapshot().orders.length} orders, whole snapshot ${(snapshotBytes / 1e6).toFixed(2)} MB of JSON, ${SAVES} saves each`,
  );
  const base = stats(wall.get('whole') ?? []);
  const baseCpu = stats(cpu.get('whole') ?? []);
  for (const kind of Object.keys(kinds)) {
    const w = stats(wall.get(kind) ?? []);
    const c = stats(cpu.get(kind) ?? []);
    console.log(
      `  ${kind.padEnd(18)} wall p50 ${w.p50.toFixed(2)} ms  p99 ${w.p99.toFixed(2)} ms   cpu ${c.mean.toFixed(2)} ms/save` +
        (kind === 'whole'
          ? ''
          : `   (whole / this: wall p50 ${(base.p50 / w.p50).toFixed(1)}×, cpu ${(baseCpu.mean / c.mean).toFixed(1)}×)`),
    );
  }
}

async function main(): Promise<void> {
  const pg = await createTestDatabase('bench_sim_save');
  const postgres = await createDatabase({ url: pg.url });
  await run('PostgreSQL', postgres);
  await postgres.close();
  await pg.drop();
  const pglite = await createDatabase({ url: 'pglite:memory' });
  await run('PGlite (in memory)', pglite);
  await pglite.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
