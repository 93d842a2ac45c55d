import { Agent, createServer, get } from 'node:http';
import express from 'express';
import request from 'supertest';
import { busCheck, databaseCheck, healthRouter } from './health';
import { closeServer } from './server';

const STARTED_AT = 1_700_000_000_000;

function makeApp(checks: Parameters<typeof healthRouter>[0]['checks'], timeoutMs = 1000) {
  const app = express();
  app.use(
    healthRouter({
      service: 'provider',
      version: '1.2.3',
      startedAt: STARTED_AT,
      now: () => STARTED_AT + 5000,
      checks,
      timeoutMs,
    }),
  );
  return app;
}

describe('healthRouter', () => {
  it('GET /health is always 200 with identity and uptime', async () => {
    const app = makeApp({ db: async () => ({ ok: false }) });
    const res = await request(app).get('/health').expect(200);
    expect(res.body).toEqual({
      status: 'ok',
      service: 'provider',
      version: '1.2.3',
      uptimeMs: 5000,
      timestamp: STARTED_AT + 5000,
    });
  });

  it('GET /health/ready is 200 when every check passes', async () => {
    const app = makeApp({
      db: async () => ({ ok: true }),
      bus: async () => ({ ok: true, details: { transport: 'memory' } }),
    });
    const res = await request(app).get('/health/ready').expect(200);
    expect(res.body).toMatchObject({
      status: 'ready',
      service: 'provider',
      checks: { db: { ok: true }, bus: { ok: true, details: { transport: 'memory' } } },
    });
  });

  it('is 503 when a check fails, throws or rejects', async () => {
    const app = makeApp({
      db: async () => ({ ok: true }),
      bus: async () => ({ ok: false, details: { state: 'reconnecting' } }),
      cache: () => {
        throw new Error('sync failure');
      },
      exchange: async () => Promise.reject(new Error('ECONNREFUSED')),
    });
    const res = await request(app).get('/health/ready').expect(503);
    expect(res.body.status).toBe('not_ready');
    expect(res.body.checks).toMatchObject({
      db: { ok: true },
      bus: { ok: false, details: { state: 'reconnecting' } },
      cache: { ok: false, error: 'sync failure' },
      exchange: { ok: false, error: 'ECONNREFUSED' },
    });
  });

  it('is 503 when a check hangs past its timeout, without waiting for it', async () => {
    const app = makeApp({ db: async () => ({ ok: true }), bus: () => new Promise(() => undefined) }, 20);
    const res = await request(app).get('/health/ready').expect(503);
    expect(res.body.checks.bus).toEqual({ ok: false, durationMs: 0, error: 'timed out after 20ms' });
    expect(res.body.checks.db.ok).toBe(true);
  });

  it('is ready with no checks at all', async () => {
    await request(makeApp({})).get('/health/ready').expect(200);
  });
});

describe('standard checks', () => {
  it('report a database by ping and a bus by its connection', async () => {
    await expect(databaseCheck({ ping: async () => true, kind: 'pglite' })()).resolves.toEqual({
      ok: true,
      details: { kind: 'pglite' },
    });
    await expect(databaseCheck({ ping: async () => false, kind: 'postgres' })()).resolves.toMatchObject({ ok: false });
    await expect(
      busCheck({ status: () => ({ connected: false, transport: 'nats' }) as { connected: boolean } })(),
    ).resolves.toEqual({ ok: false, details: { connected: false, transport: 'nats' } });
  });
});

describe('closeServer', () => {
  it('closes a server holding an idle keep-alive connection at once, and tolerates one already closed', async () => {
    const server = createServer((_req, res) => void res.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const agent = new Agent({ keepAlive: true });
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((r) => get({ port, host: '127.0.0.1', agent }, (res) => res.resume().on('end', () => r())));
    await closeServer(server);
    expect(server.listening).toBe(false);
    await closeServer(server);
    agent.destroy();
  });
});
