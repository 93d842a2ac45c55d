import { buildTimeline, describe as describeEvent, relatedIds, stageOf } from './lineage';

describe('lineage', () => {
  it('names the step of each event on the money path', () => {
    expect(['DETECTOR_SIGNAL_GENERATED', 'ADVISOR_DECISION_RESPONSE', 'INSPECTOR_RISK_LIMIT_BREACH', 'PROVIDER_ORDER_CREATE', 'PROVIDER_ORDER_FILL', 'INSPECTOR_PROTECTION_FAILED', 'INSPECTOR_TRADE_OUTCOME'].map(stageOf)).toEqual([
      'Signal',
      'Decision',
      'Risk verdict',
      'Order',
      'Fill',
      'Protection',
      'Outcome',
    ]);
  });

  it('orders the chain by time, each event once, and follows its ids', () => {
    const events = [
      { eventId: 'f', type: 'PROVIDER_ORDER_FILL', timestamp: 2, payload: { orderId: 'o1', price: '10' } },
      { eventId: 'c', type: 'PROVIDER_ORDER_CREATE', timestamp: 2, correlationId: 's1', payload: { id: 'o1', side: 'BUY' } },
      { eventId: 's', type: 'DETECTOR_SIGNAL_GENERATED', timestamp: 1, payload: { signalId: 's1', direction: 'LONG' } },
      { eventId: 'c', type: 'PROVIDER_ORDER_CREATE', timestamp: 2, correlationId: 's1', payload: { id: 'o1', side: 'BUY' } },
    ];
    expect(buildTimeline(events).map((e) => e.eventId)).toEqual(['s', 'c', 'f']);
    expect(relatedIds(events).sort()).toEqual(['o1', 's1']);
    expect(events.map(describeEvent)[2]).toBe('direction LONG');
  });
});
