import { createTestPglite } from '@barfinex/db/testing';
import type { Database } from '@barfinex/db';
import { T0 } from '../testing/fixtures';
import type { DecisionRecord } from './decision-record';
import { createDecisionsRepository } from './decisions.repository';

function record(n: number, overrides: Partial<DecisionRecord> = {}): DecisionRecord {
  return {
    decisionId: `dec-${n}`,
    dedupKey: `signal:sig-${n}`,
    signalId: `sig-${n}`,
    symbol: n % 2 === 0 ? 'BTCUSDT' : 'ETHUSDT',
    direction: 'LONG',
    outcome: n % 3 === 0 ? 'approved' : 'rejected',
    approved: n % 3 === 0,
    confidence: 0.625,
    reasoning: `decision ${n}`,
    stages: [{ name: 'market-context', passed: true, reason: '120 candles', score: 1, durationMs: 3 }],
    context: { market: { spreadPct: '0.0179' } },
    correlationId: `corr-${n}`,
    causationId: `evt-${n}`,
    decidedAt: T0 + n,
    ...overrides,
  };
}

describe('decisions repository (PGlite)', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestPglite();
  });
  afterAll(async () => db.close());

  it('stores every field and reads it back unchanged', async () => {
    const repo = createDecisionsRepository(db.prisma, 'adv-roundtrip');
    const full = record(3, {
      requestId: 'req-3',
      intent: {
        intentId: 'int-3',
        idempotencyKey: 'adv-3',
        decisionId: 'dec-3',
        signalId: 'sig-3',
        symbol: 'BTCUSDT',
        side: 'BUY',
        notional: '100',
        entry: '65000.5',
        stopLoss: '64500',
        takeProfit: '66000.25',
        confidence: 0.625,
        connectorType: 'sim',
        marketType: 'futures',
        expiresAt: T0 + 120_000,
      },
      confidenceLow: { decisionId: 'dec-3', symbol: 'BTCUSDT', confidence: 0.3, threshold: 0.55 },
      publishedAt: T0 + 10,
    });
    expect((await repo.insert(full)).created).toBe(true);
    expect(await repo.get('dec-3')).toEqual(full);
    expect(await repo.findByDedupKey('signal:sig-3')).toEqual(full);
  });

  it('inserts once per dedup key and returns the first record on a repeat', async () => {
    const repo = createDecisionsRepository(db.prisma, 'adv-dedup');
    expect((await repo.insert(record(1))).created).toBe(true);
    const again = await repo.insert(record(1, { decisionId: 'dec-other', reasoning: 'second' }));
    expect(again.created).toBe(false);
    expect(again.record.reasoning).toBe('decision 1');
    // Another advisor key has its own dedup space.
    expect(
      (await createDecisionsRepository(db.prisma, 'adv-dedup-2').insert(record(1, { decisionId: 'dec-1b' }))).created,
    ).toBe(true);
  });

  it('marks a decision published once', async () => {
    const repo = createDecisionsRepository(db.prisma, 'adv-pub');
    await repo.insert(record(5));
    await repo.markPublished('dec-5', T0 + 100);
    await repo.markPublished('dec-5', T0 + 200);
    expect((await repo.get('dec-5'))?.publishedAt).toBe(T0 + 100);
  });

  it('lists newest first, paginated, filtered by symbol and outcome', async () => {
    const repo = createDecisionsRepository(db.prisma, 'adv-list');
    for (let n = 1; n <= 12; n += 1) await repo.insert(record(n, { decisionId: `list-${n}` }));
    const page1 = await repo.list({ page: 1, limit: 5 });
    expect(page1.total).toBe(12);
    expect(page1.items.map((d) => d.decisionId)).toEqual(['list-12', 'list-11', 'list-10', 'list-9', 'list-8']);
    expect((await repo.list({ page: 3, limit: 5 })).items.map((d) => d.decisionId)).toEqual(['list-2', 'list-1']);
    const btcApproved = await repo.list({ page: 1, limit: 50, symbol: 'BTCUSDT', outcome: 'approved' });
    expect(btcApproved.items.map((d) => d.decisionId)).toEqual(['list-12', 'list-6']);
    expect(
      (await repo.list({ page: 1, limit: 50, symbol: 'btcusdt', outcome: 'approved' })).items.map((d) => d.decisionId),
    ).toEqual(['list-12', 'list-6']);
    expect((await repo.list({ page: 1, limit: 50, symbol: 'BTC' })).total).toBe(0);
    expect((await repo.list({ page: 1, limit: 50, symbol: 'BTCUSD_' })).total).toBe(0);
    expect(await repo.get('list-1')).toBeDefined();
    expect(await createDecisionsRepository(db.prisma, 'someone-else').get('list-1')).toBeUndefined();
  });

  it('keeps the pipeline config with a version that grows on every save', async () => {
    const repo = createDecisionsRepository(db.prisma, 'adv-config');
    expect(await repo.loadConfig((c) => c)).toBeUndefined();
    expect(await repo.saveConfig({ a: 1 }, T0)).toEqual({ config: { a: 1 }, version: 1, updatedAt: T0 });
    expect(await repo.saveConfig({ a: 2 }, T0 + 1)).toEqual({ config: { a: 2 }, version: 2, updatedAt: T0 + 1 });
    expect(await repo.loadConfig((c) => c)).toEqual({ config: { a: 2 }, version: 2, updatedAt: T0 + 1 });
  });
});
