import express from 'express';
import request from 'supertest';
import { errorMiddleware } from '../errors/error-middleware';
import { memoryLogger } from '../test-support';
import { parseTokenValue, presentedToken, tokensMatch } from './token';
import { TOKEN_FORMS } from './token-forms';
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

const refusal = { malformed: AuthMessage.malformed, invalid: AuthMessage.invalid } as const;

describe('parseTokenValue and presentedToken', () => {
  it.each(TOKEN_FORMS.map(({ form, outcome }) => [form(TOKEN), outcome] as const))(
    'judges %j as %s',
    (value, outcome) => {
      const read = parseTokenValue(value);
      if (outcome === 'malformed') expect(read).toEqual({ malformed: true });
      else if (outcome === 'accepted') expect(read).toEqual({ token: TOKEN });
      else expect(read).toEqual({ token: expect.not.stringMatching(/^correct-horse-battery-staple$/) });
    },
  );

  it('reads another Authorization scheme as not a token, and a second word anywhere else as malformed', () => {
    expect(parseTokenValue('Basic dXNlcjpwYXNz', 'authorization')).toBe('other-scheme');
    expect(parseTokenValue('Basic dXNlcjpwYXNz')).toEqual({ malformed: true });
    expect(presentedToken({ headers: { authorization: 'Basic dXNlcjpwYXNz', 'x-api-token': TOKEN } })).toEqual({
      token: TOKEN,
    });
    expect(presentedToken({ headers: { authorization: 'Basic dXNlcjpwYXNz' } })).toBeUndefined();
    expect(presentedToken({ headers: { 'x-api-token': 'Basic dXNlcjpwYXNz' } })).toEqual({ malformed: true });
  });

  it.each([undefined, null, '', '  ', '\t'])('sees nothing in %j', (value) => {
    expect(parseTokenValue(value)).toBeUndefined();
  });

  it('takes a value that is not a string as malformed', () => {
    expect(presentedToken({ auth: 42, headers: { authorization: `Bearer ${TOKEN}` } })).toEqual({ malformed: true });
  });

  it('reads auth.token, then Authorization, then x-api-token, then ?token= only when a query is given', () => {
    expect(
      presentedToken({ auth: 'a', headers: { authorization: 'b', 'x-api-token': 'c' }, query: { token: 'd' } }),
    ).toEqual({ token: 'a' });
    expect(presentedToken({ auth: '', headers: { authorization: 'b', 'x-api-token': 'c' } })).toEqual({ token: 'b' });
    expect(presentedToken({ headers: { 'x-api-token': 'c' }, query: { token: 'd' } })).toEqual({ token: 'c' });
    expect(presentedToken({ headers: { 'x-api-token': [TOKEN, 'other'] } })).toEqual({ token: TOKEN });
    expect(presentedToken({ headers: {}, query: { token: 'd' } })).toEqual({ token: 'd' });
    expect(presentedToken({ headers: {}, query: { token: ['e', 'f'] } })).toEqual({ token: 'e' });
    expect(presentedToken({ headers: {} })).toBeUndefined();
  });

  it('does not fall through from a malformed value to a later source', () => {
    expect(presentedToken({ headers: { authorization: `Bearer\t${TOKEN}`, 'x-api-token': TOKEN } })).toEqual({
      malformed: true,
    });
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

  it.each(
    TOKEN_FORMS.flatMap(({ form, outcome }) =>
      ['Authorization', 'x-api-token'].map((header) => [header, form(TOKEN), outcome] as const),
    ),
  )('judges %s: %j as %s', async (header, value, outcome) => {
    const res = await request(app).get('/api/orders').set(header, value);
    if (outcome === 'accepted') expect(res.status).toBe(200);
    else
      expect({ status: res.status, body: res.body }).toEqual({
        status: 401,
        body: { error: { code: 'UNAUTHORIZED', message: refusal[outcome] } },
      });
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
    socketTokenAuth(token)({ handshake: { auth: {}, headers: {}, query: {}, ...handshake } } as never, (err) => {
      outcome = err;
    });
    return outcome as SocketAuthError | undefined | 'not-called';
  }

  it.each(TOKEN_FORMS.map(({ form, outcome }) => [form(TOKEN), outcome] as const))(
    'judges auth.token %j as %s',
    (value, outcome) => {
      const result = attempt(TOKEN, { auth: { token: value } });
      if (outcome === 'accepted') expect(result).toBeUndefined();
      else expect((result as SocketAuthError).data).toEqual({ code: 'UNAUTHORIZED', message: refusal[outcome] });
    },
  );

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
