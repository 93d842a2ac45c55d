import { createDatabase } from '@barfinex/db';
import type { Database } from '@barfinex/db';
import { createTestDatabase, describeWithPostgres } from '@barfinex/testing';
import type { TestDatabase } from '@barfinex/testing';
import { storeSuite } from './sim-snapshot.store.fixture';

describeWithPostgres('simulator state store (PostgreSQL)', () => {
  let pg: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    pg = await createTestDatabase('sim_state_store');
    db = await createDatabase({ url: pg.url });
  });
  afterAll(async () => {
    await db.close();
    await pg.drop();
  });
  storeSuite(
    () => db.prisma,
    () => db.pool,
  );
});
