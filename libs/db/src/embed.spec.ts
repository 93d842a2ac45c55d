import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDatabaseUrl, DatabaseUrlError } from './database';
import { GENERATED_MODULE, MIGRATIONS_DIR, readMigrationsDir, renderMigrationsModule } from './embed';
import { migrationChecksum } from './migrate';
import { embeddedMigrations } from './migrations.generated';

describe('embedded migrations', () => {
  it('are up to date with prisma/migrations (run `npm run -w @barfinex/db migrations:embed`)', () => {
    const fromDisk = readMigrationsDir();
    expect(fromDisk.length).toBeGreaterThan(0);
    expect(readFileSync(GENERATED_MODULE, 'utf8')).toBe(renderMigrationsModule(fromDisk));
    expect(embeddedMigrations).toEqual(fromDisk);
  });

  it('use Prisma directory names and a Prisma lock file', () => {
    for (const m of embeddedMigrations) expect(m.name).toMatch(/^\d{14}_[a-z0-9_]+$/);
    expect(readFileSync(join(MIGRATIONS_DIR, 'migration_lock.toml'), 'utf8')).toContain('provider = "postgresql"');
  });

  it('checksum like Prisma: lowercase hex SHA-256 of the file', () => {
    expect(migrationChecksum('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});

describe('parseDatabaseUrl', () => {
  it('selects PostgreSQL for postgres:// and postgresql:// URLs', () => {
    expect(parseDatabaseUrl('postgresql://u@h:5432/db')).toEqual({ kind: 'postgres', url: 'postgresql://u@h:5432/db' });
    expect(parseDatabaseUrl('postgres://u@h/db').kind).toBe('postgres');
  });

  it('selects PGlite for pglite:<dir> and pglite:memory', () => {
    expect(parseDatabaseUrl('pglite:memory')).toEqual({ kind: 'pglite', dataDir: null });
    expect(parseDatabaseUrl('pglite:./data/pglite')).toEqual({
      kind: 'pglite',
      dataDir: join(process.cwd(), 'data/pglite'),
    });
    expect(parseDatabaseUrl('pglite:///var/lib/bfx')).toEqual({ kind: 'pglite', dataDir: '/var/lib/bfx' });
  });

  it('rejects anything else with a readable message that hides the password', () => {
    expect(() => parseDatabaseUrl('mysql://u:secret@h/db')).toThrow(DatabaseUrlError);
    expect(() => parseDatabaseUrl('mysql://u:secret@h/db')).toThrow(/mysql:\/\/u:\*\*\*@h\/db/);
    expect(() => parseDatabaseUrl('pglite:')).toThrow(DatabaseUrlError);
  });
});
