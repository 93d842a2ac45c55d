import type { Bus } from '@barfinex/bus';
import type { EventEnvelope } from '@barfinex/events';
import type { Logger } from 'pino';
import type { PipelineConfig } from '../pipeline/pipeline-config';
import type { PipelineRun } from '../pipeline/pipeline';
import type { TradeIdea } from '../pipeline/types';
import { decisionIds } from './decision-ids';
import { publishDecision } from './decision-publisher';
import type { DecisionRecord } from './decision-record';
import type { DecisionsRepository } from './decisions.repository';
import type { SignalGate } from './signal-gate';

export interface DecisionsServiceDeps {
  advisorKey: string;
  repo: DecisionsRepository;
  bus: Pick<Bus, 'publish'>;
  gate: SignalGate;
  pipeline: (idea: TradeIdea, config: PipelineConfig) => Promise<PipelineRun>;
  config: () => PipelineConfig;
  now: () => number;
  logger: Logger;
  onDecided?: (record: DecisionRecord) => void;
}

interface Origin {
  dedupKey: string;
  correlationId: string;
  causationId: string;
}

type Venue = Pick<TradeIdea, 'connectorType' | 'marketType'>;

/** The payload's venue, else the envelope's, else the configured default. */
function venueOf(payload: Partial<Venue>, env: Partial<Venue>, config: PipelineConfig): Venue {
  return {
    connectorType: payload.connectorType ?? env.connectorType ?? config.intent.connectorType,
    marketType: payload.marketType ?? env.marketType ?? config.intent.marketType,
  };
}

export function ideaFromSignal(env: EventEnvelope<'DETECTOR_SIGNAL_GENERATED'>, config: PipelineConfig): TradeIdea {
  const s = env.payload;
  return {
    origin: 'signal',
    symbol: s.symbol,
    ...venueOf(s, env, config),
    direction: s.direction,
    signalId: s.signalId,
    detectorKey: s.detectorKey,
    detectorConfidence: s.confidence,
    ...(s.entry ? { entry: s.entry.price } : {}),
    ...(s.stop ? { stop: s.stop.price } : {}),
    targets: s.targets.map((t) => t.price),
    ...(s.expiresAt !== undefined ? { expiresAt: s.expiresAt } : {}),
  };
}

export function ideaFromRequest(env: EventEnvelope<'ADVISOR_DECISION_REQUEST'>, config: PipelineConfig): TradeIdea {
  const r = env.payload;
  return {
    origin: 'request',
    symbol: r.symbol,
    ...venueOf(r, env, config),
    requestId: r.requestId,
    ...(r.signalId ? { signalId: r.signalId } : {}),
    targets: [],
  };
}

