import express from 'express';
import request from 'supertest';
import { errorMiddleware } from '../errors/error-middleware';
import { memoryLogger } from '../test-support';
import { extractToken, tokensMatch } from './token';
import { AuthMessage, socketTokenAuth, tokenAuth, type SocketAuthError } from './token-auth';

const TOKEN = 'correct-horse-battery-staple';

function makeApp(token: string | undefined, allowQueryToken = false) {
  const app = express();
  app.use(tokenAuth({ token, publicPaths: ['/health', /^\/docs(-json)?$/], allowQueryToken }));
  app.get('/*splat', (req, res) => {
    res.json({ ok: true, path: req.path });
  });
  app.use(errorMiddleware({ logger: memoryLogger().logger }));
  return app;
}

describe('extractToken', () => {
  it.each([
    [{ authorization: `Bearer ${TOKEN}` }, TOKEN],
    [{ authorization: `bearer   ${TOKEN}` }, TOKEN],
    [{ authorization: TOKEN }, TOKEN],
    [{ 'x-api-token': TOKEN }, TOKEN],
    [{ 'x-api-token': [TOKEN, 'other'] }, TOKEN],
    [{ authorization: 'Basic dXNlcjpwYXNz' }, undefined],
    [{ authorization: '  ' }, undefined],
    [{}, undefined],
  ])('reads %j', (headers, expected) => {
    expect(extractToken(headers)).toBe(expected);
  });

  it('prefers Authorization, then x-api-token, then ?token= only when a query is given', () => {
    expect(extractToken({ authorization: 'a', 'x-api-token': 'b' }, { token: 'c' })).toBe('a');
    expect(extractToken({ 'x-api-token': 'b' }, { token: 'c' })).toBe('b');
    expect(extractToken({}, { token: 'c' })).toBe('c');
    expect(extractToken({}, { token: ['d', 'e'] })).toBe('d');
  });
});

describe('tokensMatch', () => {
  it('compares exactly, whatever the lengths', () => {
    expect(tokensMatch(TOKEN, TOKEN)).toBe(true);
    expect(tokensMatch(TOKEN, `${TOKEN}x`)).toBe(false);
    expect(tokensMatch('', TOKEN)).toBe(false);
    expect(tokensMatch('a', 'b')).toBe(false);
  });
});

describe('tokenAuth', () => {
  const app = makeApp(TOKEN);

  it.each([
    ['Authorization', `Bearer ${TOKEN}`],
    ['Authorization', TOKEN],
    ['x-api-token', TOKEN],
  ])('accepts %s: %s', async (header, value) => {
    await request(app).get('/api/orders').set(header, value).expect(200);
  });

  it('rejects a missing token with 401 and says how to send one', async () => {
    const res = await request(app).get('/api/orders').expect(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.body).toEqual({ error: { code: 'UNAUTHORIZED', message: AuthMessage.missing } });
    expect(AuthMessage.missing).toBe('missing API token: send Authorization: Bearer <token> or x-api-token');
  });

  it('rejects a wrong token with 401', async () => {
    for (const value of ['Bearer nope', 'nope', `Bearer ${TOKEN}x`]) {
      const res = await request(app).get('/api/orders').set('Authorization', value).expect(401);
      expect(res.body.error).toEqual({ code: 'UNAUTHORIZED', message: 'invalid API token' });
    }
  });

  it('ignores ?token= unless allowed', async () => {
    await request(app).get(`/api/orders?token=${TOKEN}`).expect(401);
    await request(makeApp(TOKEN, true)).get(`/api/orders?token=${TOKEN}`).expect(200);
  });

  it('lets public paths through without a token, and only them', async () => {
    await request(app).get('/health').expect(200);
    await request(app).get('/health/ready').expect(200);
    await request(app).get('/docs').expect(200);
    await request(app).get('/docs-json').expect(200);
    await request(app).get('/healthz').expect(401);
    await request(app).get('/docs/x').expect(401);
  });

  it.each([undefined, ''])('answers 401 when the server has no token configured (%j)', async (token) => {
    const open = makeApp(token);
    for (const value of ['', 'Bearer ', 'Bearer undefined', 'undefined']) {
      const res = await request(open).get('/api/orders').set('Authorization', value).expect(401);
      expect(res.body.error.message).toBe('the server has no API token configured');
    }
    await request(open).get('/health').expect(200);
  });
});

describe('socketTokenAuth', () => {
  function attempt(token: string | undefined, handshake: Partial<{ auth: object; headers: object; query: object }>) {
    let outcome: SocketAuthError | undefined | 'not-called' = 'not-called';
    socketTokenAuth(token)(
      { handshake: { auth: {}, headers: {}, query: {}, ...handshake } } as never,
      (err) => {
        outcome = err;
      },
    );
    return outcome as SocketAuthError | undefined | 'not-called';
  }

  it('accepts the token from auth, headers or query', () => {
    expect(attempt(TOKEN, { auth: { token: TOKEN } })).toBeUndefined();
    expect(attempt(TOKEN, { headers: { authorization: `Bearer ${TOKEN}` } })).toBeUndefined();
    expect(attempt(TOKEN, { headers: { 'x-api-token': TOKEN } })).toBeUndefined();
    expect(attempt(TOKEN, { query: { token: TOKEN } })).toBeUndefined();
  });

  it('refuses with an error carrying data.code', () => {
    const wrong = attempt(TOKEN, { auth: { token: 'nope' } });
    expect(wrong).toBeInstanceOf(Error);
    expect((wrong as SocketAuthError).data).toEqual({ code: 'UNAUTHORIZED', message: 'invalid API token' });
    expect((attempt(TOKEN, {}) as SocketAuthError).message).toBe(AuthMessage.missing);
    expect((attempt(undefined, { auth: { token: 'x' } }) as SocketAuthError).message).toBe(AuthMessage.notConfigured);
  });
});
