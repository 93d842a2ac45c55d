// Migrations against PGlite: an empty database migrated by our runner must hold every model
// (the proof that schema.prisma and the hand-written SQL agree), and the runner must keep
// Prisma's bookkeeping and stay idempotent.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createDatabase, type Database, wrapPglite } from './database';
import { pgliteExecutor } from './executor';
import { applyMigrations, migrationChecksum, MigrationError } from './migrate';
import { embeddedMigrations } from './migrations.generated';
import { assertUniqueness, roundTripEveryModel } from './round-trip.fixture';
import { createTestPglite, openTemplateCopy } from './test-pglite';

const [init] = embeddedMigrations;
if (!init) throw new Error('no committed migration');

interface BookkeepingRow {
  id: string;
  checksum: string;
  finished_at: Date | null;
  migration_name: string;
  logs: string | null;
  rolled_back_at: Date | null;
  started_at: Date;
  applied_steps_count: number;
}

describe('migrating an empty PGlite', () => {
  let pg: PGlite;
  let db: Database;
  let firstReport: Awaited<ReturnType<typeof applyMigrations>>;

  beforeAll(async () => {
    pg = await PGlite.create();
    firstReport = await applyMigrations(pgliteExecutor(pg));
    db = await wrapPglite(pg);
  }, 60_000);
  afterAll(() => db.close());

  it('applies every committed migration, then nothing the second time', async () => {
    expect(firstReport).toEqual({
      applied: embeddedMigrations.map((m) => m.name),
      alreadyApplied: [],
      checksumMismatch: [],
    });
    expect(db.migrations).toEqual({ applied: [], alreadyApplied: firstReport.applied, checksumMismatch: [] });
    expect(await applyMigrations(pgliteExecutor(pg))).toEqual(db.migrations);
  });

  it('records each migration in _prisma_migrations as Prisma does', async () => {
    const rows = (await pg.query<BookkeepingRow>('SELECT * FROM "_prisma_migrations"')).rows;
    expect(rows).toHaveLength(embeddedMigrations.length);
    const row = rows[0];
    expect(row).toMatchObject({
      migration_name: init.name,
      checksum: migrationChecksum(init.sql),
      logs: null,
      rolled_back_at: null,
      applied_steps_count: 1,
    });
    expect(row?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(row?.finished_at).toBeInstanceOf(Date);
    expect(row?.started_at).toBeInstanceOf(Date);
  });

  it('stores and reads back every model exactly', () => roundTripEveryModel(db.prisma));

  it('enforces the idempotency constraints', () => assertUniqueness(db.prisma));

  it('answers ping until closed', async () => {
    const other = await createTestPglite();
    expect(other.pool).toBeNull();
    expect(await other.ping()).toBe(true);
    await other.close();
    await other.close();
    expect(await other.ping()).toBe(false);
  });
});

describe('the migration runner', () => {
  let pg: PGlite;
  beforeEach(async () => {
    pg = await openTemplateCopy();
  });
  afterEach(() => pg.close());

  const committed = embeddedMigrations.map((m) => m.name);
  const names = async () =>
    (await pg.query<{ migration_name: string }>('SELECT migration_name FROM "_prisma_migrations" ORDER BY 1')).rows.map(
      (r) => r.migration_name,
    );

  it('applies pending migrations in name order', async () => {
    const later = { name: '20990102000000_second', sql: 'ALTER TABLE "t1" ADD COLUMN "b" INTEGER;' };
    const earlier = { name: '20990101000000_first', sql: 'CREATE TABLE "t1" ("a" INTEGER);' };
    const report = await applyMigrations(pgliteExecutor(pg), { migrations: [init, later, earlier] });
    expect(report.applied).toEqual([earlier.name, later.name]);
    // The template holds every committed migration; the new ones come after them.
    expect(await names()).toEqual([...committed, earlier.name, later.name]);
    await pg.query('INSERT INTO "t1" ("a", "b") VALUES (1, 2)');
  });

  it('rolls a failing migration back whole and records nothing', async () => {
    const bad = { name: '20990101000000_bad', sql: 'CREATE TABLE "half" ("a" INTEGER);\nSELECT * FROM "missing";' };
    const error = await applyMigrations(pgliteExecutor(pg), { migrations: [init, bad] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect(error).toMatchObject({ migration: bad.name, message: expect.stringContaining('missing') });
    expect((await pg.query("SELECT to_regclass('half') AS t")).rows).toEqual([{ t: null }]);
    expect(await names()).toEqual(committed);
  });

  it('reports a migration whose SQL changed after it was applied', async () => {
    const edited = { name: init.name, sql: `${init.sql}\n-- edited\n` };
    const report = await applyMigrations(pgliteExecutor(pg), { migrations: [edited] });
    expect(report).toEqual({ applied: [], alreadyApplied: [init.name], checksumMismatch: [init.name] });
  });

  it('refuses to continue past a migration Prisma recorded as failed', async () => {
    const next = { name: '20990101000000_next', sql: 'SELECT 1;' };
    await pg.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, logs, started_at, applied_steps_count)
       VALUES ('00000000-0000-4000-8000-000000000000', $1, $2, 'boom', now(), 0)`,
      [migrationChecksum(next.sql), next.name],
    );
    await expect(applyMigrations(pgliteExecutor(pg), { migrations: [init, next] })).rejects.toThrow(/resolve/);
    // Once resolved as rolled back, it is applied again.
    await pg.query('UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = $1', [next.name]);
    expect((await applyMigrations(pgliteExecutor(pg), { migrations: [init, next] })).applied).toEqual([next.name]);
  });

  it('rejects two migrations with one name', async () => {
    await expect(applyMigrations(pgliteExecutor(pg), { migrations: [init, init] })).rejects.toThrow(/duplicate/);
  });
});

describe('createTestPglite', () => {
  it('gives every caller its own migrated database', async () => {
    const [a, b] = await Promise.all([createTestPglite(), createTestPglite()]);
    if (!a || !b) throw new Error('unreachable');
    try {
      expect(a.kind).toBe('pglite');
      expect(a.migrations?.alreadyApplied).toEqual(embeddedMigrations.map((m) => m.name));
      await a.prisma.keyValue.create({ data: { key: 'only-in-a', value: 1, updatedAt: 1n } });
      expect(await b.prisma.keyValue.count()).toBe(0);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('createDatabase with a PGlite data dir', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bfx-pglite-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('migrates a new dir, and keeps the data across restarts without migrating again', async () => {
    const url = `pglite:${join(dir, 'nested', 'data')}`;
    const first = await createDatabase({ url });
    expect(first.kind).toBe('pglite');
    expect(first.migrations?.applied).toEqual(embeddedMigrations.map((m) => m.name));
    await first.prisma.keyValue.create({ data: { key: 'k', value: { v: 1 }, updatedAt: 1n } });
    await first.close();

    const second = await createDatabase({ url });
    try {
      expect(second.migrations?.applied).toEqual([]);
      expect(await second.prisma.keyValue.findUnique({ where: { key: 'k' } })).toMatchObject({ value: { v: 1 } });
    } finally {
      await second.close();
    }
  }, 60_000);
});
