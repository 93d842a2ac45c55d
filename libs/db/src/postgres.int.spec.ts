// The same migrations against a real, empty PostgreSQL: they apply cleanly, a second run is a
// no-op, the bookkeeping matches Prisma's, the resulting schema is identical to PGlite's, and
// every model round-trips through @prisma/adapter-pg.
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '@barfinex/testing';
import type { PGlite } from '@electric-sql/pglite';
import { createServer, type Server, type Socket } from 'node:net';
import { Client } from 'pg';
import { createDatabase, type Database } from './database';
import { pgExecutor, pgliteExecutor, type SqlExecutor } from './executor';
import { applyMigrations, migrationChecksum } from './migrate';
import { embeddedMigrations } from './migrations.generated';
import { assertUniqueness, roundTripEveryModel } from './round-trip.fixture';
import { openTemplateCopy } from './test-pglite';

const allNames = embeddedMigrations.map((m) => m.name);

// Everything about the public schema that a migration decides, in a comparable form. (PGlite is
// PostgreSQL 17, which also lists NOT NULL in pg_constraint; is_nullable already covers those.)
async function describeSchema(sql: SqlExecutor): Promise<unknown> {
  const columns = await sql.query(
    `SELECT table_name, column_name, data_type, numeric_precision, numeric_scale, is_nullable, column_default
       FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, column_name`,
  );
  const indexes = await sql.query(
    "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname",
  );
  const constraints = await sql.query(
    `SELECT conrelid::regclass::text AS table_name, conname, pg_get_constraintdef(oid) AS def
       FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND contype IN ('p', 'u', 'f', 'c')
      ORDER BY conname`,
  );
  return { columns, indexes, constraints };
}

