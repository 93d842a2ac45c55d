import {
  EVENT_CATALOG,
  EVENT_NAMES,
  eventPayloadJsonSchema,
  eventSourceOf,
  getEventDefinition,
  isDurableEvent,
  isEventName,
  listEventCatalog,
} from './catalog';

// Names the seed and the inventory require; the catalog may hold more, never fewer.
const REQUIRED = [
  'PROVIDER_MARKETDATA_TRADE',
  'PROVIDER_MARKETDATA_ORDERBOOK',
  'PROVIDER_MARKETDATA_CANDLE',
  'PROVIDER_ACCOUNT_EVENT',
  'PROVIDER_ORDER_CREATE',
  'PROVIDER_ORDER_CLOSE',
  'PROVIDER_ORDER_FILL',
  'PROVIDER_SYMBOLS',
  'PROVIDER_SYMBOL_PRICES',
  'PROVIDER_APP_REGISTERED',
  'PROVIDER_APP_HEARTBEAT',
  'PROVIDER_APP_UNREGISTERED',
  'PROVIDER_REPLAY_PROGRESS',
  'PROVIDER_BACKFILL_PROGRESS',
  'PROVIDER_RECONCILIATION',
  'DETECTOR_SIGNAL_GENERATED',
  'DETECTOR_SIGNAL_UPDATED',
  'DETECTOR_SIGNAL_INVALIDATED',
  'DETECTOR_POSITION_OPEN_REQUEST',
  'DETECTOR_POSITION_CLOSE_REQUEST',
  'DETECTOR_POSITION_REDUCE_REQUEST',
  'DETECTOR_POSITION_FLIP_REQUEST',
  'ADVISOR_DECISION_REQUEST',
  'ADVISOR_DECISION_RESPONSE',
  'ADVISOR_DECISION_CONTEXT_SNAPSHOT',
  'ADVISOR_EXECUTION_INTENT_OPEN',
  'ADVISOR_CONFIDENCE_LOW',
  'ADVISOR_MODEL_SWITCHED',
  'ADVISOR_HALLUCINATION_DETECTED',
  'INSPECTOR_RISK_LIMIT_BREACH',
  'INSPECTOR_RISK_KILL_SWITCH',
  'INSPECTOR_RISK_MARGIN_UPDATE',
  'INSPECTOR_TRADE_OUTCOME',
  'INSPECTOR_TREND_DETECTED',
  'INSPECTOR_RANGE_DETECTED',
  'INSPECTOR_VOLATILITY_SPIKE',
  'INSPECTOR_LIQUIDITY_DROPPED',
  'INSPECTOR_DATA_GAP_DETECTED',
  'INSPECTOR_DATA_OUTLIER_DETECTED',
  'INSPECTOR_DATA_MATURITY_UPDATE',
];

describe('event catalog', () => {
  it('contains every required name', () => {
    for (const name of REQUIRED) expect(EVENT_NAMES).toContain(name);
  });

  it.each(EVENT_NAMES)('%s: prefix is its source', (name) => {
    const { source } = EVENT_CATALOG[name];
    expect(name.startsWith(`${source}_`)).toBe(true);
    expect(eventSourceOf(name)).toBe(source);
  });

  it('lists every name with non-empty EN and RU descriptions', () => {
    const listed = listEventCatalog();
    expect(listed.map((e) => e.name)).toEqual([...EVENT_NAMES]);
    for (const entry of listed) {
      expect(entry.description.en.trim()).not.toBe('');
      expect(entry.description.ru.trim()).not.toBe('');
      expect(entry.description.ru).toMatch(/[а-яё]/i);
      expect(entry.category).not.toBe('');
    }
  });

  it('marks audit-critical events durable and market data not', () => {
    for (const name of EVENT_NAMES) {
      const category = EVENT_CATALOG[name].category;
      if (['order', 'account', 'signal', 'position', 'risk'].includes(category)) {
        expect([name, isDurableEvent(name)]).toEqual([name, true]);
      }
    }
    expect(isDurableEvent('ADVISOR_EXECUTION_INTENT_OPEN')).toBe(true);
    expect(isDurableEvent('ADVISOR_DECISION_RESPONSE')).toBe(true);
    expect(isDurableEvent('PROVIDER_MARKETDATA_TRADE')).toBe(false);
  });

  it('exports a JSON Schema for every payload', () => {
    for (const name of EVENT_NAMES) {
      const schema = eventPayloadJsonSchema(name);
      expect(schema['$schema']).toMatch(/2020-12/);
    }
    expect(JSON.stringify(eventPayloadJsonSchema('PROVIDER_MARKETDATA_TRADE'))).toContain('"LONG"');
  });

  it('recognises names and rejects others', () => {
    expect(isEventName('PROVIDER_ORDER_FILL')).toBe(true);
    expect(isEventName('PROVIDER_NOPE')).toBe(false);
    expect(isEventName('toString')).toBe(false);
    expect(eventSourceOf('nope')).toBeUndefined();
    expect(() => getEventDefinition('nope' as never)).toThrow(/Unknown event name/);
  });
});
