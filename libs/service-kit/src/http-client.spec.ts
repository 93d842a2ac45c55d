import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '@barfinex/contracts';
import { createHttpClient, mapAxiosError, type HttpClient } from './http-client';
import { memoryLogger } from './test-support';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

async function startServer(handler: Handler): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    return mapAxiosError(err);
  }
  throw new Error('expected the request to fail');
}

describe('createHttpClient + mapAxiosError', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let client: HttpClient;
  const seenHeaders: http.IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    server = await startServer((req, res) => {
      seenHeaders.push(req.headers);
      switch (req.url?.split('?')[0]) {
        case '/ok':
          return json(res, 200, { ok: true });
        case '/ours':
          return json(res, 404, { error: { code: 'NOT_FOUND', message: 'order 7 not found', details: { id: '7' } } });
        case '/rejected':
          return json(res, 422, { error: { code: 'ORDER_REJECTED', message: 'insufficient balance' } });
        case '/crash':
          return json(res, 500, { error: { code: 'INTERNAL', message: 'internal server error' } });
        case '/plain':
          res.writeHead(503, { 'content-type': 'text/html' });
          return res.end('<h1>down</h1>');
        case '/hang':
          return undefined;
        default:
          return json(res, 404, {});
      }
    });
    // Room for a busy machine: a request that must answer is never the one that times out here.
    client = createHttpClient({
      baseURL: server.url,
      timeoutMs: 10_000,
      headers: { authorization: 'Bearer upstream-secret-token' },
    });
  });

  afterAll(async () => {
    client.close();
    await server.close();
  });

  it('sends the default headers and reuses connections', async () => {
    const first = await client.get('/ok');
    expect(first.data).toEqual({ ok: true });
    await client.get('/ok');
    expect(seenHeaders.at(-1)?.authorization).toBe('Bearer upstream-secret-token');
    expect(seenHeaders.at(-1)?.connection).toBe('keep-alive');
  });

  it('keeps the upstream error body and status when it is our shape', async () => {
    const err = await failure(client.get('/ours?token=secret'));
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'NOT_FOUND', status: 404, message: 'order 7 not found', expose: true });
    expect(err.details).toEqual({
      upstream: {
        method: 'GET',
        url: `${server.url}/ours`,
        status: 404,
        error: { code: 'NOT_FOUND', message: 'order 7 not found', details: { id: '7' } },
      },
    });
    expect(JSON.stringify(err.details)).not.toContain('secret');
    expect((await failure(client.post('/rejected', {}))).code).toBe('ORDER_REJECTED');
  });

  it('maps an upstream 500 to a 500 AppError', async () => {
    const err = await failure(client.get('/crash'));
    expect(err).toMatchObject({ code: 'INTERNAL', status: 500, message: 'internal server error' });
  });

  it('maps a foreign error body by status', async () => {
    const err = await failure(client.get('/plain'));
    expect(err).toMatchObject({
      code: 'UNAVAILABLE',
      status: 503,
      message: `upstream GET ${server.url}/plain answered 503`,
    });
  });

  it('maps a timeout to 504 GATEWAY_TIMEOUT', async () => {
    // A short timeout only where the server never answers, so the outcome does not depend on load.
    const impatient = createHttpClient({ baseURL: server.url, timeoutMs: 50 });
    try {
      const err = await failure(impatient.get('/hang'));
      expect(err).toMatchObject({ code: 'GATEWAY_TIMEOUT', status: 504 });
      expect(err.message).toBe(`upstream GET ${server.url}/hang did not answer in time`);
    } finally {
      impatient.close();
    }
  });

  it('maps a refused connection to 502 BAD_GATEWAY', async () => {
    const gone = await startServer(() => undefined);
    await gone.close();
    const refused = createHttpClient({ baseURL: gone.url, timeoutMs: 1000, keepAlive: false });
    try {
      const err = await failure(refused.get('/x'));
      expect(err).toMatchObject({ code: 'BAD_GATEWAY', status: 502 });
      expect(err.message).toBe(`upstream GET ${gone.url}/x is unreachable (ECONNREFUSED)`);
    } finally {
      refused.close();
    }
  });

  it('logs upstream failures without the Authorization header the request carried', async () => {
    const { logger, lines, records } = memoryLogger();
    let raw: unknown;
    try {
      await client.get('/crash?token=in-query');
    } catch (err) {
      raw = err;
    }
    logger.error({ err: raw }, 'raw axios error');
    logger.error({ err: mapAxiosError(raw) }, 'mapped');
    const text = lines.join('\n');
    expect(text).not.toContain('upstream-secret-token');
    expect(text).not.toContain('in-query');
    expect(records()[0]?.['err']).toMatchObject({ type: 'AxiosError', method: 'GET', url: '/crash', status: 500 });
  });

  it('passes AppErrors through and wraps anything else as INTERNAL', () => {
    const original = new AppError('CONFLICT', 'x');
    expect(mapAxiosError(original)).toBe(original);
    expect(mapAxiosError(new Error('weird'))).toMatchObject({ code: 'INTERNAL', expose: false });
  });
});
