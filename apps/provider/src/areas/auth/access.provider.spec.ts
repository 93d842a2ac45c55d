import { createMemoryBus } from '@barfinex/bus';
import { API_SCOPE_VALUES } from '@barfinex/contracts';
import type { ApiScope } from '@barfinex/contracts';
import { createTestPglite } from '@barfinex/db/testing';
import type { Database } from '@barfinex/db';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import { startProvider } from '../../testing/harness';
import type { Harness } from '../../testing/harness';

let db: Database;
let h: Harness;
let bus: ReturnType<typeof createMemoryBus>;
let clock = Date.UTC(2026, 0, 5, 12);

interface Answer {
  status: number;
  body: { error?: { code: string; message: string; details?: Record<string, unknown> } } & Record<string, unknown>;
  headers: Headers;
}

async function call(
  method: string,
  path: string,
  token: string | undefined,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const res = await fetch(`${h.baseUrl}${path}`, {
    method: method.toUpperCase(),
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    parsed = { text };
  }
  return { status: res.status, body: parsed as Answer['body'], headers: res.headers };
}

const admin = () => h.auth.Authorization.slice('Bearer '.length);

async function createToken(
  scopes: ApiScope[],
  extra: Record<string, unknown> = {},
): Promise<{ id: string; secret: string }> {
  const res = await call('POST', '/api/auth/tokens', admin(), { name: `t-${scopes.join('-')}`, scopes, ...extra });
  expect(res.status).toBe(201);
  return res.body as unknown as { id: string; secret: string };
}

beforeAll(async () => {
  db = await createTestPglite();
  bus = createMemoryBus();
  // The walk below fails authentication once per operation from one address: no throttling here.
  h = await startProvider({
    db,
    bus,
    env: { PROVIDER_AUTH_MAX_FAILURES: '0', AUDIT_FLUSH_MS: '50ms' },
    now: () => clock,
  });
});
afterAll(async () => {
  await h.stop();
  await db.close();
});

/** A value each path parameter accepts, so the request reaches the scope check with a routable URL. */
const SAMPLE: Record<string, string> = {
  connectorType: 'sim',
  marketType: 'spot',
  symbol: 'BTCUSDT',
  interval: 'min1',
  splat: 'x/y',
};

describe('every operation of the OpenAPI document', () => {
  it('needs a token (401), refuses one without its scope (403 naming it) and admits one with it', async () => {
    const doc = (await call('GET', '/docs-json', undefined)).body as unknown as {
      paths: Record<string, Record<string, { 'x-required-scope'?: string; operationId: string; security?: unknown[] }>>;
    };
    const tokens = new Map<string, { with: string; without: string }>();
    for (const scope of API_SCOPE_VALUES) {
      const others = API_SCOPE_VALUES.filter((s) => s !== scope && s !== 'admin');
      tokens.set(scope, { with: (await createToken([scope])).secret, without: (await createToken(others)).secret });
    }
    let walked = 0;
    for (const [template, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        // Public operations (a hook authenticated by its own secret) declare no security at all.
        if (Array.isArray(op.security) && op.security.length === 0) continue;
        const scope = op['x-required-scope'];
        // A route added without a declared scope fails here (and does not compile).
        expect({ op: op.operationId, scope: API_SCOPE_VALUES.includes(scope as ApiScope) }).toEqual({
          op: op.operationId,
          scope: true,
        });
        const path = `/api${template.replace(/\{(\w+)\}/g, (_m, name: string) => SAMPLE[name] ?? 'unknown-1')}`;
        const pair = tokens.get(scope as string);
        if (!pair) throw new Error(`no tokens for ${String(scope)}`);
        const at = `${method.toUpperCase()} ${path}`;
        const none = await call(method, path, undefined);
        expect({ at, status: none.status, code: none.body.error?.code }).toEqual({
          at,
          status: 401,
          code: 'UNAUTHORIZED',
        });
        const wrong = await call(method, path, pair.without);
        expect({
          at,
          status: wrong.status,
          code: wrong.body.error?.code,
          scope: wrong.body.error?.details?.['requiredScope'],
        }).toEqual({ at, status: 403, code: 'FORBIDDEN', scope });
        const right = await call(method, path, pair.with);
        expect({
          at,
          denied: [401, 403].includes(right.status),
          serverError: right.status >= 500 && right.status < 502,
        }).toEqual({ at, denied: false, serverError: false });
        walked += 1;
      }
    }
    expect(walked).toBeGreaterThanOrEqual(83);
    // Three requests per operation: seconds alone, far longer on a loaded machine.
  }, 180_000);
});

describe('tokens', () => {
  it('answers the secret once, lists tokens without it and reports whoami', async () => {
    const created = await createToken(['read', 'trade'], { restrict: { symbols: ['btcusdt'] } });
    expect(created.secret).toMatch(/^bfx_/);
    const list = await call('GET', '/api/auth/tokens', admin());
    expect(JSON.stringify(list.body)).not.toContain(created.secret);
    expect(list.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: created.id,
          scopes: ['read', 'trade'],
          restrict: { symbols: ['BTCUSDT'] },
          revokedAt: null,
        }),
      ]),
    );
    const who = await call('GET', '/api/auth/whoami', created.secret);
    expect(who.body).toMatchObject({
      tokenId: created.id,
      scopes: ['read', 'trade'],
      // Whoever may trade may also stop trading.
      effectiveScopes: ['read', 'trade', 'killswitch'],
    });
    expect(who.body['operations']).toEqual(expect.arrayContaining(['placeOrder', 'candles', 'whoami']));
    expect(who.body['operations']).not.toContain('createToken');
    expect((await call('GET', '/api/auth/whoami', admin())).body).toMatchObject({
      tokenId: 'bootstrap',
      effectiveScopes: [...API_SCOPE_VALUES],
    });
  });

  it('refuses an order outside the token restriction with 403', async () => {
    const eth = await createToken(['read', 'trade'], { restrict: { symbols: ['ETHUSDT'] } });
    const res = await call('POST', '/api/orders', eth.secret, {
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'MARKET',
      quantity: '0.01',
      connectorType: 'sim',
      marketType: 'spot',
    });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({
      code: 'FORBIDDEN',
      details: { restriction: 'symbols', outside: ['BTCUSDT'] },
    });
  });

  it('fails an expired token, and refuses an expiry in the past', async () => {
    const soon = await createToken(['read'], { expiresAt: clock + 60_000 });
    expect((await call('GET', '/api/options', soon.secret)).status).toBe(200);
    clock += 60_001;
    const late = await call('GET', '/api/options', soon.secret);
    expect(late.status).toBe(401);
    expect(late.body.error?.message).toMatch(/expired/);
    expect(
      (await call('POST', '/api/auth/tokens', admin(), { name: 'past', scopes: ['read'], expiresAt: clock - 1 }))
        .status,
    ).toBe(400);
  });

  it('fails a revoked token on its next call and drops its open socket', async () => {
    const token = await createToken(['read']);
    const socket: Socket = io(h.baseUrl, {
      path: '/ws',
      auth: { token: token.secret },
      transports: ['websocket'],
      reconnection: false,
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    expect((await call('GET', '/api/options', token.secret)).status).toBe(200);
    const dropped = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
    const revoked = await call('DELETE', `/api/auth/tokens/${token.id}`, admin());
    expect(revoked.status).toBe(200);
    expect(revoked.body['revokedAt']).toBe(clock);
    expect(await dropped).toBe('io server disconnect');
    const after = await call('GET', '/api/options', token.secret);
    expect(after.status).toBe(401);
    expect(after.body.error?.message).toMatch(/revoked/);
    expect((await call('DELETE', '/api/auth/tokens/tok_unknown', admin())).status).toBe(404);
    socket.close();
  });

  it('refuses a Socket.IO handshake without the read scope', async () => {
    const trader = await createToken(['trade']);
    const socket: Socket = io(h.baseUrl, {
      path: '/ws',
      auth: { token: trader.secret },
      transports: ['websocket'],
      reconnection: false,
    });
    const err = await new Promise<Error & { data?: { code: string } }>((resolve) =>
      socket.once('connect_error', resolve),
    );
    expect(err.data?.code).toBe('FORBIDDEN');
    socket.close();
  });
});

