import { createTestPglite } from './test-pglite';
import type { Database } from './database';
import { createQuarantine, describeInvalid } from './quarantine';

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
    await q.put(
      [{ source: 'key_values', key: 'bad', reason: 'does not parse', value: { broken: true } }],
      [db.prisma.keyValue.delete({ where: { key: 'bad' } })],
    );
    expect(await db.prisma.keyValue.findUnique({ where: { key: 'bad' } })).toBeNull();
    expect(await db.prisma.quarantinedRecord.findMany()).toEqual([
      expect.objectContaining({
        app: 'provider',
        source: 'key_values',
        recordKey: 'bad',
        reason: 'does not parse',
        value: { broken: true },
        quarantinedAt: 5n,
      }),
    ]);
    await createQuarantine({ prisma: db.prisma, app: 'advisor' }).put([
      { source: 'x', key: 'k', reason: 'r', value: undefined },
    ]);
    expect(await q.counts()).toEqual([{ source: 'key_values', count: 1 }]);
  });

  it('keeps the original when the copy cannot be stored', async () => {
    await db.prisma.keyValue.create({ data: { key: 'kept', value: 1, updatedAt: 1n } });
    const q = createQuarantine({ prisma: db.prisma, app: 'provider' });
    const removal = db.prisma.keyValue.delete({ where: { key: 'kept' } });
    // A removal that fails (here: a second delete of a row the first already took) undoes the copy too.
    await expect(
      q.put(
        [{ source: 'key_values', key: 'kept', reason: 'r', value: 1 }],
        [removal, db.prisma.keyValue.delete({ where: { key: 'kept' } })],
      ),
    ).rejects.toThrow();
    expect(await db.prisma.keyValue.findUnique({ where: { key: 'kept' } })).not.toBeNull();
  });

  it('keepValid returns the rows that parse, in order, and moves the others aside with the reason, telling the app once', async () => {
    for (const [key, value] of [
      ['kv-1', { n: 1 }],
      ['kv-2', { n: 'two' }],
      ['kv-3', { n: 3 }],
    ] as const) {
      await db.prisma.keyValue.create({ data: { key, value, updatedAt: 7n } });
    }
    const told: string[][] = [];
    const q = createQuarantine({
      prisma: db.prisma,
      app: 'keep-valid',
      now: () => 9,
      onQuarantined: (entries) => told.push(entries.map((e) => e.key)),
    });
    const rows = await db.prisma.keyValue.findMany({ where: { key: { startsWith: 'kv-' } }, orderBy: { key: 'asc' } });
    const kept = await q.keepValid(rows, {
      source: 'key_values',
      key: (r) => r.key,
      parse: (r) => {
        const n = (r.value as { n: unknown }).n;
        if (typeof n !== 'number') throw new Error(`n is ${typeof n}`);
        return n;
      },
      remove: (refused) => db.prisma.keyValue.deleteMany({ where: { key: { in: refused.map((r) => r.key) } } }),
    });
    expect(kept).toEqual([1, 3]);
    expect(told).toEqual([['kv-2']]);
    expect(
      (await db.prisma.keyValue.findMany({ where: { key: { startsWith: 'kv-' } } })).map((r) => r.key).sort(),
    ).toEqual(['kv-1', 'kv-3']);
    expect(await db.prisma.quarantinedRecord.findMany({ where: { app: 'keep-valid' } })).toEqual([
      expect.objectContaining({
        source: 'key_values',
        recordKey: 'kv-2',
        reason: 'n is string',
        value: { key: 'kv-2', value: { n: 'two' }, updatedAt: '7' },
      }),
    ]);
    expect(
      await q.keepValid([], {
        source: 'x',
        key: String,
        parse: String,
        remove: () => db.prisma.keyValue.deleteMany({ where: { key: 'none' } }),
      }),
    ).toEqual([]);
    expect(told).toHaveLength(1);
  });

  it('describes a validation error by its issues', () => {
    expect(
      describeInvalid({
        issues: [
          { path: ['a', 0], message: 'bad' },
          { path: [], message: 'worse' },
        ],
      }),
    ).toBe('a.0: bad; (root): worse');
    expect(describeInvalid(new Error('plain'))).toBe('plain');
  });
});
