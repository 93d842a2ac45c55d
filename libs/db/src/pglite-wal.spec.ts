import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { eventually } from '@barfinex/testing';
import { PGLITE_START_PARAMS, createDatabase } from './database';
import { createPgliteWalKeeper } from './pglite-wal';

/** Bytes of WAL segment files in a PGlite data directory. */
function walBytes(dir: string): number {
  const wal = join(dir, 'pg_wal');
  return readdirSync(wal)
    .filter((f) => /^[0-9A-F]{24}$/.test(f))
    .reduce((sum, f) => sum + statSync(join(wal, f)).size, 0);
}

/** About 10 MB of WAL a round: rows written, then deleted. */
async function churn(db: PGlite, rounds: number): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await db.exec(`INSERT INTO t (v) SELECT repeat('x', 500) FROM generate_series(1, 20000)`);
    await db.exec('DELETE FROM t');
  }
}

describe('PGlite WAL keeper', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bfx-wal-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps pg_wal from growing with every write: a CHECKPOINT once the WAL passed the mark', async () => {
    const db = await PGlite.create({ dataDir: join(dir, 'db'), startParams: [...PGLITE_START_PARAMS] });
    try {
      await db.exec('CREATE TABLE t (id serial PRIMARY KEY, v text)');
      const keeper = createPgliteWalKeeper(db, { checkMs: 0, everyBytes: 32 * 1024 * 1024 });
      expect(await keeper.runOnce()).toBe(false);
      const MB = 1024 * 1024;
      // What is kept for reuse after a checkpoint stays within max_wal_size (128 MB) and the segments in use.
      const bound = (128 + 2 * 16) * MB;
      await churn(db, 24);
      // Left alone, PGlite keeps every segment it wrote, max_wal_size or not.
      const before = walBytes(join(dir, 'db'));
      expect(before).toBeGreaterThan(2 * bound);
      expect(await keeper.runOnce()).toBe(true);
      expect(walBytes(join(dir, 'db'))).toBeLessThanOrEqual(bound);
      // Nothing written since: not due.
      expect(await keeper.runOnce()).toBe(false);
      // Checked as the timer would while as much again is written, it stays there.
      for (let i = 0; i < 6; i++) {
        await churn(db, 4);
        await keeper.runOnce();
        expect(walBytes(join(dir, 'db'))).toBeLessThanOrEqual(bound);
      }
    } finally {
      await db.close();
    }
  }, 120_000);

  it('runs on its own in a database opened on PGlite', async () => {
    const dataDir = join(dir, 'app');
    const db = await createDatabase({ url: `pglite:${dataDir}`, migrate: false, pgliteCheckpointMs: 20 });
    const checkpointAt = async () =>
      (
        await db.prisma.$queryRawUnsafe<Array<{ lsn: string }>>(
          `SELECT checkpoint_lsn::text AS lsn FROM pg_control_checkpoint()`,
        )
      )[0]?.lsn;
    try {
      const first = await checkpointAt();
      await db.prisma.$executeRawUnsafe('CREATE TABLE t (id serial PRIMARY KEY, v text)');
      // Past the 64 MB that make a checkpoint due.
      for (let i = 0; i < 7; i++) {
        await db.prisma.$executeRawUnsafe(`INSERT INTO t (v) SELECT repeat('x', 500) FROM generate_series(1, 20000)`);
        await db.prisma.$executeRawUnsafe('DELETE FROM t');
        // The event loop goes round between writes, as between requests (timers run there).
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      await eventually(async () => expect(await checkpointAt()).not.toBe(first), 30_000);
    } finally {
      await db.close();
    }
  }, 120_000);
});
