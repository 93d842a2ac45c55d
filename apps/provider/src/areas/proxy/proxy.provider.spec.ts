// The registry and proxy inside the whole provider (its auth, middleware order, bus and OpenAPI
// document), with two real HTTP apps registering themselves over REST.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createMemoryBus } from '@barfinex/bus';
import { createTestPglite } from '@barfinex/db/testing';
import type { Database } from '@barfinex/db';
import { createProvider } from '../../app';
import type { Provider } from '../../app';
import { loadProviderConfig } from '../../config';

const TOKEN = 'provider-token-for-proxy-spec';
const clock = { t: Date.UTC(2026, 0, 5) };
let db: Database;
let provider: Provider;
let base: string;
const apps: { server: http.Server; url: string; seen: string[] }[] = [];
const events: { type: string }[] = [];

function startApp(name: string) {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          app: name,
          method: req.method,
          url: req.url,
          authorization: req.headers.authorization ?? null,
        }),
      );
    });
  });
  return new Promise<{ server: http.Server; url: string; seen: string[] }>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, seen, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  );
}

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${TOKEN}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

beforeAll(async () => {
  db = await createTestPglite();
  const bus = createMemoryBus();
  await bus.subscribeAll((env) => void events.push(env));
  const config = loadProviderConfig({
    PROVIDER_HOST: '127.0.0.1',
    PROVIDER_API_TOKEN: TOKEN,
    PROVIDER_APP_ACTIVE_TTL_MS: '60s',
    PROVIDER_PROXY_TIMEOUT_MS: '2s',
  });
  provider = createProvider({
    config: { ...config, PROVIDER_PORT: 0 },
    logger: pino({ level: 'silent' }),
    db,
    bus,
    connectors: [],
    now: () => clock.t,
  });
  base = `http://127.0.0.1:${(await provider.start()).port}`;
  apps.push(await startApp('inspector'), await startApp('advisor'));
});
afterAll(async () => {
  await provider.stop();
  await db.close();
  for (const a of apps) {
    a.server.closeAllConnections();
    await new Promise((resolve) => a.server.close(resolve));
  }
});

describe('registry and proxy in the provider', () => {
  it('registers two apps over REST, proxies to each, expires them by TTL and documents the routes', async () => {
    const [inspector, advisor] = apps as [(typeof apps)[0], (typeof apps)[0]];
    expect(
      (
        await call('POST', '/api/apps/registry/register', {
          appType: 'inspector',
          appKey: 'inspector',
          baseUrl: inspector.url,
          meta: { apiToken: 'inspector-own' },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await call('POST', '/api/apps/registry/register', {
          appType: 'advisor',
          appKey: 'advisor',
          baseUrl: advisor.url,
        })
      ).status,
    ).toBe(201);

    const dashboard = await call('GET', '/api/inspectors/inspector/inspector/risk/dashboard?window=5');
    expect(dashboard).toEqual({
      status: 200,
      body: {
        app: 'inspector',
        method: 'GET',
        url: '/inspector/risk/dashboard?window=5',
        authorization: 'Bearer inspector-own',
      },
    });
    const health = await call('POST', '/api/advisors/advisor/advisor-agent/health', { ping: true });
    expect(health.body).toEqual({ app: 'advisor', method: 'POST', url: '/advisor-agent/health', authorization: null });

    const targets = await call('GET', '/api/proxy/targets');
    expect(targets.body.inspectors).toEqual([expect.objectContaining({ key: 'inspector', enabled: true })]);
    expect(targets.body.advisors).toEqual([expect.objectContaining({ key: 'advisor', enabled: true })]);

    clock.t += 30_000;
    expect((await call('POST', '/api/apps/registry/heartbeat', { appType: 'advisor', appKey: 'advisor' })).status).toBe(
      200,
    );
    clock.t += 30_001;
    expect((await call('GET', '/api/inspectors/inspector/inspector/risk/dashboard')).status).toBe(503);
    expect((await call('GET', '/api/advisors/advisor/advisor-agent/health')).status).toBe(200);
    expect((await call('GET', '/api/apps/registry/inspector/inspector')).body.data).toMatchObject({
      isActive: false,
      staleMs: 60_001,
    });
    expect(inspector.seen).toEqual(['GET /inspector/risk/dashboard?window=5']);

    // Publishing is fire-and-forget from the request path: wait (bounded) for delivery.
    const appEvents = () => events.map((e) => e.type).filter((t) => t.startsWith('PROVIDER_APP_'));
    for (const deadline = Date.now() + 2_000; appEvents().length < 3 && Date.now() < deadline;)
      await new Promise((resolve) => setImmediate(resolve));
    expect(appEvents()).toEqual(['PROVIDER_APP_REGISTERED', 'PROVIDER_APP_REGISTERED', 'PROVIDER_APP_HEARTBEAT']);

    const doc = await fetch(`${base}/docs-json`).then((r) => r.json() as Promise<{ paths: Record<string, unknown> }>);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/apps/registry/register',
        '/proxy/targets',
        '/inspectors/{appKey}/{splat}',
        '/detectors/{key}',
      ]),
    );
  });
});

describe('PROVIDER_PROXY_CLIENT', () => {
  const base = { PROVIDER_HOST: '127.0.0.1', PROVIDER_API_TOKEN: TOKEN };
  it('defaults to auto (the llhttp client on this Node) and refuses an unknown client by name', () => {
    expect(loadProviderConfig(base).PROVIDER_PROXY_CLIENT).toBe('auto');
    expect(provider.proxyClient).toBe('native');
    expect(() => loadProviderConfig({ ...base, PROVIDER_PROXY_CLIENT: 'curl' })).toThrow(/PROVIDER_PROXY_CLIENT/);
  });

  it('proxies through undici when told to', async () => {
    const config = loadProviderConfig({ ...base, PROVIDER_PROXY_CLIENT: 'undici', PROVIDER_PROXY_TIMEOUT_MS: '2s' });
    const other = createProvider({
      config: { ...config, PROVIDER_PORT: 0 },
      logger: pino({ level: 'silent' }),
      db,
      bus: createMemoryBus(),
      connectors: [],
      now: () => clock.t,
    });
    const url = `http://127.0.0.1:${(await other.start()).port}`;
    try {
      expect(other.proxyClient).toBe('undici');
      await other.registry.register({
        appType: 'advisor',
        appKey: 'via-undici',
        baseUrl: (apps[1] as (typeof apps)[0]).url,
        meta: {},
      });
      const res = await fetch(`${url}/api/advisors/via-undici/advisor-agent/health`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(await res.json()).toMatchObject({ app: 'advisor', url: '/advisor-agent/health' });
    } finally {
      await other.stop();
    }
  });
});
