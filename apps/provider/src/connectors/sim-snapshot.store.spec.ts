import { createTestPglite } from '@barfinex/db';
import type { Database } from '@barfinex/db';
import { storeSuite } from './sim-snapshot.store.fixture';

describe('simulator state store (PGlite)', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestPglite();
  });
  afterAll(async () => {
    await db.close();
  });
  storeSuite(() => db.prisma);
});
