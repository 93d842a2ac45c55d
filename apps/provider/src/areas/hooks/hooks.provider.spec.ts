// Inbound hooks inside the whole provider (memory bus, PGlite): management behind the token, alerts
// on their own secret, each alert logged, a valid one published as a signal of the hook's detector.
import { createMemoryBus } from '@barfinex/bus';
import type { MemoryBus } from '@barfinex/bus';
import { createTestPglite } from '@barfinex/db/testing';
import type { Database } from '@barfinex/db';
import type { AnyEventEnvelope } from '@barfinex/events';
import { signBody } from '@barfinex/service-kit';
import { eventually } from '@barfinex/testing';
import { startProvider } from '../../testing/harness';
import type { Harness } from '../../testing/harness';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read field by field and checked by matchers
type Json = Record<string, any>;
const SECRET = 'tv-secret-0123456789';

describe('inbound signal hooks', () => {
  let db: Database;
  let bus: MemoryBus;
  let h: Harness;
  const signals: AnyEventEnvelope[] = [];
  let clock = Date.UTC(2026, 11, 6, 12);
  const manage = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${h.baseUrl}/api${path}`, {
      method,
      headers: { ...h.auth, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (res.status === 204 ? {} : await res.json()) as Json };
  };
  const post = async (path: string, body: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${h.baseUrl}/api${path}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', ...headers },
      body,
    });
    return { status: res.status, body: (await res.json()) as Json };
  };
  const iso = (ms: number) => new Date(ms).toISOString();

  beforeAll(async () => {
    db = await createTestPglite();
    bus = createMemoryBus();
    await bus.subscribe('DETECTOR_SIGNAL_GENERATED', (env) => void signals.push(env as AnyEventEnvelope));
    h = await startProvider({ db, bus, now: () => clock });
  });
  afterAll(async () => {
    await h?.stop();
    await bus.close();
    await db.close();
  });

  let id = '';
  it('manages hooks behind the provider token and shows the secret once', async () => {
    expect((await fetch(`${h.baseUrl}/api/inbound-hooks`)).status).toBe(401);
    expect((await manage('POST', '/inbound-hooks', { name: 'Bad Name' })).status).toBe(400);
    const created = await manage('POST', '/inbound-hooks', {
      name: 'tv',
      secret: SECRET,
      symbolMap: { 'BINANCE:BTCUSDT.P': { connectorType: 'sim', marketType: 'futures', symbol: 'BTCUSDT' } },
      ratePerMinute: 10,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'tv',
      detectorKey: 'hook-tv',
      secret: SECRET,
      mode: 'live',
      connectorType: 'sim',
      marketType: 'futures',
      dedupWindowSeconds: 300,
    });
    id = created.body['id'] as string;
    expect(created.body['urlWithSecret']).toBe(`/api/hooks/${id}/${SECRET}`);
    expect((await manage('POST', '/inbound-hooks', { name: 'tv' })).status).toBe(409);
    const shown = await manage('GET', `/inbound-hooks/${id}`);
    expect(shown.body['secret']).toBeUndefined();
    expect(shown.body['secretHint']).toBe('…6789');
  });

  it('turns a TradingView JSON alert into a signal of the hook detector, once', async () => {
    const alert = JSON.stringify({
      secret: SECRET,
      ticker: 'BTCUSDT.P',
      exchange: 'BINANCE',
      action: 'buy',
      price: '65000',
      time: iso(clock - 2000),
    });
    const first = await post(`/hooks/${id}`, alert, { 'content-type': 'application/json' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      status: 'accepted',
      symbol: 'BTCUSDT',
      direction: 'LONG',
      connectorType: 'sim',
      marketType: 'futures',
    });
    await eventually(() => expect(signals).toHaveLength(1));
    expect(signals[0]).toMatchObject({
      type: 'DETECTOR_SIGNAL_GENERATED',
      correlationId: first.body['correlationId'],
      symbol: 'BTCUSDT',
      payload: {
        signalId: first.body['signalId'],
        detectorKey: 'hook-tv',
        direction: 'LONG',
        entry: { price: '65000', type: 'market' },
        connectorType: 'sim',
        marketType: 'futures',
      },
    });
    const again = await post(`/hooks/${id}`, alert, { 'content-type': 'application/json' });
    expect(again.body).toMatchObject({
      status: 'duplicate',
      signalId: first.body['signalId'],
      correlationId: first.body['correlationId'],
    });
    expect(signals).toHaveLength(1);
  });

  it('takes the plain-text form with the secret in the path, and a signed generic JSON signal', async () => {
    const text = await post(`/hooks/${id}/${SECRET}`, 'sell BTCUSDT @ 64000');
    expect(text.body).toMatchObject({ status: 'accepted', direction: 'SHORT', symbol: 'BTCUSDT' });
    const pairs = await post(`/hooks/${id}/${SECRET}`, 'action=buy ticker=BINANCE:BTCUSDT.P price=64100 id=alert-7');
    expect(pairs.body).toMatchObject({ status: 'accepted', direction: 'LONG' });
    const generic = JSON.stringify({
      symbol: 'BTCUSDT',
      direction: 'SHORT',
      price: '64200',
      stop: '64800',
      target: '63000',
      confidence: 0.6,
    });
    const signed = await post(`/hooks/${id}`, generic, {
      'content-type': 'application/json',
      'x-barfinex-signature': signBody(SECRET, generic, clock),
    });
    expect(signed.body).toMatchObject({ status: 'accepted', direction: 'SHORT' });
    await eventually(() => expect(signals).toHaveLength(4));
    expect(signals[3]?.payload).toMatchObject({
      stop: { price: '64800' },
      targets: [{ price: '63000' }],
      confidence: 0.6,
      strategy: 'hook:tv',
    });
  });

  it('refuses bad secrets, unmapped symbols, junk and stale alerts with the error body, and logs each', async () => {
    clock += 61_000;
    const cases: [string, string, Record<string, string>, number, string][] = [
      [
        `/hooks/${id}`,
        JSON.stringify({ secret: 'wrong-secret-000000', ticker: 'BTCUSDT', action: 'buy' }),
        {},
        401,
        'BAD_SECRET',
      ],
      [`/hooks/${id}/nope`, 'buy BTCUSDT', {}, 401, 'BAD_SECRET'],
      [`/hooks/${id}`, 'buy BTCUSDT', {}, 401, 'MISSING_SECRET'],
      [
        `/hooks/${id}`,
        '{"ticker":"BTCUSDT"}',
        { 'x-barfinex-signature': signBody('other-secret', '{"ticker":"BTCUSDT"}', clock) },
        401,
        'BAD_SIGNATURE',
      ],
      [
        `/hooks/${id}/${SECRET}`,
        JSON.stringify({ ticker: 'BYBIT:SOLUSDT.P', action: 'buy' }),
        {},
        400,
        'UNMAPPED_SYMBOL',
      ],
      [`/hooks/${id}/${SECRET}`, JSON.stringify({ ticker: 'XYZUSDT', action: 'buy' }), {}, 400, 'UNKNOWN_SYMBOL'],
      [`/hooks/${id}/${SECRET}`, '\u0000\u0001 not an alert', {}, 400, 'INVALID_BODY'],
      [`/hooks/${id}/${SECRET}`, '{"ticker": "BTCUSDT", ', {}, 400, 'INVALID_BODY'],
      [
        `/hooks/${id}/${SECRET}`,
        JSON.stringify({ ticker: '{{ticker}}', action: 'buy' }),
        {},
        400,
        'UNRESOLVED_PLACEHOLDER',
      ],
      [`/hooks/${id}/${SECRET}`, JSON.stringify({ ticker: 'BTCUSDT', action: 'flat' }), {}, 400, 'UNSUPPORTED_ACTION'],
      [
        `/hooks/${id}/${SECRET}`,
        JSON.stringify({ ticker: 'BTCUSDT', action: 'buy', time: iso(clock - 3_600_000) }),
        {},
        400,
        'STALE_ALERT',
      ],
    ];
    for (const [path, body, headers, status, reason] of cases) {
      const res = await post(path, body, headers);
      // A 401's details are not shown (the error middleware keeps them for the log); the message names the problem.
      const error =
        status === 401
          ? { code: 'UNAUTHORIZED', message: expect.any(String) }
          : { details: { reason }, message: expect.any(String) };
      expect({ reason, status: res.status, error: res.body['error'] }).toMatchObject({ reason, status, error });
    }
    expect((await post('/hooks/hk_unknown-hook-id', 'buy BTCUSDT')).status).toBe(404);
    const log = await manage('GET', `/inbound-hooks/${id}/alerts?status=rejected&limit=50`);
    expect(log.body['data'].map((a: Json) => a['code']).reverse()).toEqual(cases.map((c) => c[4]));
    expect(log.body['data'].every((a: Json) => !String(a['body']).includes(SECRET))).toBe(true);
    expect(signals).toHaveLength(4);
  });

  it('logs refusals of unauthenticated senders only up to a rate, so a flood cannot fill the log', async () => {
    const flood = await manage('POST', '/inbound-hooks', { name: 'flood' });
    const floodId = flood.body['id'] as string;
    for (let i = 0; i < 65; i++) expect((await post(`/hooks/${floodId}/wrong-${i}`, 'buy BTCUSDT')).status).toBe(401);
    expect((await manage('GET', `/inbound-hooks/${floodId}/alerts?limit=1`)).body['total']).toBe(60);
    expect((await manage('DELETE', `/inbound-hooks/${floodId}`)).status).toBe(204);
  });

  it('limits the rate per hook, and a disabled or dry-run hook publishes nothing', async () => {
    clock += 120_000;
    let limited: { status: number; body: Json } | undefined;
    for (let i = 0; i < 12 && limited === undefined; i++) {
      const res = await post(`/hooks/${id}/${SECRET}`, `buy BTCUSDT @ ${65000 + i}`);
      if (res.status === 429) limited = res;
    }
    expect(limited?.body['error']).toMatchObject({ code: 'RATE_LIMITED', details: { reason: 'RATE_LIMITED' } });
    clock += 120_000;
    const published = signals.length;
    await manage('PATCH', `/inbound-hooks/${id}`, { mode: 'dry-run' });
    expect((await post(`/hooks/${id}/${SECRET}`, 'buy BTCUSDT @ 66000')).body).toMatchObject({ status: 'dry-run' });
    await manage('PATCH', `/inbound-hooks/${id}`, { enabled: false, mode: 'live' });
    const disabled = await post(`/hooks/${id}/${SECRET}`, 'buy BTCUSDT @ 66001');
    expect(disabled.status).toBe(403);
    expect(signals).toHaveLength(published);
    expect((await manage('DELETE', `/inbound-hooks/${id}`)).status).toBe(204);
    expect((await manage('GET', `/inbound-hooks/${id}`)).status).toBe(404);
  });
});
