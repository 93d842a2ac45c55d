import { createTestPglite } from './test-pglite';
import type { Database } from './database';
import { createQuarantine } from './quarantine';

let db: Database;
beforeAll(async () => {
  db = await createTestPglite();
});
afterAll(async () => {
  await db.close();
});

describe('quarantine', () => {
  it('moves records aside in one transaction with the removal of the originals, and counts them per app and source', async () => {
    await db.prisma.keyValue.create({ data: { key: 'bad', value: { broken: true }, updatedAt: 1n } });
    const q = createQuarantine({ prisma: db.prisma, app: 'provider', now: () => 5 });
    await q.put([{ source: 'key_values', key: 'bad', reason: 'does not parse', value: { broken: true } }], [db.prisma.keyValue.delete({ where: { key: 'bad' } })]);
    expect(await db.prisma.keyValue.findUnique({ where: { key: 'bad' } })).toBeNull();
    expect(await db.prisma.quarantinedRecord.findMany()).toEqual([
      expect.objectContaining({ app: 'provider', source: 'key_values', recordKey: 'bad', reason: 'does not parse', value: { broken: true }, quarantinedAt: 5n }),
    ]);
    await createQuarantine({ prisma: db.prisma, app: 'advisor' }).put([{ source: 'x', key: 'k', reason: 'r', value: undefined }]);
    expect(await q.counts()).toEqual([{ source: 'key_values', count: 1 }]);
  });

  it('keeps the original when the copy cannot be stored', async () => {
    await db.prisma.keyValue.create({ data: { key: 'kept', value: 1, updatedAt: 1n } });
    const q = createQuarantine({ prisma: db.prisma, app: 'provider' });
    const removal = db.prisma.keyValue.delete({ where: { key: 'kept' } });
    // A removal that fails (here: a second delete of a row the first already took) undoes the copy too.
    await expect(q.put([{ source: 'key_values', key: 'kept', reason: 'r', value: 1 }], [removal, db.prisma.keyValue.delete({ where: { key: 'kept' } })])).rejects.toThrow();
    expect(await db.prisma.keyValue.findUnique({ where: { key: 'kept' } })).not.toBeNull();
  });
});
