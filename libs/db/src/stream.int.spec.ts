// streamRows against a real PostgreSQL: rows arrive in order as arrays, errors reject, and the
// pooled connection is usable (or replaced) afterwards.
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '@barfinex/testing';
import { Pool } from 'pg';
import { streamRows } from './stream';

describeWithPostgres('streamRows', () => {
  let testDb: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    testDb = await createTestDatabase('bfxstream');
    pool = new Pool({ connectionString: testDb.url, max: 1 });
  });
  afterAll(async () => {
    await pool.end();
    await testDb.drop();
  });

  it('hands on every row, in order, as column arrays', async () => {
    const rows: unknown[][] = [];
    const n = await streamRows(
      pool,
      { text: 'SELECT i, $1::text || i AS s FROM generate_series(1, $2::int) i', values: ['r', 2500] },
      (r) => rows.push(r),
    );
    expect(n).toBe(2500);
    expect(rows[0]).toEqual([1, 'r1']);
    expect(rows[2499]).toEqual([2500, 'r2500']);
  });

  it('rejects on a query error and leaves the pool working', async () => {
    await expect(streamRows(pool, { text: 'SELECT 1/0' }, () => undefined)).rejects.toThrow(/division by zero/);
    expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('rejects with what the row handler threw, after the query finished', async () => {
    let seen = 0;
    const failing = streamRows(pool, { text: 'SELECT generate_series(1, 100)' }, () => {
      seen++;
      throw new Error('sink closed');
    });
    await expect(failing).rejects.toThrow('sink closed');
    expect(seen).toBe(1);
    expect((await pool.query('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
  });
});
