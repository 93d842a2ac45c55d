import { EVENT_EXAMPLES } from '@barfinex/events';
import type { EventEnvelope } from '@barfinex/events';
import { createLogger } from '@barfinex/service-kit';
import { DEFAULT_PIPELINE_CONFIG } from '../pipeline/pipeline-config';
import type { PipelineRun } from '../pipeline/pipeline';
import { T0 } from '../testing/fixtures';
import type { DecisionRecord } from './decision-record';
import type { DecisionsRepository } from './decisions.repository';
import { createDecisionsService } from './decisions.service';
import { createSignalGate } from './signal-gate';

const approvedRun: PipelineRun = {
  approved: true,
  confidence: 0.8,
  direction: 'LONG',
  stages: [],
  reasoning: 'approved',
  context: {},
  plan: { entry: '65000', stopLoss: '64500', takeProfit: '66000', riskReward: '2' },
};

function setup() {
  let clock = T0;
  const stored = new Map<string, DecisionRecord>();
  const repo = {
    findByDedupKey: async (key: string) => stored.get(key),
    insert: async (record: DecisionRecord) => {
      const existing = stored.get(record.dedupKey);
      if (existing) return { record: existing, created: false };
      stored.set(record.dedupKey, record);
      return { record, created: true };
    },
    markPublished: async (decisionId: string, at: number) => {
      for (const [key, r] of stored) if (r.decisionId === decisionId) stored.set(key, { ...r, publishedAt: at });
    },
  } as unknown as DecisionsRepository;
  const published: { name: string; payload: unknown }[] = [];
  let pipelineRuns = 0;
  const service = createDecisionsService({
    advisorKey: 'advisor',
    repo,
    bus: { publish: (async (name: string, payload: unknown) => void published.push({ name, payload })) as never },
    gate: createSignalGate(() => clock),
    pipeline: async () => (pipelineRuns++, approvedRun),
    config: () => DEFAULT_PIPELINE_CONFIG,
    now: () => clock,
    logger: createLogger({ name: 'advisor', level: 'silent' }),
  });
  const signal = (payload: Partial<EventEnvelope<'DETECTOR_SIGNAL_GENERATED'>['payload']>) =>
    ({
      eventId: `ev-${payload.signalId ?? 'sig-1'}`,
      type: 'DETECTOR_SIGNAL_GENERATED',
      source: 'detector',
      timestamp: clock,
      version: 1,
      payload: { ...EVENT_EXAMPLES.DETECTOR_SIGNAL_GENERATED, ...payload },
    }) as unknown as EventEnvelope<'DETECTOR_SIGNAL_GENERATED'>;
  return { service, published, signal, setClock: (t: number) => (clock = t), runs: () => pipelineRuns };
}

const intents = (published: { name: string; payload: unknown }[]) =>
  published
    .filter((p) => p.name === 'ADVISOR_EXECUTION_INTENT_OPEN')
    .map((p) => p.payload as { expiresAt: number; idempotencyKey: string });

describe('decisions service', () => {
  it('rejects a signal that arrives after its expiry, without an intent', async () => {
    const { service, published, signal } = setup();
    const record = await service.handleSignal(signal({ signalId: 'sig-old', expiresAt: T0 - 1 }));
    expect(record.approved).toBe(false);
    expect(record.outcome).toBe('rejected');
    expect(record.reasoning).toMatch(/expired/);
    expect(intents(published)).toEqual([]);
  });

  it('never lets the intent outlive the signal it came from', async () => {
    const { service, published, signal } = setup();
    const expiresAt = T0 + 10_000;
    await service.handleSignal(signal({ signalId: 'sig-short', expiresAt }));
    expect(intents(published).map((i) => i.expiresAt)).toEqual([expiresAt]);
  });

  it('keeps the configured time to live for a signal without an expiry, and one intent per redelivered signal', async () => {
    const { service, published, signal, runs } = setup();
    await service.handleSignal(signal({ signalId: 'sig-1' }));
    await service.handleSignal(signal({ signalId: 'sig-1' }));
    expect(runs()).toBe(1);
    expect(intents(published).map((i) => i.expiresAt)).toEqual([T0 + DEFAULT_PIPELINE_CONFIG.intent.ttlMs]);
  });
});
