import { Client } from 'pg';
import { describeWithPostgres } from './integration';
import { createTestDatabase } from './postgres';

describeWithPostgres('createTestDatabase', () => {
  it('creates an isolated database and drops it', async () => {
    const db = await createTestDatabase('tst');
    const c = new Client({ connectionString: db.url });
    await c.connect();
    const r = await c.query('SELECT current_database() AS name');
    expect(r.rows[0].name).toBe(db.name);
    await c.end();
    await db.drop();
  });
});
