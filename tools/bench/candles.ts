// Candle range query: 30 days of 1-minute candles (43,200 rows) read through the provider's REST
// route (HTTP + auth + validation + JSON) versus the same rows read with raw SQL through `pg`,
// measured alternately in one run. Target: REST ≤ 1.5× raw SQL. Needs PostgreSQL at
// TEST_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/test).
//   npx tsx --conditions=development tools/bench/candles.ts
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { createMemoryBus } from '@barfinex/bus';
import { createDatabase } from '@barfinex/db';
import { createTestDatabase } from '@barfinex/testing';
import { createCandlesRepository } from '@barfinex/provider/bench';
import type { CandleRow } from '@barfinex/provider/bench';
import { startProvider } from '@barfinex/provider/bench';

const ROWS = 43_200;
const ROUNDS = 7;
const START = Date.UTC(2026, 0, 1);

async function main(): Promise<void> {
  const pg = await createTestDatabase('bench_candles');
  const db = await createDatabase({ url: pg.url });
  const rows: CandleRow[] = [];
  let price = 60000;
  for (let i = 0; i < ROWS; i++) {
    const open = price;
    price = Math.max(1, price + Math.sin(i / 37) * 12 + ((i * 7919) % 13) - 6);
    rows.push({
      connectorType: 'sim',
      marketType: 'spot',
      symbol: 'BENCHUSDT',
      interval: 'min1',
      openTime: START + i * 60_000,
      closeTime: START + i * 60_000 + 59_999,
      open: open.toFixed(2),
      high: (Math.max(open, price) + 3).toFixed(2),
      low: (Math.min(open, price) - 3).toFixed(2),
      close: price.toFixed(2),
      volume: '1.2345',
      trades: 42,
      closed: true,
    });
  }
  await createCandlesRepository(db.prisma).upsert(rows);
  const h = await startProvider({ db, bus: createMemoryBus() });
  const raw = new Client({ connectionString: pg.url });
  await raw.connect();
  const from = START;
  const to = START + (ROWS - 1) * 60_000;
  const url = `${h.baseUrl}/api/candles/sim/spot/BENCHUSDT/min1?from=${from}&to=${to}`;

  const viaRest = async () => {
    const res = await fetch(url, { headers: h.auth });
    const body = (await res.json()) as unknown[];
    if (body.length !== ROWS) throw new Error(`REST returned ${body.length} rows`);
  };
  const viaSql = async () => {
    const r = await raw.query(
      'SELECT * FROM candles WHERE connector_type=$1 AND market_type=$2 AND symbol=$3 AND interval=$4 AND open_time >= $5 AND open_time <= $6 ORDER BY open_time',
      ['sim', 'spot', 'BENCHUSDT', 'min1', from, to],
    );
    if (r.rows.length !== ROWS) throw new Error(`SQL returned ${r.rows.length} rows`);
  };
  await viaRest();
  await viaSql();
  const rest: number[] = [];
  const sql: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    let t = performance.now();
    await viaSql();
    sql.push(performance.now() - t);
    t = performance.now();
    await viaRest();
    rest.push(performance.now() - t);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  const r = median(rest);
  const s = median(sql);
  console.log(
    `candle range, ${ROWS} rows, median of ${ROUNDS}: REST ${r.toFixed(1)} ms, raw SQL ${s.toFixed(1)} ms, ratio ${(r / s).toFixed(2)}x (target <= 1.5x)`,
  );
  await raw.end();
  await h.stop();
  await db.close();
  await pg.drop();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
