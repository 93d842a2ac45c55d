// A fresh PGlite runs initdb (~5 s); loading a dump of an already-migrated one takes under 1 s.
// The dump is built once per process and, across processes (jest workers, reruns), cached in
// the OS tmp dir under a name keyed by the PGlite version and the migrations' checksums, so a
// changed migration or PGlite upgrade never loads a stale template.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { type Database, wrapPglite } from './database';
import { pgliteExecutor } from './executor';
import { applyMigrations, migrationChecksum, type Migration } from './migrate';
import { embeddedMigrations } from './migrations.generated';

export interface TestPgliteOptions {
  /** Where the template dump is cached between processes; false keeps it in memory only.
   *  Default: `<os tmp>/barfinex-db`. */
  cacheDir?: string | false;
  migrations?: readonly Migration[];
}

const templates = new Map<string, Promise<Blob>>();

/** A migrated, empty, in-memory PGlite database of its own, ready in well under a second. */
export async function createTestPglite(options: TestPgliteOptions = {}): Promise<Database> {
  const db = await openTemplateCopy(options);
  try {
    // The copy is already migrated: this only confirms it (one query) and fills `migrations`.
    return await wrapPglite(db, { migrations: options.migrations });
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
}

/** The raw PGlite behind createTestPglite, for tests of the migration runner itself. */
export async function openTemplateCopy(options: TestPgliteOptions = {}): Promise<PGlite> {
  const migrations = options.migrations ?? embeddedMigrations;
  const cacheDir = options.cacheDir ?? join(tmpdir(), 'barfinex-db');
  const key = templateKey(migrations);
  let template = templates.get(key);
  if (!template) {
    template = loadOrBuildTemplate(key, migrations, cacheDir);
    templates.set(key, template);
    template.catch(() => templates.delete(key));
  }
  return PGlite.create({ loadDataDir: await template });
}

function templateKey(migrations: readonly Migration[]): string {
  const checksums = migrations.map((m) => `${m.name}:${migrationChecksum(m.sql)}`).join('\n');
  return migrationChecksum(`${pgliteVersion()}\n${checksums}`).slice(0, 16);
}

async function loadOrBuildTemplate(key: string, migrations: readonly Migration[], cacheDir: string | false) {
  const file = cacheDir === false ? null : join(cacheDir, `pglite-template-${key}.tar.gz`);
  if (file !== null && existsSync(file)) return new Blob([await readFile(file)]);
  const db = await PGlite.create();
  let dump: Blob;
  try {
    await applyMigrations(pgliteExecutor(db), { migrations });
    dump = await db.dumpDataDir('gzip');
  } finally {
    await db.close();
  }
  if (file !== null) {
    // Write-then-rename, so a concurrent worker never reads a half-written template.
    await mkdir(dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}.partial`;
    await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await rename(partial, file);
  }
  return dump;
}

function pgliteVersion(): string {
  const packageJson = join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json');
  try {
    return (JSON.parse(readFileSync(packageJson, 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
