// The proxy's guards inside the whole provider: loops, addresses an app may not be registered at,
// and the one token rule read by REST, the proxy's fast path and the Socket.IO handshake alike.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { io } from 'socket.io-client';
import { createMemoryBus } from '@barfinex/bus';
import { createTestPglite } from '@barfinex/db/testing';
import type { Database } from '@barfinex/db';
import { AuthMessage, TOKEN_FORMS } from '@barfinex/service-kit';
import { createProvider } from '../../app';
import type { Provider } from '../../app';
import { loadProviderConfig } from '../../config';

const TOKEN = 'provider-token-for-guards-spec';
let db: Database;
let provider: Provider;
let port: number;
let base: string;
const servers: http.Server[] = [];

/** A plain HTTP request, so header values reach the provider exactly as written (tabs included). */
function get(
  path: string,
  headers: Record<string, string> = {},
): Promise<{
  status: number;
  body: { error?: { code: string; message: string; details?: unknown } } & Record<string, unknown>;
}> {
  return new Promise((resolve, reject) => {
    http
      .get(`${base}${path}`, { headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {} }));
      })
      .on('error', reject);
  });
}

async function register(appKey: string, baseUrl: string, meta: Record<string, unknown> = {}) {
  const res = await fetch(`${base}/api/apps/registry/register`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ appType: 'detector', appKey, baseUrl, meta }),
  });
  return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } };
}

async function listen(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  db = await createTestPglite();
  const config = loadProviderConfig({
    PROVIDER_HOST: '127.0.0.1',
    PROVIDER_API_TOKEN: TOKEN,
    PROVIDER_PROXY_TIMEOUT_MS: '5s',
  });
  provider = createProvider({
    config: { ...config, PROVIDER_PORT: 0 },
    logger: pino({ level: 'silent' }),
    db,
    bus: createMemoryBus(),
    connectors: [],
  });
  port = (await provider.start()).port;
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await provider.stop();
  await db.close();
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe('proxy loops', () => {
  it('refuses a baseUrl that is the provider itself, in any spelling', async () => {
    for (const baseUrl of [
      `${base}/api/detectors/self`,
      `http://localhost:${port}`,
      `http://127.1:${port}`,
      `http://2130706433:${port}/api`,
      `http://[::ffff:127.0.0.1]:${port}`,
    ]) {
      const res = await register('self', baseUrl);
      expect({ baseUrl, status: res.status, code: res.body.error?.code }).toEqual({
        baseUrl,
        status: 400,
        code: 'BAD_REQUEST',
      });
    }
    expect((await get('/api/detectors/self/x', { authorization: `Bearer ${TOKEN}` })).status).toBe(404);
  });

  it('answers 508 on the first repeat of a loop it cannot see at registration (through a relay)', async () => {
    // A relay in front of the provider (as a reverse proxy would be) forwards everything, headers included.
    let relayed = 0;
    const relay = await listen((req, res) => {
      relayed += 1;
      const upstream = http.request(
        `${base}/api/detectors/loop${req.url ?? ''}`,
        { method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      req.pipe(upstream);
    });
    expect((await register('loop', relay, { apiToken: TOKEN })).status).toBe(201);

    const res = await get('/api/detectors/loop/signals', { authorization: `Bearer ${TOKEN}` });
    expect(res).toEqual({
      status: 508,
      body: {
        error: {
          code: 'BAD_GATEWAY',
          message: expect.stringContaining('proxy loop'),
          details: { appType: 'detector', appKey: 'loop', reason: 'LOOP_DETECTED' },
        },
      },
    });
    expect(relayed).toBe(1);
  });
});

describe('addresses an app may not be registered at', () => {
  it.each([
    'http://169.254.169.254',
    'http://2852039166/latest',
    'http://[::ffff:a9fe:a9fe]',
    'http://metadata.google.internal',
    'http://0.0.0.0:8083',
    'http://[::]:8083',
    'http://[fe80::1]:8083',
  ])('refuses %s with 403 by default', async (baseUrl) => {
    const res = await register('ssrf', baseUrl);
    expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
  });

  it('keeps loopback apps on other ports allowed', async () => {
    const app = await listen((_req, res) => res.end('{}'));
    expect((await register('local', app.replace('127.0.0.1', '127.1'))).status).toBe(201);
    expect((await get('/api/detectors/local/x', { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
  });
});

describe('one token rule for REST, the proxy fast path and the Socket.IO handshake', () => {
  beforeAll(async () => {
    const echo = await listen((_req, res) => res.end('{"ok":true}'));
    expect((await register('echo', echo)).status).toBe(201);
  });

  const refusal = { malformed: AuthMessage.malformed, invalid: AuthMessage.invalid } as const;
  const cases = TOKEN_FORMS.map(({ form, outcome }) => [form(TOKEN), outcome] as const);

  it.each(cases)('REST and the fast path judge Authorization %j as %s', async (value, outcome) => {
    for (const path of ['/api/apps/registry', '/api/detectors/echo/x']) {
      const res = await get(path, { authorization: value });
      if (outcome === 'accepted') expect({ path, status: res.status }).toEqual({ path, status: 200 });
      else
        expect({ path, status: res.status, error: res.body.error }).toEqual({
          path,
          status: 401,
          error: { code: 'UNAUTHORIZED', message: refusal[outcome] },
        });
    }
  });

  function handshake(options: {
    auth?: { token: string };
    extraHeaders?: Record<string, string>;
  }): Promise<'accepted' | string> {
    const socket = io(base, {
      path: '/ws',
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      ...options,
    });
    return new Promise((resolve) => {
      socket.once('connect', () => {
        socket.close();
        resolve('accepted');
      });
      socket.once('connect_error', (err: Error & { data?: { message: string } }) => {
        socket.close();
        resolve(err.data?.message ?? err.message);
      });
    });
  }

  it.each(cases)(
    'the Socket.IO handshake judges %j as %s, in auth.token and in Authorization',
    async (value, outcome) => {
      const expected = outcome === 'accepted' ? 'accepted' : refusal[outcome];
      expect(await handshake({ auth: { token: value } })).toBe(expected);
      expect(await handshake({ extraHeaders: { authorization: value } })).toBe(expected);
    },
  );
});
