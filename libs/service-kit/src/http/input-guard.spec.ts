import express from 'express';
import request from 'supertest';
import { z } from 'zod';
import { errorMiddleware } from '../errors/error-middleware';
import { memoryLogger } from '../test-support';
import { MAX_INPUT_DEPTH, findUnsafeInput } from './input-guard';
import { jsonBody } from './json-body';
import { parseInput } from './parse-input';

const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

function makeApp() {
  const app = express();
  app.use(jsonBody({ limit: '256kb' }));
  app.post('/echo', (req, res) => void res.json({ body: req.body ?? null }));
  app.get('/items/:id', (req, res) => {
    const { id } = parseInput(z.object({ id: z.string() }), req.params, 'params');
    const query = parseInput(z.object({ q: z.string().optional() }), req.query, 'query');
    res.json({ id, query });
  });
  app.use(errorMiddleware({ logger: memoryLogger().logger }));
  return app;
}

function expectValidationError(res: request.Response, where: string, code: string): void {
  expect(res.status).toBe(400);
  expect(res.body.error).toMatchObject({
    code: 'VALIDATION_ERROR',
    details: { where, issues: [expect.objectContaining({ code })] },
  });
  expect(typeof res.body.error.message).toBe('string');
}

describe('findUnsafeInput', () => {
  it('accepts ordinary values, paired surrogates (emoji) included', () => {
    expect(
      findUnsafeInput({
        symbol: 'BTCUSDT',
        note: 'to the moon 🚀',
        qty: 1e300,
        legs: [{ price: '1.5' }],
        ok: true,
        none: null,
      }),
    ).toBeUndefined();
  });

  it('names the first NUL, lone surrogate, non-finite number or too-deep value with its path', () => {
    expect(findUnsafeInput({ a: ['x', 'y\u0000'] })).toMatchObject({ path: 'a.1', code: 'invalid_text' });
    expect(findUnsafeInput({ a: { b: '\ud800' } })).toMatchObject({ path: 'a.b', code: 'invalid_text' });
    expect(findUnsafeInput({ a: 'x\udc00y' })).toMatchObject({ code: 'invalid_text' });
    expect(findUnsafeInput({ 'k\u0000': 1 })).toMatchObject({ path: 'k\u0000', code: 'invalid_key' });
    expect(findUnsafeInput({ n: Infinity })).toMatchObject({ path: 'n', code: 'invalid_number' });
    expect(findUnsafeInput(JSON.parse(nested(MAX_INPUT_DEPTH)))).toBeUndefined();
    expect(findUnsafeInput(JSON.parse(nested(MAX_INPUT_DEPTH + 1)))).toMatchObject({ code: 'too_deep' });
  });

  it('walks 100,000 levels without overflowing its own stack', () => {
    expect(findUnsafeInput(JSON.parse(nested(100_000)), 200_000)).toBeUndefined();
  });
});

describe('the JSON body parser refuses what no route can store', () => {
  const app = makeApp();
  const post = (text: string) => request(app).post('/echo').set('content-type', 'application/json').send(text);

  it('NUL in a string or a key', async () => {
    expectValidationError(await post('{"symbol":"BTC\\u0000USDT"}'), 'body', 'invalid_text');
    expectValidationError(await post('{"a\\u0000":1}'), 'body', 'invalid_key');
  });

  it('a lone surrogate escape', async () => {
    expectValidationError(await post('{"note":"\\ud800"}'), 'body', 'invalid_text');
    expectValidationError(await post('["\\udfff x"]'), 'body', 'invalid_text');
  });

  it('nesting 5,000 deep, and a number beyond a double', async () => {
    expectValidationError(await post(`{"a":${nested(5000)}}`), 'body', 'too_deep');
    expectValidationError(await post('{"quantity":1e400}'), 'body', 'invalid_number');
  });

  it('still takes ordinary bodies, an emoji and an empty body', async () => {
    expect((await post('{"note":"\\ud83d\\ude80 ok","n":[1,[2,[3]]]}')).body).toEqual({
      body: { note: '🚀 ok', n: [1, [2, [3]]] },
    });
    expect((await request(app).post('/echo')).body).toEqual({ body: null });
  });
});

describe('parseInput refuses NUL in path params and query values', () => {
  const app = makeApp();
  it('answers 400 with the error body', async () => {
    expectValidationError(await request(app).get('/items/a%00b'), 'params', 'invalid_text');
    expectValidationError(await request(app).get('/items/a?q=x%00'), 'query', 'invalid_text');
    expect((await request(app).get('/items/a%C3%A9?q=%F0%9F%9A%80')).body).toEqual({ id: 'aé', query: { q: '🚀' } });
  });
});
