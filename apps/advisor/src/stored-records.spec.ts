import { createMemoryBus } from '@barfinex/bus';
import { createTestPglite } from '@barfinex/db/testing';
import type { Database } from '@barfinex/db';
import { EVENT_EXAMPLES } from '@barfinex/events';
import type { AnyEventEnvelope } from '@barfinex/events';
import { createLogger } from '@barfinex/service-kit';
import { eventually } from '@barfinex/testing';
import { createAdvisorApp } from './app';
import { loadAdvisorConfig } from './config';
import { createDecisionsRepository } from './decisions/decisions.repository';
import { MINUTE, T0, fakeProvider } from './testing/fixtures';

const TOKEN = 'advisor-quarantine-token';
const decided = {
  symbol: 'ETHUSDT',
  direction: 'LONG',
  approved: false,
  confidence: 0.5,
  reasoning: 'r',
  stages: [],
  context: {},
  decidedAt: BigInt(T0),
};

describe('advisor: stored records that fail validation are quarantined, the advisor starts with the rest', () => {
  let db: Database;
  beforeEach(async () => {
    db = await createTestPglite();
  });
  afterEach(async () => {
    await db.close();
  });

  it('a broken pipeline config and broken decisions are moved aside; defaults, good decisions and a re-decided signal follow', async () => {
    const good = {
      decisionId: 'dec-good',
      dedupKey: 'request:good',
      requestId: 'good',
      symbol: 'ETHUSDT',
      direction: 'LONG',
      outcome: 'rejected',
      approved: false,
      confidence: 0.5,
      reasoning: 'r',
      stages: [],
      context: {},
      decidedAt: T0,
    } as const;
    await createDecisionsRepository(db.prisma, 'advisor').insert({ ...good, stages: [], context: {} });
    await db.prisma.advisorDecision.createMany({
      data: [
        // The stored decision for the catalog's example signal (sig-1), in an outcome no schema knows.
        {
          advisorKey: 'advisor',
          decisionId: 'dec-bad-1',
          dedupKey: 'signal:sig-1',
          signalId: 'sig-1',
          outcome: 'maybe',
          ...decided,
        },
        {
          advisorKey: 'advisor',
          decisionId: 'dec-bad-2',
          dedupKey: 'request:bad',
          requestId: 'bad',
          outcome: 'rejected',
          ...decided,
          stages: { not: 'a list' },
        },
      ],
    });
    await db.prisma.advisorPipelineConfig.create({
      data: {
        advisorKey: 'advisor',
        config: { execution: { minRiskReward: '-1' } },
        version: 4,
        updatedAt: BigInt(T0),
      },
    });

    const bus = createMemoryBus();
    const seen: AnyEventEnvelope[] = [];
    await bus.subscribeAll((env) => void seen.push(env as AnyEventEnvelope));
    const config = loadAdvisorConfig({ ADVISOR_PORT: '0', ADVISOR_HOST: '127.0.0.1', ADVISOR_API_TOKEN: TOKEN });
    const advisor = await createAdvisorApp({
      config,
      logger: createLogger({ name: 'advisor', level: 'silent' }),
      bus,
      db,
      provider: fakeProvider().provider,
      now: () => T0 + 120 * MINUTE,
    });
    const { url } = await advisor.start();
    const get = async (path: string) => {
      const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
      return { status: res.status, text: await res.text() };
    };
    try {
      expect(JSON.parse((await get('/pipeline/config')).text)).toMatchObject({
        version: 0,
        config: { conviction: { minConfidence: 0.55 } },
      });
      expect(await db.prisma.advisorPipelineConfig.count()).toBe(0);

      const list = JSON.parse((await get('/decisions')).text) as { total: number; data: { decisionId: string }[] };
      expect(list.data.map((d) => d.decisionId)).toEqual(['dec-good']);
      expect((await get('/decisions/dec-bad-1')).status).toBe(404);

      // The signal whose stored decision was broken is decided again instead of failing on every delivery.
      await bus.publish('DETECTOR_SIGNAL_GENERATED', EVENT_EXAMPLES.DETECTOR_SIGNAL_GENERATED, {
        correlationId: 'corr-q',
      });
      await eventually(() =>
        expect(seen.some((e) => e.type === 'ADVISOR_DECISION_RESPONSE' && e.correlationId === 'corr-q')).toBe(true),
      );

      const rows = await db.prisma.quarantinedRecord.findMany({ orderBy: { recordKey: 'asc' } });
      expect(rows.map((r) => [r.app, r.source, r.recordKey])).toEqual([
        ['advisor', 'advisor_pipeline_configs', 'advisor'],
        ['advisor', 'advisor_decisions', 'advisor/request:bad'],
        ['advisor', 'advisor_decisions', 'advisor/signal:sig-1'],
      ]);
      expect(rows.find((r) => r.recordKey === 'advisor')).toMatchObject({
        reason: expect.stringContaining('minRiskReward'),
        value: { config: { execution: { minRiskReward: '-1' } }, version: 4 },
      });
      expect(rows.find((r) => r.recordKey === 'advisor/signal:sig-1')?.reason).toContain('outcome');

      const ready = await get('/health/ready');
      expect(ready.status).toBe(200);
      expect(JSON.parse(ready.text).checks.quarantine).toMatchObject({
        ok: true,
        details: {
          records: 3,
          bySource: [
            { source: 'advisor_decisions', count: 2 },
            { source: 'advisor_pipeline_configs', count: 1 },
          ],
        },
      });
      expect((await get('/metrics')).text).toMatch(/bfx_quarantined_records\{[^}]*source="advisor_decisions"[^}]*\} 2/);
    } finally {
      await advisor.stop();
      await bus.close();
    }
  });
});
