import { createDatabase } from '@barfinex/db';
import type { Database } from '@barfinex/db';
import { createTestPglite } from '@barfinex/db/testing';
import { createTestDatabase, describeWithPostgres } from '@barfinex/testing';

/**
 * Runs one suite on the embedded PGlite (statements through Prisma's raw query) and on PostgreSQL
 * (the pg pool), since the repositories' hot statements take a different path on each. `db()`
 * answers the suite's migrated, empty database.
 */
export function describeOnBothDatabases(name: string, suite: (db: () => Database) => void): void {
  const on = (open: () => Promise<{ db: Database; close(): Promise<void> }>) => () => {
    let opened: { db: Database; close(): Promise<void> } | undefined;
    beforeAll(async () => {
      opened = await open();
    });
    afterAll(async () => {
      await opened?.close();
    });
    suite(() => {
      if (!opened) throw new Error('database not open yet');
      return opened.db;
    });
  };
  describe(
    `${name} on PGlite`,
    on(async () => {
      const db = await createTestPglite();
      return { db, close: () => db.close() };
    }),
  );
  describeWithPostgres(
    `${name} on PostgreSQL (pg pool)`,
    on(async () => {
      const pg = await createTestDatabase(name.replace(/\W+/g, '_').toLowerCase().slice(0, 20));
      const db = await createDatabase({ url: pg.url });
      return {
        db,
        async close() {
          await db.close();
          await pg.drop();
        },
      };
    }),
  );
}