describe('a token restricted to symbols', () => {
  it('receives no other symbol’s events, whatever it subscribes to', async () => {
    const eth = await createToken(['read'], { restrict: { symbols: ['ETHUSDT'] } });
    const connect = (auth: Record<string, unknown>) =>
      new Promise<Socket>((resolve, reject) => {
        const s = io(h.baseUrl, { path: '/ws', auth, transports: ['websocket'], reconnection: false });
        s.once('connect', () => resolve(s));
        s.once('connect_error', reject);
      });
    const all = await connect({ token: eth.secret, subscribeAll: true });
    const picky = await connect({ token: eth.secret });
    const ack = await picky.emitWithAck('subscribe', { events: ['PROVIDER_MARKETDATA_TRADE'] });
    expect(ack).toMatchObject({ ok: true, subscribed: { symbols: { PROVIDER_MARKETDATA_TRADE: ['ETHUSDT'] } } });
    expect(
      await picky.emitWithAck('subscribe', { events: ['PROVIDER_MARKETDATA_TRADE'], symbols: ['BTCUSDT'] }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const seen: Record<string, string[]> = { all: [], picky: [] };
    all.on('PROVIDER_MARKETDATA_TRADE', (env: { symbol: string }) => seen['all']?.push(env.symbol));
    picky.on('PROVIDER_MARKETDATA_TRADE', (env: { symbol: string }) => seen['picky']?.push(env.symbol));
    const last = new Promise<void>((resolve) =>
      picky.on(
        'PROVIDER_MARKETDATA_TRADE',
        (env: { payload: { price: string } }) => env.payload.price === '9' && resolve(),
      ),
    );
    for (const [symbol, price] of [
      ['BTCUSDT', '1'],
      ['ETHUSDT', '2'],
      ['BTCUSDT', '3'],
      ['ETHUSDT', '9'],
    ] as const) {
      await bus.publish('PROVIDER_MARKETDATA_TRADE', { time: clock, symbol, price, volume: '1', side: 'LONG' });
    }
    await last;
    // The sockets share one connection order: `all` has had every event `picky` had.
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(seen['picky']).toEqual(['ETHUSDT', 'ETHUSDT']);
    expect(seen['all']?.every((s) => s === 'ETHUSDT')).toBe(true);
    all.close();
    picky.close();
  });
});

describe('the audit trail', () => {
  it('holds exactly one record per mutating or denied request of a scripted sequence', async () => {
    const trader = await createToken(['read', 'trade']);
    const reader = await createToken(['read']);
    const configurer = await createToken(['read', 'configure']);
    const run = `audit-${clock}`;
    const script: Array<{
      method: string;
      path: string;
      token: string | undefined;
      body?: unknown;
      status: number;
      outcome: string;
    }> = [
      {
        method: 'POST',
        path: '/api/orders',
        token: trader.secret,
        body: {
          symbol: 'BTCUSDT',
          side: 'BUY',
          type: 'MARKET',
          quantity: '0.01',
          connectorType: 'sim',
          marketType: 'spot',
          clientOrderId: `${run}-1`,
        },
        status: 201,
        outcome: 'ok',
      },
      {
        method: 'POST',
        path: '/api/orders',
        token: reader.secret,
        body: {
          symbol: 'BTCUSDT',
          side: 'BUY',
          type: 'MARKET',
          quantity: '0.01',
          connectorType: 'sim',
          marketType: 'spot',
        },
        status: 403,
        outcome: 'denied',
      },
      { method: 'POST', path: '/api/orders', token: undefined, body: {}, status: 401, outcome: 'denied' },
      {
        method: 'POST',
        path: '/api/inspectors',
        token: configurer.secret,
        body: { sysname: `${run}-risk`, riskManagement: { maxDailyLossPercent: 3 } },
        status: 201,
        outcome: 'ok',
      },
      {
        method: 'PUT',
        path: `/api/inspectors/${run}-risk`,
        token: configurer.secret,
        body: { riskManagement: { maxDailyLossPercent: 2 } },
        status: 200,
        outcome: 'ok',
      },
      {
        method: 'PUT',
        path: `/api/inspectors/${run}-risk`,
        token: trader.secret,
        body: { riskManagement: { maxDailyLossPercent: 50 } },
        status: 403,
        outcome: 'denied',
      },
      {
        method: 'POST',
        path: '/api/inspectors/inspector/inspector/kill-switch',
        token: configurer.secret,
        body: { engaged: true },
        status: 403,
        outcome: 'denied',
      },
      {
        method: 'POST',
        path: '/api/inspectors/inspector/inspector/kill-switch',
        token: trader.secret,
        body: { engaged: true },
        status: 404,
        outcome: 'failed',
      },
      {
        method: 'POST',
        path: '/api/auth/tokens',
        token: admin(),
        body: { name: `${run}-new`, scopes: ['read'] },
        status: 201,
        outcome: 'ok',
      },
      {
        method: 'POST',
        path: '/api/auth/tokens',
        token: trader.secret,
        body: { name: `${run}-sneaky`, scopes: ['admin'] },
        status: 403,
        outcome: 'denied',
      },
      { method: 'GET', path: '/api/audit', token: reader.secret, status: 403, outcome: 'denied' },
      { method: 'GET', path: '/api/orders', token: reader.secret, status: 200, outcome: 'none' },
    ];
    const before = (await call('GET', '/api/audit?limit=1', admin())).body['total'] as number;
    for (const [i, step] of script.entries()) {
      const res = await call(step.method, step.path, step.token, step.body, { 'x-correlation-id': `${run}-${i}` });
      expect({ i, status: res.status }).toEqual({ i, status: step.status });
    }
    const page = await call('GET', `/api/audit?limit=100`, admin());
    const records = (
      page.body['data'] as Array<{
        correlationId: string;
        outcome: string;
        status: number;
        tokenId: string | null;
        route: string;
        bodyDigest: string | null;
      }>
    ).filter((r) => r.correlationId?.startsWith(`${run}-`));
    expect(page.body['total']).toBe(before + records.length);
    for (const [i, step] of script.entries()) {
      const mine = records.filter((r) => r.correlationId === `${run}-${i}`);
      const expected = step.outcome === 'none' ? 0 : 1;
      expect({ i, records: mine.length }).toEqual({ i, records: expected });
      if (expected === 1)
        expect({ i, outcome: mine[0]?.outcome, status: mine[0]?.status }).toEqual({
          i,
          outcome: step.outcome,
          status: step.status,
        });
    }
    const placed = records.find((r) => r.correlationId === `${run}-0`);
    expect(placed).toMatchObject({
      tokenId: trader.id,
      route: 'POST /orders',
      bodyDigest: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const filtered = await call('GET', `/api/audit?tokenId=${trader.id}&outcome=denied`, admin());
    expect((filtered.body['data'] as unknown[]).length).toBe(2);
  });
});

describe('abuse limits', () => {
  let limited: Harness;
  let limitedDb: Database;
  beforeAll(async () => {
    limitedDb = await createTestPglite();
    limited = await startProvider({
      db: limitedDb,
      bus: createMemoryBus(),
      env: { PROVIDER_AUTH_MAX_FAILURES: '3', PROVIDER_TOKEN_RATE_PER_SEC: '1', PROVIDER_TOKEN_RATE_BURST: '2' },
      now: () => clock,
    });
  });
  afterAll(async () => {
    await limited.stop();
    await limitedDb.close();
  });

  it('limits a token’s rate and throttles an address after failed authentications, with Retry-After, on /metrics', async () => {
    const hit = (token: string | undefined) =>
      fetch(`${limited.baseUrl}/api/options`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
    const created = await fetch(`${limited.baseUrl}/api/auth/tokens`, {
      method: 'POST',
      headers: { ...limited.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'slow', scopes: ['read'] }),
    });
    const { secret } = (await created.json()) as { secret: string };
    // The clock stands still, so the bucket never refills: two pass, the third waits.
    expect((await hit(secret)).status).toBe(200);
    expect((await hit(secret)).status).toBe(200);
    const third = await hit(secret);
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toBe('1');
    expect(((await third.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
    for (let i = 0; i < 3; i += 1) expect((await hit('wrong')).status).toBe(401);
    const blocked = await hit(limited.auth.Authorization.slice(7));
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBe(60);
    clock += 60_000;
    expect((await hit(limited.auth.Authorization.slice(7))).status).toBe(200);
    const metrics = await (await fetch(`${limited.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/bfx_auth_denied_total\{[^}]*reason="rate_limited"[^}]*\} 1/);
    expect(metrics).toMatch(/bfx_auth_denied_total\{[^}]*reason="throttled"[^}]*\} 1/);
  });
});
