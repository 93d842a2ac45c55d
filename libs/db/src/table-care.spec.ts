import type { Database } from './database';
import { autovacuumRuns, createTableCare } from './table-care';
import { createTestPglite } from './test-pglite';

interface Stat {
  relname: string;
  last_vacuum: Date | null;
  last_analyze: Date | null;
}

describe('table care on PGlite', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestPglite();
  });
  afterAll(async () => {
    await db.close();
  });

  const stats = (tables: string[]) =>
    db.prisma.$queryRawUnsafe<Stat[]>(
      `SELECT relname, last_vacuum, last_analyze FROM pg_stat_user_tables WHERE relname = ANY($1::text[]) ORDER BY relname`,
      tables,
    );

  it('refuses a cost delay or limit outside what the server takes (they go into the statement)', () => {
    for (const bad of [
      { costDelayMs: -1 },
      { costDelayMs: 101 },
      { costDelayMs: 1.5 },
      { costLimit: 0 },
      { costLimit: 10_001 },
    ])
      expect(() => createTableCare({ db, tables: ['orders'], ...bad })).toThrow(/table care: cost/);
    expect(() => createTableCare({ db, tables: ['orders'], costDelayMs: 0, costLimit: 10_000 })).not.toThrow();
  });

  it('is the app’s job: PGlite runs no autovacuum', async () => {
    expect(await autovacuumRuns(db)).toBe(false);
    const care = createTableCare({ db, tables: ['orders'], pgliteEveryMs: 0 });
    expect(await care.start()).toBe('app');
    await care.stop();
  });

  it('vacuums every table it tends in one round, and only those (no ANALYZE on the app thread)', async () => {
    await db.prisma.$executeRawUnsafe(
      `INSERT INTO key_values (key, value, updated_at) SELECT 'k' || g, '{}'::jsonb, 0 FROM generate_series(1, 200) g`,
    );
    await db.prisma.$executeRawUnsafe(`UPDATE key_values SET updated_at = 1`);
    await db.prisma.$executeRawUnsafe(`DELETE FROM key_values WHERE key LIKE 'k1%'`);
    const rounds: (readonly string[])[] = [];
    const care = createTableCare({ db, tables: ['key_values', 'sim_state_parts'], onRound: (t) => rounds.push(t) });
    expect(await care.runOnce()).toEqual(['key_values', 'sim_state_parts']);
    const after = await stats(['fills', 'key_values', 'sim_state_parts']);
    expect(after.map((s) => [s.relname, s.last_vacuum !== null, s.last_analyze !== null])).toEqual([
      ['fills', false, false],
      ['key_values', true, false],
      ['sim_state_parts', true, false],
    ]);
    expect(rounds).toEqual([['key_values', 'sim_state_parts']]);
  });

  it('refuses a table name that is not a plain identifier, before anything runs', () => {
    expect(() => createTableCare({ db, tables: ['orders; DROP TABLE orders'] })).toThrow(/not a plain table name/);
    expect(() => createTableCare({ db, tables: ['Orders'] })).toThrow(/not a plain table name/);
  });

  it('starts when the database cannot say whether autovacuum runs: that is reported, and the app tends the tables', async () => {
    const errors: unknown[] = [];
    const care = createTableCare({
      db: {
        kind: 'postgres',
        prisma: {
          $queryRawUnsafe: async () => {
            throw new Error('the database system is starting up');
          },
        } as unknown as Database['prisma'],
      },
      tables: ['orders'],
      checkMs: 0,
      onError: (err) => errors.push(err),
    });
    expect(await care.start()).toBe('app');
    expect(errors).toEqual([new Error('the database system is starting up')]);
    await care.stop();
  });

  it('a failed round is reported and the timer goes on', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'queueMicrotask', 'nextTick'] });
    try {
      const errors: unknown[] = [];
      const rounds: (readonly string[])[] = [];
      let fail = true;
      const care = createTableCare({
        db: {
          kind: 'pglite',
          prisma: {
            $executeRawUnsafe: async () => {
              if (fail) throw new Error('database restarting');
              return 0;
            },
          } as unknown as Database['prisma'],
        },
        tables: ['orders'],
        pgliteEveryMs: 1_000,
        onError: (err) => errors.push(err),
        onRound: (t) => rounds.push(t),
      });
      expect(await care.start()).toBe('app');
      jest.advanceTimersByTime(1_000);
      await care.stop().then(() => care.start());
      expect(errors).toEqual([new Error('database restarting')]);
      fail = false;
      jest.advanceTimersByTime(1_000);
      await care.stop();
      expect(rounds).toEqual([['orders']]);
    } finally {
      jest.useRealTimers();
    }
  });
});
