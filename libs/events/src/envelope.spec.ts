import { EVENT_NAMES } from './catalog';
import type { EventPayload } from './catalog';
import { createEnvelope, parseEnvelope } from './envelope';
import type { AnyEventEnvelope, EventEnvelope } from './envelope';
import { EventValidationError } from './errors';
import { EVENT_EXAMPLES } from './examples';

const fixedNow = (): number => 1_700_000_000_000;
const trade = { time: 1, symbol: 'BTCUSDT', price: 65000.5, volume: '0.0020', side: 'LONG' } as const;

function catchError(fn: () => unknown): EventValidationError {
  try {
    fn();
  } catch (error) {
    if (error instanceof EventValidationError) return error;
    throw error;
  }
  throw new Error('expected an EventValidationError');
}

describe('createEnvelope', () => {
  it('fills id, time, source, version and routing fields from the payload', () => {
    const env = createEnvelope('PROVIDER_MARKETDATA_TRADE', trade, { correlationId: 'c1' }, fixedNow);
    expect(env).toMatchObject({
      type: 'PROVIDER_MARKETDATA_TRADE',
      source: 'PROVIDER',
      timestamp: 1_700_000_000_000,
      version: 1,
      symbol: 'BTCUSDT',
      correlationId: 'c1',
    });
    expect(env.eventId).toMatch(/^[0-9a-f-]{36}$/);
    // Money normalised to canonical decimal strings.
    expect(env.payload.price).toBe('65000.5');
    expect(env.payload.volume).toBe('0.002');
    expect('causationId' in env).toBe(false);
  });

  it('takes routing from meta over the payload, and the symbol from a custom field', () => {
    const env = createEnvelope('PROVIDER_ORDER_CREATE', EVENT_EXAMPLES.PROVIDER_ORDER_CREATE, {
      symbol: 'ETHUSDT',
      eventId: 'e-1',
      timestamp: 5,
      replay: true,
    });
    expect(env).toMatchObject({ eventId: 'e-1', timestamp: 5, symbol: 'ETHUSDT', connectorType: 'sim', replay: true });
    const ticker = createEnvelope('PROVIDER_SYMBOL_PRICES', EVENT_EXAMPLES.PROVIDER_SYMBOL_PRICES);
    expect(ticker.symbol).toBe('BTCUSDT');
  });

  it('rejects a wrong payload with EventValidationError naming the field', () => {
    const error = catchError(() =>
      createEnvelope('PROVIDER_MARKETDATA_TRADE', { ...trade, price: 'abc' } as never, {}, fixedNow),
    );
    expect(error.code).toBe('EVENT_VALIDATION');
    expect(error.eventName).toBe('PROVIDER_MARKETDATA_TRADE');
    expect(error.message).toMatch(/price/);
    expect(error.issues.length).toBeGreaterThan(0);
  });

  it('rejects unknown names and bad routing meta', () => {
    expect(() => createEnvelope('NOPE' as never, {} as never)).toThrow(EventValidationError);
    expect(() => createEnvelope('PROVIDER_MARKETDATA_TRADE', trade, { connectorType: 'kraken' as never })).toThrow(
      /connectorType/,
    );
  });
});

describe('parseEnvelope', () => {
  it.each(EVENT_NAMES)('%s: example round-trips through JSON', (name) => {
    const env = createEnvelope(name, EVENT_EXAMPLES[name] as never, { causationId: 'x' }, fixedNow);
    const back = parseEnvelope(JSON.parse(JSON.stringify(env)));
    expect(back).toEqual(env);
  });

  it('rejects a source that does not match the prefix', () => {
    const env = createEnvelope('PROVIDER_MARKETDATA_TRADE', trade);
    const error = catchError(() => parseEnvelope({ ...env, source: 'DETECTOR' }));
    expect(error.message).toMatch(/may only come from PROVIDER/);
  });

  it('rejects a wrong payload, an unknown type and a malformed envelope', () => {
    const env = createEnvelope('PROVIDER_MARKETDATA_TRADE', trade);
    expect(catchError(() => parseEnvelope({ ...env, payload: { ...env.payload, side: 'UP' } })).eventName).toBe(
      'PROVIDER_MARKETDATA_TRADE',
    );
    expect(catchError(() => parseEnvelope({ ...env, type: 'PROVIDER_NOPE' })).message).toMatch(/Unknown event/);
    expect(catchError(() => parseEnvelope({ ...env, timestamp: 'now' })).message).toMatch(/Malformed/);
    expect(() => parseEnvelope('not json')).toThrow(EventValidationError);
    expect(() => parseEnvelope(null)).toThrow(EventValidationError);
  });

  it('ignores unknown envelope keys but keeps known ones', () => {
    const env = createEnvelope('INSPECTOR_RISK_KILL_SWITCH', { active: true, reason: 'test' }, { key: 'inspector' });
    const back = parseEnvelope({ ...env, extra: 1 });
    expect(back).toEqual(env);
  });
});

describe('typing', () => {
  it('selects the payload type by name at compile time', () => {
    const env = createEnvelope('PROVIDER_ORDER_FILL', EVENT_EXAMPLES.PROVIDER_ORDER_FILL);
    const fill: EventPayload<'PROVIDER_ORDER_FILL'> = env.payload;
    expect(fill.fillId).toBe('fill-1');

    expect(() =>
      // @ts-expect-error a trade payload is not a valid order fill payload
      createEnvelope('PROVIDER_ORDER_FILL', trade),
    ).toThrow(EventValidationError);

    // @ts-expect-error 'UP' is not a TradeSide
    const badSide: EventPayload<'PROVIDER_MARKETDATA_TRADE'> = { ...env.payload, side: 'UP' };
    expect(badSide).toBeDefined();

    // @ts-expect-error not a catalog name
    expect(() => createEnvelope('PROVIDER_NOPE', {})).toThrow(EventValidationError);
  });

  it('narrows the payload of AnyEventEnvelope by type', () => {
    const env = parseEnvelope(JSON.parse(JSON.stringify(createEnvelope('PROVIDER_MARKETDATA_TRADE', trade))));
    const any = env as AnyEventEnvelope;
    if (any.type === 'PROVIDER_MARKETDATA_TRADE') {
      const typed: EventEnvelope<'PROVIDER_MARKETDATA_TRADE'> = any;
      expect(typed.payload.side).toBe('LONG');
    } else {
      throw new Error('wrong type');
    }
  });
});
