import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import request from 'supertest';
import { z } from 'zod';
import { jsonBody } from '../http/json-body';
import { parseInput } from '../http/parse-input';
import { createHttpClient } from '../http-client';
import { memoryLogger } from '../test-support';
import { AppError, ERROR_CODE_STATUS, ERROR_CODE_VALUES, conflict, internal, notFound } from '@barfinex/contracts';
import { errorMiddleware, notFoundHandler, toPublicErrorBody } from './error-middleware';
import { unavailableReason } from './unavailable';

/** Shaped like what Prisma 7 throws through @prisma/adapter-pg when PostgreSQL refuses connections. */
class PrismaClientKnownRequestError extends Error {
  override name = 'PrismaClientKnownRequestError';
  constructor(
    message: string,
    readonly code: string,
    readonly meta: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

function prismaError(code: string, adapterCause?: Record<string, unknown>): PrismaClientKnownRequestError {
  const meta =
    adapterCause === undefined ? {} : { driverAdapterError: { name: 'DriverAdapterError', cause: adapterCause } };
  return new PrismaClientKnownRequestError(
    "Invalid `prisma.order.create()` invocation: Can't reach database server at 10.0.0.5:5432",
    code,
    meta,
  );
}

/** Shaped like node-postgres's DatabaseError for a session the server ended during a restart. */
function pgError(code: string): Error {
  return Object.assign(new Error('terminating connection due to administrator command'), { code, severity: 'FATAL' });
}

const OrderBody = z.object({ symbol: z.string().min(1), quantity: z.number().positive() });

function makeApp() {
  const log = memoryLogger();
  const app = express();
  app.use(jsonBody({ limit: 64 }));
  app.get('/orders/:id', (req) => {
    throw notFound(`order ${req.params.id}`, { id: req.params.id });
  });
  app.post('/orders', (req, res) => {
    const body = parseInput(OrderBody, req.body, 'body');
    res.status(201).json(body);
  });
  app.post('/echo', (req, res) => {
    res.json({ body: req.body === undefined ? 'none' : req.body });
  });
  app.get('/zod', () => {
    z.object({ a: z.string() }).parse({ a: 1 });
  });
  app.get('/async-conflict', async () => {
    await Promise.resolve();
    throw conflict('order already closed', { status: 'FILLED' });
  });
  app.get('/boom', () => {
    throw new Error('db password=hunter2 at 10.0.0.5');
  });
  app.get('/internal', () => {
    throw internal('cache corrupted');
  });
  app.get('/string-thrown', () => {
    throw 'just a string';
  });
  app.get('/upstream', async () => {
    const gone = http.createServer();
    await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
    const { port } = gone.address() as AddressInfo;
    await new Promise((resolve) => gone.close(resolve));
    const client = createHttpClient({ baseURL: `http://127.0.0.1:${port}`, timeoutMs: 1000, keepAlive: false });
    try {
      await client.get('/x');
    } finally {
      client.close();
    }
  });
  app.get('/db-unreachable', async () => {
    await Promise.resolve();
    throw prismaError('P1001', { kind: 'DatabaseNotReachable', host: '10.0.0.5', port: 5432 });
  });
  app.get('/db-restarting', () => {
    throw new Error('candles read failed', { cause: pgError('57P01') });
  });
  app.use(notFoundHandler);
  app.use(errorMiddleware({ logger: log.logger }));
  return { app, log };
}

describe('error vocabulary', () => {
  it('maps every code to a status', () => {
    for (const code of ERROR_CODE_VALUES) expect(ERROR_CODE_STATUS[code]).toBeGreaterThanOrEqual(400);
    expect(new AppError('ORDER_REJECTED', 'x').status).toBe(422);
    expect(new AppError('INTERNAL', 'x').expose).toBe(false);
    expect(new AppError('NOT_FOUND', 'x').expose).toBe(true);
  });

  it('builds client-safe bodies outside Express too', () => {
    expect(toPublicErrorBody(new Error('secret'))).toEqual({
      error: { code: 'INTERNAL', message: 'internal server error' },
    });
    expect(toPublicErrorBody(notFound('symbol XYZ'))).toEqual({
      error: { code: 'NOT_FOUND', message: 'symbol XYZ not found' },
    });
  });
});

describe('errorMiddleware', () => {
  it('answers an AppError with its status and body', async () => {
    const { app } = makeApp();
    const res = await request(app).get('/orders/42').expect(404);
    expect(res.body).toEqual({ error: { code: 'NOT_FOUND', message: 'order 42 not found', details: { id: '42' } } });
  });

  it('forwards async throws (Express 5) to the middleware', async () => {
    const { app } = makeApp();
    const res = await request(app).get('/async-conflict').expect(409);
    expect(res.body.error).toEqual({
      code: 'CONFLICT',
      message: 'order already closed',
      details: { status: 'FILLED' },
    });
  });

  it('maps a ZodError to 400 VALIDATION_ERROR with issues', async () => {
    const { app } = makeApp();
    const res = await request(app).get('/zod').expect(400);
    expect(res.body.error.code).toBe('VALIDATION_ERROR');
    expect(res.body.error.details.issues).toEqual([
      { path: 'a', message: 'Invalid input: expected string, received number', code: 'invalid_type' },
    ]);
  });

  it('parseInput reports where and every issue', async () => {
    const { app } = makeApp();
    const res = await request(app).post('/orders').send({ symbol: '', quantity: -1 }).expect(400);
    expect(res.body.error.code).toBe('VALIDATION_ERROR');
    expect(res.body.error.message).toMatch(/^invalid request body: symbol: .+ \(and 1 more\)$/);
    expect(res.body.error.details.where).toBe('body');
    expect(res.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual(['symbol', 'quantity']);
    await request(app).post('/orders').send({ symbol: 'BTCUSDT', quantity: 1 }).expect(201);
  });

  it('says so when the body is missing altogether', async () => {
    const { app } = makeApp();
    const res = await request(app).post('/orders').expect(400);
    expect(res.body.error.message).toContain('request body is required');
  });

  it('maps malformed JSON to 400 INVALID_JSON', async () => {
    const { app } = makeApp();
    const res = await request(app)
      .post('/orders')
      .set('Content-Type', 'application/json')
      .send('{"symbol":')
      .expect(400);
    expect(res.body).toEqual({ error: { code: 'INVALID_JSON', message: 'malformed JSON in request body' } });
  });

  it('maps an oversized body to 413 PAYLOAD_TOO_LARGE', async () => {
    const { app } = makeApp();
    const res = await request(app)
      .post('/orders')
      .send({ symbol: 'x'.repeat(200), quantity: 1 })
      .expect(413);
    expect(res.body.error).toEqual({
      code: 'PAYLOAD_TOO_LARGE',
      message: 'request body is too large',
      details: { limitBytes: 64 },
    });
  });

  it('hides unknown errors behind 500 INTERNAL and logs them with the stack', async () => {
    const { app, log } = makeApp();
    const res = await request(app).get('/boom').expect(500);
    expect(res.body).toEqual({ error: { code: 'INTERNAL', message: 'internal server error' } });
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
    const record = log.records().find((r) => r['level'] === 50);
    expect(record).toMatchObject({ code: 'INTERNAL', method: 'GET', path: '/boom' });
    expect((record?.['err'] as { stack: string }).stack).toContain('db password');
  });

  it('never exposes an INTERNAL AppError message, nor a thrown non-Error', async () => {
    const { app } = makeApp();
    expect((await request(app).get('/internal').expect(500)).body.error.message).toBe('internal server error');
    expect((await request(app).get('/string-thrown').expect(500)).body.error.code).toBe('INTERNAL');
  });

  it('maps an unmapped upstream failure to 502 BAD_GATEWAY', async () => {
    const { app } = makeApp();
    const res = await request(app).get('/upstream').expect(502);
    expect(res.body.error.code).toBe('BAD_GATEWAY');
    expect(res.body.error.message).toMatch(/is unreachable \(ECONNREFUSED\)$/);
  });

  it('answers 503 UNAVAILABLE while the database is unreachable, without leaking where it is', async () => {
    const { app, log } = makeApp();
    const res = await request(app).get('/db-unreachable').expect(503);
    expect(res.body).toEqual({
      error: {
        code: 'UNAVAILABLE',
        message: 'the database is temporarily unavailable; retry shortly',
        details: { reason: 'DATABASE_UNAVAILABLE', retryable: true },
      },
    });
    expect(JSON.stringify(res.body)).not.toContain('10.0.0.5');
    expect(log.records().find((r) => r['level'] === 50)).toMatchObject({
      code: 'UNAVAILABLE',
      path: '/db-unreachable',
    });
  });

  it('answers 503 for a session the restarting server ended, found through the cause chain', async () => {
    const { app } = makeApp();
    const res = await request(app).get('/db-restarting').expect(503);
    expect(res.body.error).toMatchObject({
      code: 'UNAVAILABLE',
      details: { reason: 'DATABASE_UNAVAILABLE', retryable: true },
    });
  });

  it('answers unknown routes with 404 ROUTE_NOT_FOUND naming method and path', async () => {
    const { app } = makeApp();
    const res = await request(app).delete('/nope/here?x=1').expect(404);
    expect(res.body).toEqual({
      error: {
        code: 'ROUTE_NOT_FOUND',
        message: 'no route for DELETE /nope/here',
        details: { method: 'DELETE', path: '/nope/here' },
      },
    });
  });
});

describe('unavailableReason', () => {
  it('recognises lost or refused database connections', () => {
    expect(unavailableReason(prismaError('P1001'))).toBe('DATABASE_UNAVAILABLE');
    expect(unavailableReason(prismaError('P1017'))).toBe('DATABASE_UNAVAILABLE');
    expect(unavailableReason(prismaError('P2010', { kind: 'DatabaseNotReachable' }))).toBe('DATABASE_UNAVAILABLE');
    expect(unavailableReason(prismaError('P2039', { kind: 'ConnectionClosed' }))).toBe('DATABASE_UNAVAILABLE');
    expect(unavailableReason(prismaError('P2010', { kind: 'postgres', code: '57P03' }))).toBe('DATABASE_UNAVAILABLE');
    expect(unavailableReason(Object.assign(new Error('init'), { name: 'PrismaClientInitializationError' }))).toBe(
      'DATABASE_UNAVAILABLE',
    );
    expect(unavailableReason(pgError('08006'))).toBe('DATABASE_UNAVAILABLE');
    expect(unavailableReason(new Error('Connection terminated unexpectedly'))).toBe('DATABASE_UNAVAILABLE');
    expect(unavailableReason(new Error('Connection terminated due to connection timeout'))).toBe(
      'DATABASE_UNAVAILABLE',
    );
    expect(unavailableReason(new Error('timeout exceeded when trying to connect'))).toBe('DATABASE_UNAVAILABLE');
    expect(unavailableReason(new Error('Query read timeout'))).toBe('DATABASE_UNAVAILABLE');
    expect(
      unavailableReason(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })),
    ).toBe('DEPENDENCY_UNREACHABLE');
  });

  it('leaves errors the caller or the code caused alone', () => {
    expect(unavailableReason(prismaError('P2002', { kind: 'UniqueConstraintViolation' }))).toBeUndefined();
    expect(unavailableReason(prismaError('P2010', { kind: 'postgres', code: '23505' }))).toBeUndefined();
    expect(unavailableReason(pgError('42P01'))).toBeUndefined();
    expect(unavailableReason(new Error('db password=hunter2'))).toBeUndefined();
    expect(unavailableReason('just a string')).toBeUndefined();
  });
});

describe('jsonBody', () => {
  it('leaves req.body undefined for a missing or empty body', async () => {
    const { app } = makeApp();
    expect((await request(app).post('/echo').expect(200)).body).toEqual({ body: 'none' });
    expect(
      (
        await request(app)
          .post('/echo')
          .set('Content-Type', 'application/json')
          .set('Transfer-Encoding', 'chunked')
          .send('')
          .expect(200)
      ).body,
    ).toEqual({ body: 'none' });
  });

  it('parses JSON, including bodies sent without a Content-Type', async () => {
    const { app } = makeApp();
    expect((await request(app).post('/echo').send({ a: 1 }).expect(200)).body).toEqual({ body: { a: 1 } });
    const server = app.listen(0);
    try {
      const { port } = server.address() as AddressInfo;
      const res = await new Promise<string>((resolve, reject) => {
        const req = http.request({ port, method: 'POST', path: '/echo', headers: { 'Content-Length': 7 } }, (r) => {
          let text = '';
          r.on('data', (chunk: Buffer) => (text += chunk.toString()));
          r.on('end', () => resolve(text));
        });
        req.on('error', reject);
        req.end('{"b":2}');
      });
      expect(JSON.parse(res)).toEqual({ body: { b: 2 } });
    } finally {
      server.close();
    }
  });

  it('ignores other content types', async () => {
    const { app } = makeApp();
    const res = await request(app).post('/echo').set('Content-Type', 'text/plain').send('{"a":1}').expect(200);
    expect(res.body).toEqual({ body: 'none' });
  });
});
