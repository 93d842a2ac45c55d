// One factory for both ways to run (DESIGN §3): PostgreSQL through @prisma/adapter-pg, or an
// embedded PGlite through pglite-prisma-adapter. Both get the same migrations and the same client.
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { Client, Pool } from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { pgExecutor, pgliteExecutor } from './executor';
import { PrismaClient } from './generated/prisma/client';
import { applyMigrations, type Migration, type MigrationReport } from './migrate';
import { createPgliteWalKeeper } from './pglite-wal';

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
  /**
   * PostgreSQL: longest wait for a connection (opening one, or a free one from a full pool).
   * Default 5 000 ms. Without it a server that stops answering (hung, or a host that drops packets)
   * holds every request until the OS gives up on the socket, minutes later.
   */
  connectTimeoutMs?: number;
  /**
   * PostgreSQL: longest wait for a query's answer once sent; 0 = none. Default 30 000 ms. Migrations
   * at start-up are exempt: they may wait for another instance's migration lock.
   */
  queryTimeoutMs?: number;
  /**
   * PGlite: how often the WAL written since the last checkpoint is looked at; a CHECKPOINT follows
   * once it passes 64 MB (see pglite-wal.ts: PGlite never checkpoints by itself, and keeps every
   * WAL segment until a checkpoint). Default 30 000 ms; 0 = never.
   */
  pgliteCheckpointMs?: number;
  /**
   * Errors of idle pool connections (the server went away), without a listener pg would crash the
   * process; and on PGlite, of a checkpoint that failed (the next check tries again).
   */
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

/**
 * PGlite's own start parameters, with the WAL kept to a few checkpoints' worth: after a checkpoint
 * PostgreSQL keeps old segments for reuse in proportion to the distance between checkpoints, up to
 * `max_wal_size` (1 GB by default); the checkpoints come from pglite-wal.ts every 64 MB of WAL.
 */
export const PGLITE_START_PARAMS: readonly string[] = [
  ...PGlite.defaultStartParams,
  '-c',
  'max_wal_size=128MB',
  '-c',
  'min_wal_size=32MB',
];

export async function createDatabase(options: DatabaseOptions): Promise<Database> {
  const target = parseDatabaseUrl(options.url);
  if (target.kind === 'postgres') return openPostgres(target.url, options);
  if (target.dataDir !== null) await mkdir(target.dataDir, { recursive: true });
  const db = await PGlite.create({
    ...(target.dataDir === null ? {} : { dataDir: target.dataDir }),
    startParams: [...PGLITE_START_PARAMS],
  });
  try {
    return await wrapPglite(db, options);
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}

async function openPostgres(url: string, options: DatabaseOptions): Promise<Database> {
  const connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
  const queryTimeoutMs = options.queryTimeoutMs ?? 30_000;
  let migrations: MigrationReport | null = null;
  if (options.migrate !== false) {
    // Its own session: the pool's query timeout must not cut short a wait for the migration lock.
    const client = new Client({ connectionString: url, connectionTimeoutMillis: connectTimeoutMs });
    client.on('error', (error) => options.onError?.(error));
    try {
      await client.connect();
      migrations = await applyMigrations(pgExecutor(client), { migrations: options.migrations });
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  const pool = new Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: connectTimeoutMs,
    ...(queryTimeoutMs > 0 ? { query_timeout: queryTimeoutMs } : {}),
    // TCP keep-alive notices a server host that vanished without closing its sockets.
    keepAlive: true,
  });
  pool.on('error', (error) => options.onError?.(error));
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
  const wal = createPgliteWalKeeper(db, {
    checkMs: options.pgliteCheckpointMs ?? 30_000,
    ...(options.onError ? { onError: options.onError } : {}),
  });
  wal.start();
  return {
    prisma,
    kind: 'pglite',
    migrations,
    pool: null,
    ping: () => probe(() => db.query('SELECT 1')),
    close: once(async () => {
      await wal.stop();
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
