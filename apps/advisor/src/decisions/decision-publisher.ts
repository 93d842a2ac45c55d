import type { Bus } from '@barfinex/bus';
import type { EventMeta } from '@barfinex/events';
import type { DecisionRecord } from './decision-record';

/**
 * Publishes a stored decision: context snapshot, response, confidence-low and the execution
 * intent. Event ids derive from the decision id, so a republish after a crash is recognisable as
 * the same events downstream.
 */
export async function publishDecision(bus: Pick<Bus, 'publish'>, record: DecisionRecord): Promise<void> {
  const meta = (suffix: string): EventMeta => ({
    eventId: `${record.decisionId}.${suffix}`,
    symbol: record.symbol,
    ...(record.correlationId ? { correlationId: record.correlationId } : {}),
    ...(record.causationId ? { causationId: record.causationId } : {}),
  });
  const ref = {
    ...(record.signalId ? { signalId: record.signalId } : {}),
    ...(record.requestId ? { requestId: record.requestId } : {}),
  };
  await bus.publish(
    'ADVISOR_DECISION_CONTEXT_SNAPSHOT',
    { decisionId: record.decisionId, symbol: record.symbol, context: record.context },
    meta('context'),
  );
  await bus.publish(
    'ADVISOR_DECISION_RESPONSE',
    {
      decisionId: record.decisionId,
      ...ref,
      symbol: record.symbol,
      approved: record.approved,
      confidence: record.confidence,
      reasoning: record.reasoning,
      stages: record.stages,
      decidedAt: record.decidedAt,
    },
    meta('response'),
  );
  if (record.confidenceLow) await bus.publish('ADVISOR_CONFIDENCE_LOW', record.confidenceLow, meta('confidence-low'));
  if (record.intent) await bus.publish('ADVISOR_EXECUTION_INTENT_OPEN', record.intent, meta('intent'));
}
