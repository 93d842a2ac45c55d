import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createMetrics } from '@barfinex/service-kit';
import type { Metrics } from '@barfinex/service-kit';
import { SPEC_TOKEN, auth, createSpecApp } from '../registry/spec-app';
import type { SpecApp } from '../registry/spec-app';
import { createProxyFastPath } from './fast-path';
import { createUpstreamClient } from './forward';
import type { UpstreamClient } from './upstream';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  length: number;
  sha256: string;
  text: string;
}

/** A stand-in app that echoes what it received; a few paths misbehave on purpose. */
function startUpstream() {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const record: Seen = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        length: body.length,
        sha256: createHash('sha256').update(body).digest('hex'),
        text: body.length < 2048 ? body.toString() : '',
      };
      seen.push(record);
      const path = (req.url ?? '').split('?')[0];
      if (path?.endsWith('/silent')) return; // never answers
      if (path?.endsWith('/teapot')) {
        res.writeHead(418, { 'content-type': 'text/plain', 'x-app': 'yes', etag: '"v1"' });
        res.end('short and stout');
        return;
      }
      if (path?.endsWith('/odd-status')) {
        // A status no HTTP server may send; `held` adds a length so the answer is held, not streamed.
        const held = path.includes('/held/');
        req.socket.write(
          `HTTP/1.1 099 Odd\r\n${held ? 'content-length: 2\r\n\r\nok' : 'transfer-encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n'}`,
        );
        return;
      }
      if (path?.endsWith('/hop')) {
        res.writeHead(200, {
          connection: 'x-upstream-hop',
          'x-upstream-hop': 'secret',
          'keep-alive': 'timeout=5',
          'x-kept': '1',
        });
        res.end('ok');
        return;
      }
      const big = /\/big\/(\d+)$/.exec(path ?? '');
      if (big) {
        const bytes = Buffer.alloc(Number(big[1]), 7);
        res.writeHead(200, {
          'content-type': 'application/octet-stream',
          'x-sha256': createHash('sha256').update(bytes).digest('hex'),
        });
        // Several writes, so the response really streams through the proxy.
        for (let i = 0; i < bytes.length; i += 65_536) res.write(bytes.subarray(i, i + 65_536));
        res.end();
        return;
      }
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify(record));
    });
  });
  return new Promise<{ server: http.Server; seen: Seen[]; url: string }>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, seen, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  );
}

async function stop(server: http.Server) {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

let s: SpecApp;
let provider: http.Server;
let port: number;
let app: Awaited<ReturnType<typeof startUpstream>>;
let forbidden: Awaited<ReturnType<typeof startUpstream>>;
let metrics: Metrics;
let fast: ReturnType<typeof createProxyFastPath>;
let fastUpstream: UpstreamClient;
const logLines: string[] = [];
const logSink = new Writable({
  write(chunk: Buffer, _encoding, callback) {
    logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    callback();
  },
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- echoed JSON and error bodies, checked by matchers
type Echo = any;

/** Raw HTTP, so paths reach the provider exactly as written (no client-side normalisation). */
function call(
  method: string,
  path: string,
  opts: { headers?: http.OutgoingHttpHeaders; body?: Buffer | string; chunked?: boolean } = {},
) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer; json: () => Echo }>(
    (resolve, reject) => {
      const length =
        opts.body === undefined
          ? {}
          : opts.chunked
            ? { 'transfer-encoding': 'chunked' }
            : { 'content-length': Buffer.byteLength(opts.body) };
      const req = http.request(
        { host: '127.0.0.1', port, method, path, headers: { ...auth, ...length, ...opts.headers }, agent: false },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const body = Buffer.concat(chunks);
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body,
              json: () => JSON.parse(body.toString()),
            });
          });
        },
      );
      req.on('error', reject);
      if (opts.chunked && opts.body !== undefined) {
        const half = Math.floor(opts.body.length / 2);
        req.write(opts.body.slice(0, half));
        req.end(opts.body.slice(half));
      } else req.end(opts.body);
    },
  );
}

const register = (appType: string, appKey: string, baseUrl: string, meta: Record<string, unknown> = {}) =>
  s.registry.register({ appType: appType as 'inspector', appKey, baseUrl, meta });

beforeAll(async () => {
  [app, forbidden] = await Promise.all([startUpstream(), startUpstream()]);
});
afterAll(async () => {
  await Promise.all([stop(app.server), stop(forbidden.server)]);
});

