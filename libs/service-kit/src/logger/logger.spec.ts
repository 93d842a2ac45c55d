import { Writable } from 'node:stream';
import express from 'express';
import request from 'supertest';
import { memoryLogger } from '../test-support';
import { createLogger, withCorrelationId } from './logger';
import { getRequestContext, requestContext } from './request-context';

const SECRET = 'sk-live-0123456789';

describe('createLogger', () => {
  it('writes JSON with component, ISO time and level', () => {
    const { logger, records } = memoryLogger('provider');
    logger.info({ symbol: 'BTCUSDT' }, 'hello');
    const [line] = records();
    expect(line).toMatchObject({ component: 'provider', msg: 'hello', symbol: 'BTCUSDT', level: 30 });
    expect(String(line?.['time'])).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('redacts secrets in fields, nested objects and headers', () => {
    const { logger, lines, records } = memoryLogger();
    logger.info({
      token: SECRET,
      apiKey: SECRET,
      account: { apiKey: SECRET, apiSecret: SECRET, name: 'main' },
      user: { password: SECRET, secret: SECRET, token: SECRET },
      meta: { apiToken: SECRET, stages: ['a'] },
      alpaca: { keyId: 'id', secretKey: SECRET },
      apiToken: SECRET,
      req: {
        headers: { authorization: `Bearer ${SECRET}`, 'x-api-token': SECRET, cookie: `sid=${SECRET}`, host: 'h' },
      },
      res: { headers: { 'set-cookie': `sid=${SECRET}` } },
      err: { config: { headers: { Authorization: `Bearer ${SECRET}` } } },
      headers: { authorization: SECRET },
    });
    expect(lines.join('\n')).not.toContain(SECRET);
    const [line] = records();
    expect(line).toMatchObject({
      account: { apiKey: '[redacted]', name: 'main' },
      meta: { apiToken: '[redacted]', stages: ['a'] },
      alpaca: { keyId: 'id', secretKey: '[redacted]' },
      req: { headers: { authorization: '[redacted]', host: 'h' } },
    });
  });

  it('redacts extra paths on request', () => {
    const { lines } = (() => {
      const out: string[] = [];
      const destination = new Writable({
        write(chunk: Buffer, _e, cb) {
          out.push(chunk.toString());
          cb();
        },
      });
      const logger = createLogger({ name: 'x', destination, redact: ['wallet.seed'] });
      logger.info({ wallet: { seed: SECRET } });
      return { lines: out };
    })();
    expect(lines.join('')).not.toContain(SECRET);
  });

  it('respects the level', () => {
    const out: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _e, cb) {
        out.push(chunk.toString());
        cb();
      },
    });
    const logger = createLogger({ name: 'x', level: 'warn', destination });
    logger.info('quiet');
    logger.warn('loud');
    expect(out).toHaveLength(1);
  });

  it('pretty-prints through pino-pretty, still redacted', () => {
    const out: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _e, cb) {
        out.push(chunk.toString());
        cb();
      },
    });
    const logger = createLogger({ name: 'pretty', pretty: true, destination });
    logger.info({ token: SECRET }, 'pretty line');
    const text = out.join('');
    expect(text).toContain('pretty line');
    expect(text).toContain('INFO');
    expect(text).not.toContain(SECRET);
    expect(() => JSON.parse(text)).toThrow();
  });

  it('child loggers carry the correlation id', () => {
    const { logger, records } = memoryLogger();
    withCorrelationId(logger, 'corr-1', { orderId: 'o1' }).info('step');
    expect(records()[0]).toMatchObject({ correlationId: 'corr-1', orderId: 'o1' });
  });
});

describe('requestContext', () => {
  function makeApp() {
    const log = memoryLogger('http');
    const app = express();
    app.use(
      requestContext({ logger: log.logger, generateId: () => 'generated-id', skip: (req) => req.path === '/health' }),
    );
    app.get('/work', (_req, res) => {
      const ctx = getRequestContext(res);
      ctx?.logger.info('inside');
      res.json({ correlationId: ctx?.correlationId });
    });
    app.get('/health', (_req, res) => {
      res.end();
    });
    return { app, log };
  }

  it('adopts a sane incoming id, echoes it, and logs with it', async () => {
    const { app, log } = makeApp();
    const res = await request(app).get('/work?x=1').set('x-correlation-id', 'abc-123').expect(200);
    expect(res.body).toEqual({ correlationId: 'abc-123' });
    expect(res.headers['x-correlation-id']).toBe('abc-123');
    const recs = log.records();
    expect(recs.map((r) => r['correlationId'])).toEqual(['abc-123', 'abc-123']);
    expect(recs[1]).toMatchObject({ msg: 'request completed', method: 'GET', path: '/work', status: 200 });
  });

  it('replaces missing or unsafe ids', async () => {
    const { app } = makeApp();
    expect((await request(app).get('/work')).body.correlationId).toBe('generated-id');
    for (const unsafe of ['x'.repeat(200), 'bad id "}{']) {
      expect((await request(app).get('/work').set('x-correlation-id', unsafe)).body.correlationId).toBe('generated-id');
    }
  });

  it('skips logging requests the caller excludes', async () => {
    const { app, log } = makeApp();
    await request(app).get('/health').expect(200);
    expect(log.lines).toHaveLength(0);
  });

  it('below info, builds no child logger and no listener for a request that does not log', async () => {
    const log = memoryLogger('http');
    log.logger.level = 'warn';
    const child = jest.spyOn(log.logger, 'child');
    const app = express();
    app.use(requestContext({ logger: log.logger, generateId: () => 'quiet-id' }));
    let finishListeners = -2;
    app.get('/quiet', (_req, res) => {
      finishListeners = res.listenerCount('finish');
      res.json({ correlationId: getRequestContext(res)?.correlationId });
    });
    app.get('/loud', (_req, res) => {
      getRequestContext(res)?.logger.warn('something odd');
      res.end();
    });
    expect((await request(app).get('/quiet').expect(200)).body).toEqual({ correlationId: 'quiet-id' });
    expect(child).not.toHaveBeenCalled();
    // Whatever Express itself listens with, and nothing more.
    const bare = express();
    let bareListeners = -1;
    bare.get('/quiet', (_req, res) => {
      bareListeners = res.listenerCount('finish');
      res.end();
    });
    await request(bare).get('/quiet').expect(200);
    expect(finishListeners).toBe(bareListeners);
    // A handler that does log still gets the request's id on its line.
    await request(app).get('/loud').expect(200);
    expect(child).toHaveBeenCalledTimes(1);
    expect(log.records()).toEqual([expect.objectContaining({ msg: 'something odd', correlationId: 'quiet-id' })]);
  });
});
