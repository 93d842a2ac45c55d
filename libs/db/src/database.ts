// One factory for both ways to run (DESIGN §3): PostgreSQL through @prisma/adapter-pg, or an
// embedded PGlite through pglite-prisma-adapter. Both get the same migrations and the same client.
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { pgExecutor, pgliteExecutor } from './executor';
import { PrismaClient } from './generated/prisma/client';
import { applyMigrations, type Migration, type MigrationReport } from './migrate';

export type DatabaseKind = 'postgres' | 'pglite';

export interface Database {
  prisma: PrismaClient;
  kind: DatabaseKind;
  /** What start-up migration did; null when started with `migrate: false`. */
  migrations: MigrationReport | null;
  /**
   * The pg Pool Prisma runs on (PostgreSQL only; null on PGlite), for bulk reads that would pay for
   * Prisma's per-row result mapping, e.g. JSON built by PostgreSQL and streamed to a client as is.
   */
  pool: Pool | null;
  /** True when a trivial query succeeds; never throws (for readiness probes). */
  ping(): Promise<boolean>;
  /** Disconnects Prisma and closes the pool or the PGlite instance. Idempotent. */
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** `postgres://…` / `postgresql://…`, or `pglite:<dir>` (relative to the cwd), or `pglite:memory`. */
  url: string;
  /** Apply pending migrations before returning. Default true. */
  migrate?: boolean;
  /** Override the committed migrations (tests). */
  migrations?: readonly Migration[];
  /** PostgreSQL pool size. Default 10. */
  poolSize?: number;
  /** Errors of idle pool connections (the server went away); without a listener pg would crash the process. */
  onError?: (error: Error) => void;
}

export type DatabaseTarget = { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string | null };

export class DatabaseUrlError extends Error {
  constructor(url: string) {
    super(
      `unsupported database URL "${redact(url)}": expected postgres://…, postgresql://…, pglite:<dir> or pglite:memory`,
    );
    this.name = 'DatabaseUrlError';
  }
}

/** Decides which engine a URL selects. `dataDir` null is an in-memory PGlite. */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  const trimmed = url.trim();
  if (/^postgres(ql)?:\/\//i.test(trimmed)) return { kind: 'postgres', url: trimmed };
  const pglite = /^pglite:(.*)$/i.exec(trimmed);
  const rest = pglite?.[1]?.replace(/^\/\//, '') ?? '';
  if (!pglite || rest === '') throw new DatabaseUrlError(url);
  if (rest === 'memory' || rest === ':memory:') return { kind: 'pglite', dataDir: null };
  return { kind: 'pglite', dataDir: resolve(rest) };
}

export async function createDatabase(options: DatabaseOptions): Promise<Database> {
  const target = parseDatabaseUrl(options.url);
  if (target.kind === 'postgres') return openPostgres(target.url, options);
  if (target.dataDir !== null) await mkdir(target.dataDir, { recursive: true });
  const db = target.dataDir === null ? await PGlite.create() : await PGlite.create(target.dataDir);
  try {
    return await wrapPglite(db, options);
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}

async function openPostgres(url: string, options: DatabaseOptions): Promise<Database> {
  const pool = new Pool({ connectionString: url, max: options.poolSize ?? 10 });
  pool.on('error', (error) => options.onError?.(error));
  let migrations: MigrationReport | null = null;
  try {
    if (options.migrate !== false) {
      const client = await pool.connect();
      try {
        migrations = await applyMigrations(pgExecutor(client), { migrations: options.migrations });
      } finally {
        client.release();
      }
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    prisma,
    kind: 'postgres',
    migrations,
    pool,
    ping: () => probe(() => pool.query('SELECT 1')),
    close: once(async () => {
      await prisma.$disconnect();
      await pool.end();
    }),
  };
}

/** Wraps an open PGlite instance; closing the Database closes the instance. */
export async function wrapPglite(db: PGlite, options: Omit<DatabaseOptions, 'url'> = {}): Promise<Database> {
  const migrations =
    options.migrate === false ? null : await applyMigrations(pgliteExecutor(db), { migrations: options.migrations });
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(db) });
  return {
    prisma,
    kind: 'pglite',
    migrations,
    pool: null,
    ping: () => probe(() => db.query('SELECT 1')),
    close: once(async () => {
      await prisma.$disconnect();
      if (!db.closed) await db.close();
    }),
  };
}

async function probe(query: () => Promise<unknown>): Promise<boolean> {
  try {
    await query();
    return true;
  } catch {
    return false;
  }
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let pending: Promise<void> | undefined;
  return () => (pending ??= fn());
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
