import { createEnvelope, EventValidationError } from '@barfinex/events';
import {
  decodeEnvelope,
  decodeReply,
  encodeReplyFailure,
  encodeReplySuccess,
  normaliseNames,
  parseSubscribeOptions,
} from './codec';
import { LIVE_EVENT, livePayload } from './contract-fixtures';
import { BusError, BusRemoteError } from './errors';
import { createNatsBus } from './nats';

describe('decodeEnvelope', () => {
  const env = createEnvelope(LIVE_EVENT, livePayload('BTCUSDT', 1));

  it('returns the validated envelope', () => {
    expect(decodeEnvelope(JSON.stringify(env), LIVE_EVENT, 'BTCUSDT')).toEqual(env);
  });

  it('rejects non-JSON, invalid payloads, the wrong event and the wrong symbol', () => {
    expect(() => decodeEnvelope('{', LIVE_EVENT, undefined)).toThrow(BusError);
    expect(() => decodeEnvelope(JSON.stringify({ ...env, payload: {} }), LIVE_EVENT, undefined)).toThrow(
      EventValidationError,
    );
    expect(() => decodeEnvelope(JSON.stringify(env), 'PROVIDER_MARKETDATA_CANDLE', undefined)).toThrow(
      /arrived on the PROVIDER_MARKETDATA_CANDLE subject/,
    );
    expect(() => decodeEnvelope(JSON.stringify(env), LIVE_EVENT, 'ETHUSDT')).toThrow(/symbol BTCUSDT/);
  });
});

describe('reply wire format', () => {
  it('round-trips results and errors with their code', () => {
    expect(decodeReply('s', encodeReplySuccess({ a: 1 }))).toEqual({ a: 1 });
    const failure = Object.assign(new Error('nope'), { code: 'NOT_FOUND' });
    expect(() => decodeReply('s', encodeReplyFailure(failure))).toThrow(BusRemoteError);
    try {
      decodeReply('s', encodeReplyFailure(failure));
    } catch (err) {
      expect(err).toMatchObject({ code: 'BUS_REMOTE_ERROR', remoteCode: 'NOT_FOUND', message: 'nope' });
    }
    expect(() => decodeReply('s', '{"hello":1}')).toThrow(/malformed reply/);
  });
});

describe('option validation', () => {
  it('rejects bad subscribe options with BUS_INVALID_OPTIONS', () => {
    expect(parseSubscribeOptions({ queue: 'workers', durable: 'audit' })).toEqual({
      queue: 'workers',
      durable: 'audit',
    });
    for (const bad of [
      { queue: 'a.b' },
      { durable: 'x y' },
      { partition: { index: 0, count: 65 } },
      { partition: { index: 0, count: 2 }, durable: 'd' },
      { nope: 1 },
    ]) {
      expect(() => parseSubscribeOptions(bad as never)).toThrow(
        expect.objectContaining({ code: 'BUS_INVALID_OPTIONS' }),
      );
    }
  });

  it('deduplicates names and refuses an empty list', () => {
    expect(normaliseNames([LIVE_EVENT, LIVE_EVENT])).toEqual([LIVE_EVENT]);
    expect(() => normaliseNames([])).toThrow(BusError);
  });

  it('refuses a bad NATS configuration before connecting', async () => {
    await expect(createNatsBus({ servers: 'nats://127.0.0.1:1', subjectPrefix: 'bad prefix' })).rejects.toMatchObject({
      code: 'BUS_INVALID_OPTIONS',
    });
  });
});