// The same behaviour whichever way a call comes in (the Express router of the spec wiring, or the
// provider's fast path in front of Express) and whichever client calls the app (the llhttp-based
// one the provider uses, or undici where that binding is missing).
describe.each([
  ['express router', 'native'],
  ['fast path', 'native'],
  ['fast path', 'undici'],
] as const)('through the %s, %s upstream client', (mode, upstream) => {
  // One spec app (and its database) per mode; each test starts from the same clock and registrations.
  let startedAt = 0;
  beforeAll(async () => {
    s = await createSpecApp({ ttlMs: 60_000, proxyTimeoutMs: 1_500, upstream });
    startedAt = s.clock.t;
  });
  afterAll(async () => {
    await s.close();
  });
  beforeEach(async () => {
    app.seen.length = 0;
    forbidden.seen.length = 0;
    s.clock.t = startedAt;
    logLines.length = 0;
    metrics = createMetrics({ service: 'provider', defaultMetrics: false });
    const proxyErrors = metrics.counter({
      name: 'bfx_proxy_errors_total',
      help: 'proxied calls answered 5xx by the provider',
      labelNames: ['appType', 'code'] as const,
    });
    fastUpstream = createUpstreamClient({ timeoutMs: 1_500, kind: upstream });
    fast = createProxyFastPath({
      registry: s.registry,
      timeoutMs: 1_500,
      upstream: fastUpstream,
      token: SPEC_TOKEN,
      logger: pino({ level: 'info' }, logSink),
      httpDuration: metrics.httpDuration,
      proxyErrors,
    });
    const viaFastPath = fast;
    provider = http.createServer(
      mode === 'fast path' ? (req, res) => void (viaFastPath(req, res) || s.app(req, res)) : s.app,
    );
    await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
    port = (provider.address() as AddressInfo).port;
    await register('inspector', 'inspector', app.url);
    await register('advisor', 'advisor', `${app.url}/api/`);
    await register('detector', 'detector', app.url, { apiToken: 'app-own-token' });
  });
  afterEach(async () => {
    await stop(provider);
    await fast.close();
    await fastUpstream.close();
  });

  describe('proxy passthrough', () => {
    it('serves the seed example: the inspector sees /inspector/risk/dashboard', async () => {
      const res = await call('GET', '/api/inspectors/inspector/inspector/risk/dashboard');
      expect(res.status).toBe(201);
      expect(res.json()).toMatchObject({ method: 'GET', url: '/inspector/risk/dashboard' });
    });

    it.each(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])(
      'forwards %s with its path remainder, query and body',
      async (method) => {
        const body = method === 'GET' || method === 'OPTIONS' ? undefined : JSON.stringify({ n: 1, s: 'ü' });
        const res = await call(method, '/api/advisors/advisor/advisor-agent/x%20y/?a=1&a=2&q=%C3%BC+z', {
          headers: body ? { 'content-type': 'application/json' } : {},
          body,
        });
        expect(res.status).toBe(201);
        expect(res.json()).toMatchObject({
          method,
          url: '/api/advisor-agent/x%20y/?a=1&a=2&q=%C3%BC+z',
          text: body ?? '',
        });
        expect(res.json().headers['x-forwarded-prefix']).toBe('/api/advisors/advisor');
      },
    );

    it.each(['DELETE', 'GET', 'POST'])('keeps a chunked %s body framed', async (method) => {
      const res = await call(method, '/api/inspectors/inspector/chunked', {
        body: 'abcdefgh'.repeat(1000),
        chunked: true,
      });
      const seen = res.json();
      expect(seen).toMatchObject({
        method,
        length: 8000,
        sha256: createHash('sha256').update('abcdefgh'.repeat(1000)).digest('hex'),
      });
      // Framing is per hop: a body that arrived whole may go on with its length, else chunked again.
      expect(seen.headers['transfer-encoding'] === 'chunked' || seen.headers['content-length'] === '8000').toBe(true);
    });

    it('passes HEAD and the upstream status, body and headers unchanged', async () => {
      const teapot = await call('GET', '/api/inspectors/inspector/teapot');
      expect(teapot.status).toBe(418);
      expect(teapot.body.toString()).toBe('short and stout');
      expect(teapot.headers).toMatchObject({ 'content-type': 'text/plain', 'x-app': 'yes', etag: '"v1"' });
      const head = await call('HEAD', '/api/inspectors/inspector/teapot');
      expect(head.status).toBe(418);
      expect(head.body.length).toBe(0);
    });

    it('streams large binary bodies both ways, untouched by the JSON parser', async () => {
      const upload = randomBytes(3 * 1024 * 1024);
      const res = await call('POST', '/api/detectors/detector/upload', {
        headers: { 'content-type': 'application/octet-stream' },
        body: upload,
      });
      expect(res.status).toBe(201);
      expect(res.json()).toMatchObject({
        length: upload.length,
        sha256: createHash('sha256').update(upload).digest('hex'),
      });
      const down = await call('GET', `/api/detectors/detector/big/${5 * 1024 * 1024}`);
      expect(down.status).toBe(200);
      expect(down.body.length).toBe(5 * 1024 * 1024);
      expect(createHash('sha256').update(down.body).digest('hex')).toBe(down.headers['x-sha256']);
    });

    it('streams a large chunked upload through without knowing its length', async () => {
      const upload = randomBytes(3 * 1024 * 1024);
      const res = await call('PUT', '/api/detectors/detector/upload', { body: upload, chunked: true });
      expect(res.json()).toMatchObject({
        method: 'PUT',
        length: upload.length,
        sha256: createHash('sha256').update(upload).digest('hex'),
      });
    });

    it('never forwards the caller’s provider token; an app gets its own credential', async () => {
      const headers = { 'x-api-token': SPEC_TOKEN, cookie: 'session=1', 'x-request-id': 'req-1' };
      const plain = (await call('GET', '/api/inspectors/inspector/who', { headers })).json();
      expect(plain.headers).not.toHaveProperty('authorization');
      expect(plain.headers).not.toHaveProperty('x-api-token');
      expect(plain.headers).not.toHaveProperty('cookie');
      expect(plain.headers['x-request-id']).toBe('req-1');
      expect(plain.headers.host).toBe(new URL(app.url).host);
      const own = (await call('GET', '/api/detectors/detector/who', { headers })).json();
      expect(own.headers.authorization).toBe('Bearer app-own-token');
      expect(JSON.stringify(app.seen)).not.toContain(SPEC_TOKEN);
    });

    it('strips hop-by-hop headers in both directions', async () => {
      const res = await call('GET', '/api/inspectors/inspector/hop', {
        headers: {
          connection: 'keep-alive, x-caller-hop',
          'x-caller-hop': '1',
          'keep-alive': 'timeout=5',
          te: 'trailers',
          'proxy-authorization': 'Basic x',
          upgrade: 'h2c',
          'x-kept': 'yes',
        },
      });
      expect(res.status).toBe(200);
      const seen = app.seen[0]?.headers ?? {};
      for (const name of ['x-caller-hop', 'keep-alive', 'te', 'proxy-authorization', 'upgrade'])
        expect(seen).not.toHaveProperty(name);
      expect(seen['x-kept']).toBe('yes');
      expect(res.headers).not.toHaveProperty('x-upstream-hop');
      expect(res.headers['x-kept']).toBe('1');
    });
  });

  describe('proxy errors', () => {
    it('404 for an unknown app, in the provider error body', async () => {
      const res = await call('GET', '/api/inspectors/nobody/x');
      expect(res.status).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
      expect((await call('GET', '/api/advisors/inspector/x')).status).toBe(404);
    });

    it('503 once the heartbeat is older than the TTL, and after unregister', async () => {
      s.clock.t += 60_001;
      const res = await call('GET', '/api/inspectors/inspector/x');
      expect(res.status).toBe(503);
      expect(res.json().error).toMatchObject({ code: 'UNAVAILABLE', details: { staleMs: 60_001 } });
      await s.registry.heartbeat({ appType: 'inspector', appKey: 'inspector' });
      expect((await call('GET', '/api/inspectors/inspector/x')).status).toBe(201);
      await s.registry.unregister({ appType: 'inspector', appKey: 'inspector' });
      expect((await call('GET', '/api/inspectors/inspector/x')).status).toBe(503);
    });

    it('calls an app registered with an https base URL over TLS', async () => {
      // Not a TLS server: it records the first byte it gets (0x16 opens a TLS handshake) and hangs up.
      const firstBytes: number[] = [];
      const tcp = net.createServer((socket) =>
        socket.once('data', (d: Buffer) => void (firstBytes.push(d[0] ?? -1), socket.destroy())),
      );
      await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
      await register('advisor', 'secure', `https://127.0.0.1:${(tcp.address() as AddressInfo).port}`);
      const res = await call('GET', '/api/advisors/secure/x');
      expect(res.status).toBe(502);
      expect(firstBytes).toEqual([0x16]);
      await new Promise((resolve) => tcp.close(resolve));
    });

    it('502 when the app refuses connections', async () => {
      const closed = await startUpstream();
      await stop(closed.server);
      await register('advisor', 'gone', closed.url);
      const res = await call('POST', '/api/advisors/gone/x', {
        body: '{}',
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(502);
      expect(res.json().error).toMatchObject({ code: 'BAD_GATEWAY', details: { code: 'ECONNREFUSED' } });
    });

    it('504 when the app does not answer in time', async () => {
      const res = await call('GET', '/api/inspectors/inspector/silent');
      expect(res.status).toBe(504);
      expect(res.json().error.code).toBe('GATEWAY_TIMEOUT');
    });

    it('502 when the app answers with something that cannot be passed on, and the provider stays up', async () => {
      for (const path of ['/api/inspectors/inspector/odd-status', '/api/inspectors/inspector/held/odd-status']) {
        const res = await call('GET', path);
        expect({ path, status: res.status, code: res.json().error.code }).toEqual({
          path,
          status: 502,
          code: 'BAD_GATEWAY',
        });
      }
      expect((await call('GET', '/api/inspectors/inspector/x')).status).toBe(201);
    });

    it('requires the provider token', async () => {
      const res = await new Promise<number>((resolve) =>
        http.get({ host: '127.0.0.1', port, path: '/api/inspectors/inspector/x', agent: false }, (r) =>
          resolve(r.statusCode ?? 0),
        ),
      );
      expect(res).toBe(401);
      expect(app.seen).toHaveLength(0);
    });
  });

  describe('proxy path guard', () => {
    const hostPort = () => new URL(forbidden.url).host;
    const attempts = () => [
      '/api/inspectors/inspector/../../x',
      '/api/inspectors/inspector/a/../../b',
      '/api/inspectors/inspector/%2e%2e/x',
      '/api/inspectors/inspector/%2E%2e%2Fx',
      '/api/inspectors/inspector/.%2E/x',
      '/api/inspectors/inspector/%252e%252e/x',
      '/api/inspectors/inspector/%25252E%25252E%25252Fx',
      '/api/inspectors/inspector/a/./b',
      '/api/inspectors/inspector/..\\x',
      '/api/inspectors/inspector/a%5c..%5cb',
      `/api/inspectors/inspector/http://${hostPort()}/x`,
      `/api/inspectors/inspector/http:%2f%2f${hostPort()}/x`,
      `/api/inspectors/inspector/HTTPS%3A%2F%2F${hostPort()}`,
      `/api/inspectors/inspector//${hostPort()}/x`,
      `/api/inspectors/inspector/%2f%2f${hostPort()}/x`,
      `/api/inspectors/inspector/a//b`,
      '/api/inspectors/inspector/a%00b',
      '/api/inspectors/inspector/%E0%A4%A',
    ];

    it('refuses traversal, encoded dots, backslashes and second schemes before contacting anything', async () => {
      for (const path of attempts()) {
        const res = await call('GET', path);
        expect({ path, status: res.status }).toEqual({ path, status: 400 });
        expect(res.json().error.code).toBe('BAD_REQUEST');
      }
      expect(forbidden.seen).toHaveLength(0);
      expect(app.seen).toHaveLength(0);
    });

    it('refuses app keys that are not registry keys', async () => {
      for (const path of ['/api/inspectors/..%2f..%2fx/y', '/api/inspectors/%2e%2e/y', '/api/inspectors/a%2fb/y'])
        expect((await call('GET', path)).status).toBe(404);
      expect(app.seen).toHaveLength(0);
    });

    it('lets ordinary encoded paths through unchanged', async () => {
      const res = await call('GET', '/api/inspectors/inspector/symbols/BTC%2FUSDT/a..b/.well-known/');
      expect(res.json().url).toBe('/symbols/BTC%2FUSDT/a..b/.well-known/');
    });
  });

  if (mode === 'fast path') {
    describe('fast path extras', () => {
      // A histogram's count is the `<name>_count` sample of the `<name>` metric.
      const metricValue = async (name: string, labels: Record<string, string>) => {
        const metric = (await metrics.registry.getMetricsAsJSON()).find(
          (m) => m.name === name || `${m.name}_count` === name,
        );
        const match = metric?.values.find(
          (v) =>
            ((v as { metricName?: string }).metricName ?? metric.name) === name &&
            Object.entries(labels).every(([k, val]) => v.labels[k] === val),
        );
        return match?.value;
      };

      it('forwards a sane x-correlation-id and echoes it; replaces an unfit one on both sides', async () => {
        const kept = await call('GET', '/api/inspectors/inspector/who', { headers: { 'x-correlation-id': 'corr-1' } });
        expect(kept.headers['x-correlation-id']).toBe('corr-1');
        expect(kept.json().headers['x-correlation-id']).toBe('corr-1');
        const replaced = await call('GET', '/api/inspectors/inspector/who', {
          headers: { 'x-correlation-id': 'no spaces allowed' },
        });
        const id = replaced.headers['x-correlation-id'];
        expect(id).toMatch(/^[0-9a-f-]{36}$/);
        expect(replaced.json().headers['x-correlation-id']).toBe(id);
        const refused = await call('GET', '/api/inspectors/nobody/x', { headers: { 'x-correlation-id': 'corr-2' } });
        expect(refused.headers['x-correlation-id']).toBe('corr-2');
      });

      it('counts 5xx answers in bfx_proxy_errors_total and times every call', async () => {
        const closed = await startUpstream();
        await stop(closed.server);
        await register('advisor', 'gone', closed.url);
        expect((await call('GET', '/api/advisors/gone/x')).status).toBe(502);
        expect((await call('GET', '/api/inspectors/inspector/silent')).status).toBe(504);
        s.clock.t += 60_001;
        expect((await call('GET', '/api/detectors/detector/x')).status).toBe(503);
        expect((await call('GET', '/api/detectors/nobody/x')).status).toBe(404);
        expect(await metricValue('bfx_proxy_errors_total', { appType: 'advisor', code: 'BAD_GATEWAY' })).toBe(1);
        expect(await metricValue('bfx_proxy_errors_total', { appType: 'inspector', code: 'GATEWAY_TIMEOUT' })).toBe(1);
        expect(await metricValue('bfx_proxy_errors_total', { appType: 'detector', code: 'UNAVAILABLE' })).toBe(1);
        expect(await metricValue('bfx_proxy_errors_total', { appType: 'detector', code: 'NOT_FOUND' })).toBeUndefined();
        expect(
          await metricValue('http_request_duration_seconds_count', {
            route: '/api/detectors/:appKey/*splat',
            status: '503',
            method: 'GET',
          }),
        ).toBe(1);
        expect(
          await metricValue('http_request_duration_seconds_count', {
            route: '/api/advisors/:appKey/*splat',
            status: '502',
            method: 'GET',
          }),
        ).toBe(1);
      });

      it('logs one line per proxied call, and answers 401 itself', async () => {
        await call('GET', '/api/inspectors/inspector/who?q=1', { headers: { 'x-correlation-id': 'corr-3' } });
        const unauthorized = await new Promise<http.IncomingMessage>((resolve) =>
          http.get({ host: '127.0.0.1', port, path: '/api/inspectors/inspector/x', agent: false }, resolve),
        );
        unauthorized.resume();
        expect(unauthorized.statusCode).toBe(401);
        expect(unauthorized.headers['www-authenticate']).toBe('Bearer');
        await new Promise((resolve) => unauthorized.once('end', resolve));
        const records = logLines.map((l) => JSON.parse(l) as Record<string, unknown>);
        expect(records[0]).toMatchObject({
          msg: 'request completed',
          method: 'GET',
          path: '/api/inspectors/inspector/who',
          status: 201,
          correlationId: 'corr-3',
        });
        expect(app.seen).toHaveLength(1);
      });

      it('leaves everything else to Express', async () => {
        expect((await call('GET', '/api/proxy/targets')).status).toBe(200);
        expect((await call('GET', '/api/inspectors/inspector')).status).toBe(404);
        expect(app.seen).toHaveLength(0);
      });
    });
  }
});