/** Turns signals and requests into persisted, published decisions, once per signal or request. */
export function createDecisionsService(deps: DecisionsServiceDeps) {
  // Decisions for one symbol run one at a time, so the throttle sees every earlier outcome.
  const chains = new Map<string, Promise<unknown>>();
  const inFlight = new Set<Promise<unknown>>();

  function serial<T>(key: string, task: () => Promise<T>): Promise<T> {
    const run = (chains.get(key) ?? Promise.resolve()).then(task, task);
    const tail = run.catch(() => undefined);
    chains.set(key, tail);
    inFlight.add(tail);
    void tail.then(() => {
      inFlight.delete(tail);
      if (chains.get(key) === tail) chains.delete(key);
    });
    return run;
  }

  async function publishAndMark(record: DecisionRecord): Promise<DecisionRecord> {
    await publishDecision(deps.bus, record);
    const at = deps.now();
    await deps.repo.markPublished(record.decisionId, at);
    return { ...record, publishedAt: at };
  }

  function build(idea: TradeIdea, origin: Origin, run: PipelineRun): DecisionRecord {
    const config = deps.config();
    const ids = decisionIds(deps.advisorKey, origin.dedupKey);
    const decidedAt = deps.now();
    const ref = {
      ...(idea.signalId ? { signalId: idea.signalId } : {}),
      ...(idea.requestId ? { requestId: idea.requestId } : {}),
    };
    const record: DecisionRecord = {
      decisionId: ids.decisionId,
      dedupKey: origin.dedupKey,
      ...ref,
      symbol: idea.symbol,
      ...(run.direction ? { direction: run.direction } : {}),
      outcome: run.approved ? 'approved' : run.lowConfidence ? 'low_confidence' : 'rejected',
      approved: run.approved,
      confidence: run.confidence,
      reasoning: run.reasoning,
      stages: run.stages,
      context: run.context,
      correlationId: origin.correlationId,
      causationId: origin.causationId,
      decidedAt,
    };
    if (run.lowConfidence) {
      record.confidenceLow = {
        decisionId: ids.decisionId,
        ...(idea.signalId ? { signalId: idea.signalId } : {}),
        symbol: idea.symbol,
        ...run.lowConfidence,
      };
    }
    if (run.approved && run.plan && run.direction) {
      const size =
        config.intent.quantity !== undefined
          ? { quantity: config.intent.quantity }
          : { notional: config.intent.notional };
      record.intent = {
        intentId: ids.intentId,
        idempotencyKey: ids.idempotencyKey,
        decisionId: ids.decisionId,
        ...(idea.signalId ? { signalId: idea.signalId } : {}),
        symbol: idea.symbol,
        side: run.direction === 'LONG' ? 'BUY' : 'SELL',
        ...size,
        entry: run.plan.entry,
        stopLoss: run.plan.stopLoss,
        takeProfit: run.plan.takeProfit,
        confidence: run.confidence,
        connectorType: idea.connectorType,
        marketType: idea.marketType,
        // The inspector may not act on an intent after the signal behind it has expired.
        expiresAt: Math.min(decidedAt + config.intent.ttlMs, idea.expiresAt ?? Number.POSITIVE_INFINITY),
      };
    }
    return record;
  }

  async function decide(idea: TradeIdea, origin: Origin): Promise<DecisionRecord> {
    return serial(idea.symbol, async () => {
      const existing = await deps.repo.findByDedupKey(origin.dedupKey);
      if (existing) {
        deps.logger.info(
          { decisionId: existing.decisionId, dedupKey: origin.dedupKey, correlationId: origin.correlationId },
          'redelivered; decision already made',
        );
        return existing.publishedAt === undefined ? publishAndMark(existing) : existing;
      }
      const config = deps.config();
      const at = deps.now();
      const expired = idea.expiresAt !== undefined && at >= idea.expiresAt;
      const verdict = expired ? undefined : deps.gate.check(idea, config.throttle);
      let run: PipelineRun;
      if (expired && idea.expiresAt !== undefined) {
        // A signal redelivered or queued past its expiry is history, not a trade idea.
        const reason = `signal expired at ${idea.expiresAt}, ${at - idea.expiresAt} ms before the decision`;
        run = {
          approved: false,
          confidence: 0,
          ...(idea.direction ? { direction: idea.direction } : {}),
          stages: [{ name: 'expiry', passed: false, reason }],
          reasoning: `rejected: ${reason}`,
          context: { idea },
        };
      } else if (verdict) {
        const stage = { name: 'throttle', passed: false, reason: verdict.reason };
        run = {
          approved: false,
          confidence: 0,
          ...(idea.direction ? { direction: idea.direction } : {}),
          stages: [stage],
          reasoning: `${verdict.outcome}: ${verdict.reason}`,
          context: { idea },
        };
      } else {
        run = await deps.pipeline(idea, config);
        deps.gate.note(idea, run.approved, config.throttle);
      }
      const record = build(idea, origin, run);
      if (verdict) record.outcome = verdict.outcome;
      const { record: stored, created } = await deps.repo.insert(record);
      const published = created || stored.publishedAt === undefined ? await publishAndMark(stored) : stored;
      deps.logger.info(
        {
          decisionId: stored.decisionId,
          symbol: stored.symbol,
          outcome: stored.outcome,
          confidence: stored.confidence,
          correlationId: origin.correlationId,
        },
        stored.reasoning,
      );
      deps.onDecided?.(published);
      return published;
    });
  }

  return {
    handleSignal(env: EventEnvelope<'DETECTOR_SIGNAL_GENERATED'>): Promise<DecisionRecord> {
      const idea = ideaFromSignal(env, deps.config());
      return decide(idea, {
        dedupKey: `signal:${env.payload.signalId}`,
        correlationId: env.correlationId ?? env.eventId,
        causationId: env.eventId,
      });
    },
    handleRequest(env: EventEnvelope<'ADVISOR_DECISION_REQUEST'>): Promise<DecisionRecord> {
      const idea = ideaFromRequest(env, deps.config());
      return decide(idea, {
        dedupKey: `request:${env.payload.requestId}`,
        correlationId: env.correlationId ?? env.eventId,
        causationId: env.eventId,
      });
    },
    /** Resolves when every decision started so far has finished. */
    async idle(): Promise<void> {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
}
export type DecisionsService = ReturnType<typeof createDecisionsService>;
