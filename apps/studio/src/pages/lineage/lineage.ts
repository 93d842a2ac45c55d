/** A stored event as the lineage shows it: its step in the money path and the fields that matter. */
export interface LineageEvent {
  eventId: string;
  type: string;
  timestamp: number;
  correlationId?: string | undefined;
  payload?: unknown;
}

export type Stage = 'Signal' | 'Decision' | 'Risk verdict' | 'Order' | 'Fill' | 'Protection' | 'Outcome' | 'Other';

export const STAGE_ORDER: readonly Stage[] = [
  'Signal',
  'Decision',
  'Risk verdict',
  'Order',
  'Fill',
  'Protection',
  'Outcome',
  'Other',
];

export function stageOf(type: string): Stage {
  if (type.startsWith('DETECTOR_SIGNAL') || type.startsWith('DETECTOR_POSITION')) return 'Signal';
  if (type.startsWith('ADVISOR_')) return 'Decision';
  if (type === 'INSPECTOR_TRADE_OUTCOME') return 'Outcome';
  if (type.startsWith('INSPECTOR_PROTECTION')) return 'Protection';
  if (type.startsWith('INSPECTOR_')) return 'Risk verdict';
  if (type === 'PROVIDER_ORDER_FILL') return 'Fill';
  if (type.startsWith('PROVIDER_ORDER')) return 'Order';
  return 'Other';
}

/** Where a step sorts among steps of the same millisecond: by stage, an order's close after its fills. */
function rank(type: string): number {
  return type === 'PROVIDER_ORDER_CLOSE' ? STAGE_ORDER.indexOf('Fill') + 0.5 : STAGE_ORDER.indexOf(stageOf(type));
}

/** Events of one chain, each once, in the order they happened (ties keep the money path's order). */
export function buildTimeline(events: readonly LineageEvent[]): LineageEvent[] {
  const byId = new Map<string, LineageEvent>();
  for (const e of events) byId.set(e.eventId, e);
  return [...byId.values()].sort((a, b) => a.timestamp - b.timestamp || rank(a.type) - rank(b.type));
}

/** Ids inside a chain's events that lead to more of it: correlation ids, order ids, signal ids. */
export function relatedIds(events: readonly LineageEvent[]): string[] {
  const ids = new Set<string>();
  for (const e of events) {
    if (e.correlationId) ids.add(e.correlationId);
    const p = (e.payload ?? {}) as Record<string, unknown>;
    for (const key of ['signalId', 'orderId', 'correlationId', 'intentId'])
      if (typeof p[key] === 'string') ids.add(p[key]);
    if (e.type.startsWith('PROVIDER_ORDER') && typeof p['id'] === 'string') ids.add(p['id']);
  }
  return [...ids];
}

/**
 * The inspector's verdicts on a chain, from its audit log (an allowed entry publishes no event of
 * its own): each audit record whose correlation id is one of the chain's becomes a `Risk verdict`
 * step, typed `INSPECTOR_RISK_VERDICT` and keyed by the record, so it sorts in with the events.
 */
export function verdictEvents(
  appKey: string,
  records: readonly Record<string, unknown>[],
  chain: readonly LineageEvent[],
): LineageEvent[] {
  const correlations = new Set(chain.map((e) => e.correlationId).filter((c): c is string => typeof c === 'string'));
  const out: LineageEvent[] = [];
  for (const r of records) {
    const correlationId = typeof r['correlationId'] === 'string' ? r['correlationId'] : undefined;
    if (!correlationId || !correlations.has(correlationId)) continue;
    const at = typeof r['at'] === 'number' ? r['at'] : Date.parse(String(r['at'] ?? r['createdAt'] ?? ''));
    const id = String(r['id'] ?? r['dedupKey'] ?? `${correlationId}:${String(r['action'])}`);
    out.push({
      eventId: `audit:${appKey}:${id}`,
      type: 'INSPECTOR_RISK_VERDICT',
      timestamp: Number.isFinite(at) ? at : 0,
      correlationId,
      payload: { inspector: appKey, ...r },
    });
  }
  return out;
}

/** One line per step: the fields a trader reads first. */
export function describe(e: LineageEvent): string {
  const p = (e.payload ?? {}) as Record<string, unknown>;
  const pick = (keys: string[]) =>
    keys
      .filter((k) => p[k] !== undefined && p[k] !== null && typeof p[k] !== 'object')
      .map((k) => `${k} ${String(p[k])}`);
  switch (stageOf(e.type)) {
    case 'Signal':
      return pick(['direction', 'strategy', 'score', 'confidence', 'price']).join(' · ');
    case 'Decision':
      return pick(['action', 'verdict', 'side', 'confidence', 'quantity', 'reason']).join(' · ');
    case 'Risk verdict':
      return pick(['policy', 'action', 'verdict', 'reason', 'active']).join(' · ');
    case 'Order':
      return pick(['side', 'type', 'quantity', 'price', 'stopPrice', 'status', 'clientOrderId']).join(' · ');
    case 'Fill':
      return pick(['side', 'price', 'quantity', 'orderStatus']).join(' · ');
    default:
      return pick(['side', 'pnl', 'reason', 'status']).join(' · ');
  }
}
