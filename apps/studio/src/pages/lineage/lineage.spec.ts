import { buildTimeline, describe as describeEvent, relatedIds, stageOf, verdictEvents } from './lineage';

describe('lineage', () => {
  it('names the step of each event on the money path', () => {
    expect(
      [
        'DETECTOR_SIGNAL_GENERATED',
        'ADVISOR_DECISION_RESPONSE',
        'INSPECTOR_RISK_LIMIT_BREACH',
        'PROVIDER_ORDER_CREATE',
        'PROVIDER_ORDER_FILL',
        'INSPECTOR_PROTECTION_FAILED',
        'INSPECTOR_TRADE_OUTCOME',
      ].map(stageOf),
    ).toEqual(['Signal', 'Decision', 'Risk verdict', 'Order', 'Fill', 'Protection', 'Outcome']);
  });

  it('orders the chain by time, each event once, and follows its ids', () => {
    const events = [
      { eventId: 'f', type: 'PROVIDER_ORDER_FILL', timestamp: 2, payload: { orderId: 'o1', price: '10' } },
      {
        eventId: 'c',
        type: 'PROVIDER_ORDER_CREATE',
        timestamp: 2,
        correlationId: 's1',
        payload: { id: 'o1', side: 'BUY' },
      },
      { eventId: 's', type: 'DETECTOR_SIGNAL_GENERATED', timestamp: 1, payload: { signalId: 's1', direction: 'LONG' } },
      {
        eventId: 'c',
        type: 'PROVIDER_ORDER_CREATE',
        timestamp: 2,
        correlationId: 's1',
        payload: { id: 'o1', side: 'BUY' },
      },
      {
        eventId: 'x',
        type: 'PROVIDER_ORDER_CLOSE',
        timestamp: 2,
        correlationId: 's1',
        payload: { id: 'o1', side: 'BUY' },
      },
    ];
    expect(buildTimeline(events).map((e) => e.eventId)).toEqual(['s', 'c', 'f', 'x']);
    expect(relatedIds(events).sort()).toEqual(['o1', 's1']);
    expect(events.map(describeEvent)[2]).toBe('direction LONG');
  });

  it("adds the inspector's verdicts on the chain's correlation ids, between the decision and the order", () => {
    const chain = [
      { eventId: 's', type: 'DETECTOR_SIGNAL_GENERATED', timestamp: 1, correlationId: 'k1' },
      { eventId: 'c', type: 'PROVIDER_ORDER_CREATE', timestamp: 3, correlationId: 'k1' },
    ];
    const records = [
      { id: 'a1', dedupKey: 'intent:i1', action: 'ALLOW', policy: 'maxPositionPercent', correlationId: 'k1', at: 3 },
      { id: 'a2', dedupKey: 'intent:i2', action: 'BLOCK', policy: 'killSwitch', correlationId: 'other', at: 2 },
      { id: 'a3', dedupKey: 'kill:x', action: 'CLOSE_ALL', at: 2 },
    ];
    const verdicts = verdictEvents('inspector', records, chain);
    expect(verdicts).toHaveLength(1);
    expect(verdicts[0]).toMatchObject({
      eventId: 'audit:inspector:a1',
      type: 'INSPECTOR_RISK_VERDICT',
      correlationId: 'k1',
    });
    expect(stageOf(verdicts[0]!.type)).toBe('Risk verdict');
    expect(describeEvent(verdicts[0]!)).toBe('policy maxPositionPercent · action ALLOW');
    expect(buildTimeline([...chain, ...verdicts]).map((e) => e.eventId)).toEqual(['s', 'audit:inspector:a1', 'c']);
  });
});