describeWithPostgres('migrations on PostgreSQL', () => {
  let testDb: TestDatabase;
  let client: Client;

  beforeAll(async () => {
    testDb = await createTestDatabase('bfxdb');
    client = new Client({ connectionString: testDb.url });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await testDb.drop();
  });

  it('apply cleanly to an empty database, and a second run is a no-op', async () => {
    expect(await applyMigrations(pgExecutor(client))).toEqual({
      applied: allNames,
      alreadyApplied: [],
      checksumMismatch: [],
    });
    expect(await applyMigrations(pgExecutor(client))).toEqual({
      applied: [],
      alreadyApplied: allNames,
      checksumMismatch: [],
    });
  });

  it('keep _prisma_migrations exactly as Prisma defines and fills it', async () => {
    const columns = await client.query(
      `SELECT column_name, data_type, character_maximum_length, is_nullable, column_default
         FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    const column = (name: string, type: string, length: number | null, nullable: boolean, dflt: string | null) => ({
      column_name: name,
      data_type: type,
      character_maximum_length: length,
      is_nullable: nullable ? 'YES' : 'NO',
      column_default: dflt,
    });
    expect(columns.rows).toEqual([
      column('id', 'character varying', 36, false, null),
      column('checksum', 'character varying', 64, false, null),
      column('finished_at', 'timestamp with time zone', null, true, null),
      column('migration_name', 'character varying', 255, false, null),
      column('logs', 'text', null, true, null),
      column('rolled_back_at', 'timestamp with time zone', null, true, null),
      column('started_at', 'timestamp with time zone', null, false, 'now()'),
      column('applied_steps_count', 'integer', null, false, '0'),
    ]);
    const rows = await client.query('SELECT * FROM "_prisma_migrations" ORDER BY migration_name');
    expect(rows.rows).toEqual(
      embeddedMigrations.map((m) => ({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        checksum: migrationChecksum(m.sql),
        finished_at: expect.any(Date),
        migration_name: m.name,
        logs: null,
        rolled_back_at: null,
        started_at: expect.any(Date),
        applied_steps_count: 1,
      })),
    );
    const [row] = rows.rows as { started_at: Date; finished_at: Date }[];
    expect(row && row.finished_at.getTime() >= row.started_at.getTime()).toBe(true);
  });

  it('produce the same schema as on PGlite', async () => {
    let pglite: PGlite | undefined;
    try {
      pglite = await openTemplateCopy();
      expect(await describeSchema(pgliteExecutor(pglite))).toEqual(await describeSchema(pgExecutor(client)));
    } finally {
      await pglite?.close();
    }
  });
});

describeWithPostgres('createDatabase on PostgreSQL', () => {
  let testDb: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    testDb = await createTestDatabase('bfxdb');
    // Three instances starting at once: the advisory lock lets exactly one of them migrate.
    const started = await Promise.all([1, 2, 3].map(() => createDatabase({ url: testDb.url, poolSize: 2 })));
    const applied = started.map((d) => d.migrations?.applied.length);
    expect(applied.sort()).toEqual([0, 0, allNames.length]);
    const [first, ...rest] = started;
    if (!first) throw new Error('unreachable');
    db = first;
    await Promise.all(rest.map((d) => d.close()));
  });
  afterAll(async () => {
    await db.close();
    await testDb.drop();
  });

  it('is a postgres database that answers ping', async () => {
    expect(db.kind).toBe('postgres');
    expect(await db.ping()).toBe(true);
  });

  it('exposes the pool Prisma runs on, for reads that bypass Prisma', async () => {
    if (!db.pool) throw new Error('expected a pool on PostgreSQL');
    const { rows } = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM orders');
    expect(rows[0]?.n).toBe(await db.prisma.order.count());
  });

  it('stores and reads back every model exactly', () => roundTripEveryModel(db.prisma));

  it('enforces the idempotency constraints', () => assertUniqueness(db.prisma));

  it('skips migration when asked, and reports a closed pool as not alive', async () => {
    const other = await createDatabase({ url: testDb.url, migrate: false });
    expect(other.migrations).toBeNull();
    expect(await other.prisma.order.count()).toBeGreaterThan(0);
    await other.close();
    expect(await other.ping()).toBe(false);
  });

  it('fails start-up when the server cannot be reached', async () => {
    await expect(createDatabase({ url: 'postgresql://postgres@127.0.0.1:1/none' })).rejects.toThrow();
  });
});

// No PostgreSQL needed: a listener that accepts connections and never answers stands in for a hung
// server (or a host that drops packets). Requests must fail, not wait for the OS to give up.
describe('a PostgreSQL server that stops answering', () => {
  let server: Server;
  let sockets: Socket[];
  let connected: Promise<void>;
  let url = '';

  beforeEach(async () => {
    sockets = [];
    let onConnection: () => void = () => undefined;
    connected = new Promise((resolve) => (onConnection = resolve));
    server = createServer((socket) => {
      sockets.push(socket);
      onConnection();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    url = `postgresql://postgres@127.0.0.1:${address.port}/silent`;
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  });

  afterEach(async () => {
    jest.useRealTimers();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('fails a query after connectTimeoutMs instead of hanging, and ping says not ready', async () => {
    const db = await createDatabase({ url, migrate: false, connectTimeoutMs: 5_000 });
    try {
      const query = db.prisma.order.count();
      const outcome = query.then(
        () => 'answered',
        (err: unknown) => err,
      );
      await connected;
      jest.advanceTimersByTime(5_000);
      const err = await outcome;
      expect(err).toBeInstanceOf(Error);
      expect(String((err as Error).message)).toMatch(/timeout/i);

      const ping = db.ping();
      await jest.advanceTimersByTimeAsync(5_000);
      expect(await ping).toBe(false);
    } finally {
      const closing = db.close();
      await jest.advanceTimersByTimeAsync(5_000);
      await closing;
    }
  });

  it('fails start-up migration after connectTimeoutMs instead of hanging', async () => {
    const opening = createDatabase({ url, connectTimeoutMs: 5_000 }).then(
      () => 'opened',
      (err: unknown) => err,
    );
    await connected;
    jest.advanceTimersByTime(5_000);
    expect(String(((await opening) as Error).message)).toMatch(/timeout/i);
  });
});
