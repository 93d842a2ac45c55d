// Applies the committed SQL migrations and keeps Prisma's own `_prisma_migrations` bookkeeping,
// row for row as `prisma migrate deploy` writes it, so a machine that has Prisma's schema engine
// sees these migrations as applied (and vice versa).
import { createHash, randomUUID } from 'node:crypto';
import type { SqlExecutor } from './executor';
import { embeddedMigrations } from './migrations.generated';

export interface Migration {
  /** The directory name under prisma/migrations, e.g. `20261123220000_init`. */
  readonly name: string;
  readonly sql: string;
}

export interface MigrationReport {
  /** Applied by this call, in order. */
  applied: string[];
  /** Found already applied. */
  alreadyApplied: string[];
  /** Applied earlier, but the SQL file has changed since (Prisma warns about these too). */
  checksumMismatch: string[];
}

export interface ApplyMigrationsOptions {
  /** Defaults to the migrations committed under libs/db/prisma/migrations. */
  migrations?: readonly Migration[];
}

export class MigrationError extends Error {
  constructor(
    message: string,
    readonly migration: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

// The key Prisma's schema engine itself locks with, so our runner and `prisma migrate deploy`
// exclude each other as well as several app instances starting at once.
const ADVISORY_LOCK_KEY = 72707369;

// Prisma's DDL for its bookkeeping table, verbatim.
const CREATE_BOOKKEEPING = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
);`;

/** Prisma's checksum of a migration: the lowercase hex SHA-256 of the migration.sql bytes. */
export function migrationChecksum(sql: string): string {
  return createHash('sha256').update(sql, 'utf8').digest('hex');
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | string | null;
  rolled_back_at: Date | string | null;
}

/**
 * Applies every pending migration in name order, each in its own transaction together with its
 * bookkeeping row. Idempotent; safe when several processes start at once (they queue on the
 * advisory lock, and later ones find nothing to do).
 */
export async function applyMigrations(
  executor: SqlExecutor,
  options: ApplyMigrationsOptions = {},
): Promise<MigrationReport> {
  const migrations = sortedUnique(options.migrations ?? embeddedMigrations);
  await executor.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCK_KEY]);
  try {
    await executor.exec(CREATE_BOOKKEEPING);
    const rows = await executor.query<AppliedRow>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at',
    );
    const report: MigrationReport = { applied: [], alreadyApplied: [], checksumMismatch: [] };
    for (const migration of migrations) {
      const checksum = migrationChecksum(migration.sql);
      const previous = rows.filter((r) => r.migration_name === migration.name && !r.rolled_back_at);
      if (previous.some((r) => r.finished_at === null)) {
        throw new MigrationError(
          `migration ${migration.name} failed earlier and was never resolved; fix the database, then mark it with ` +
            '`prisma migrate resolve --rolled-back` (or delete its unfinished _prisma_migrations row)',
          migration.name,
        );
      }
      if (previous.length > 0) {
        report.alreadyApplied.push(migration.name);
        if (!previous.some((r) => r.checksum === checksum)) report.checksumMismatch.push(migration.name);
        continue;
      }
      await applyOne(executor, migration, checksum);
      report.applied.push(migration.name);
    }
    return report;
  } finally {
    await executor.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCK_KEY]);
  }
}

// A failed migration is rolled back whole and leaves no row: unlike Prisma (which runs scripts
// outside a transaction and must record the half-applied state), there is nothing to resolve.
async function applyOne(executor: SqlExecutor, migration: Migration, checksum: string): Promise<void> {
  await executor.exec('BEGIN');
  try {
    await executor.exec(migration.sql);
    await executor.query(
      `INSERT INTO "_prisma_migrations"
         (id, checksum, migration_name, logs, started_at, finished_at, applied_steps_count)
       VALUES ($1, $2, $3, NULL, now(), clock_timestamp(), 1)`,
      [randomUUID(), checksum, migration.name],
    );
    await executor.exec('COMMIT');
  } catch (error) {
    await executor.exec('ROLLBACK').catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(`migration ${migration.name} failed: ${reason}`, migration.name, { cause: error });
  }
}

function sortedUnique(migrations: readonly Migration[]): Migration[] {
  const sorted = [...migrations].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    const name = sorted[i]?.name;
    if (name === sorted[i - 1]?.name) throw new MigrationError(`duplicate migration name ${name}`, name ?? '');
  }
  return sorted;
}
