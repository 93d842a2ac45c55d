// The range read streamed as JSON built by PostgreSQL (pg Pool on PostgreSQL, Prisma on PGlite)
// must carry exactly the bars the object read returns, across batch boundaries and for no bars.
import { createDatabase } from '@barfinex/db';
import { createTestPglite } from '@barfinex/db/testing';
import type { Database } from '@barfinex/db';
import { createTestDatabase, describeWithPostgres } from '@barfinex/testing';
import type { TestDatabase } from '@barfinex/testing';
import { createCandlesRepository } from './candles.repository';
import type { CandleRow, SeriesKey } from './candles.repository';

const T0 = Date.UTC(2026, 0, 1);
const series: SeriesKey = { connectorType: 'sim', marketType: 'spot', symbol: 'BTCUSDT', interval: 'min1' };
const PRICES = ['60000', '0.00000001', '123.45', '99999999.123456789012345678', '1.5'];

function bars(n: number): CandleRow[] {
  return Array.from({ length: n }, (_, i) => {
    const p = PRICES[i % PRICES.length] ?? '1';
    return {
      ...series,
      openTime: T0 + i * 60_000,
      closeTime: T0 + i * 60_000 + 59_999,
      open: p,
      high: p,
      low: p,
      close: p,
      volume: i % 3 === 0 ? '0' : '1.25',
      trades: i,
      closed: i % 2 === 0,
    };
  });
}

async function streamed(repo: ReturnType<typeof createCandlesRepository>, from: number, to: number, limit: number) {
  const chunks: string[] = [];
  await repo.writeRangeJson(series, from, to, limit, (c) => chunks.push(c));
  return { chunks, parsed: JSON.parse(chunks.join('')) as unknown[] };
}

function rangeJsonContract(open: () => Promise<{ db: Database; done: () => Promise<void> }>) {
  let db: Database;
  let done: () => Promise<void>;
  let repo: ReturnType<typeof createCandlesRepository>;
  beforeAll(async () => {
    ({ db, done } = await open());
    repo = createCandlesRepository(db.prisma, { pool: db.pool });
    await repo.upsert(bars(2_345));
  });
  afterAll(() => done());

  it('streams exactly the bars the object read returns, in batches', async () => {
    const to = T0 + 2_344 * 60_000;
    const { chunks, parsed } = await streamed(repo, T0, to, 100_000);
    expect(chunks.length).toBe(3);
    expect(parsed).toEqual(await repo.range(series, T0, to, 100_000));
    expect(parsed[1]).toEqual({
      ...series,
      time: T0 + 60_000,
      closeTime: T0 + 119_999,
      open: '0.00000001',
      high: '0.00000001',
      low: '0.00000001',
      close: '0.00000001',
      volume: '1.25',
      trades: 1,
      closed: false,
    });
  });

  it('honours the bounds and the limit, and writes [] for no bars', async () => {
    expect(
      (await streamed(repo, T0 + 60_000, T0 + 180_000, 100)).parsed.map((b) => (b as { time: number }).time),
    ).toEqual([T0 + 60_000, T0 + 120_000, T0 + 180_000]);
    expect((await streamed(repo, T0, T0 + 10 * 60_000, 2)).parsed).toHaveLength(2);
    expect((await streamed(repo, 0, T0 - 1, 100)).chunks).toEqual(['[]']);
  });
}

describe('candle range as JSON on PGlite (through Prisma)', () => {
  rangeJsonContract(async () => {
    const db = await createTestPglite();
    return { db, done: () => db.close() };
  });
});

describeWithPostgres('candle range as JSON on PostgreSQL (streamed from the pool)', () => {
  rangeJsonContract(async () => {
    const pg: TestDatabase = await createTestDatabase('candles_json');
    const db = await createDatabase({ url: pg.url });
    return {
      db,
      done: async () => {
        await db.close();
        await pg.drop();
      },
    };
  });
});
