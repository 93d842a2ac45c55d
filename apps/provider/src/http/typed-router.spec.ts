import express from 'express';
import request from 'supertest';
import { z } from 'zod';
import { defineRoute } from '@barfinex/contracts';
import { createTypedRouter, reply } from './typed-router';

const Thing = z.object({ id: z.string(), note: z.string() });

function makeApp() {
  const t = createTypedRouter();
  t.add(
    defineRoute({
      method: 'post',
      scope: 'trade',
      path: '/things',
      summary: 'create',
      request: { body: Thing },
      responses: { 201: Thing },
    }),
    ({ body }) => (body.id === 'again' ? reply(200, body, { 'Idempotent-Replayed': 'true' }) : body),
  );
  t.add(
    defineRoute({ method: 'get', scope: 'read', path: '/things/one', summary: 'read', responses: { 200: Thing } }),
    () => ({ id: 'one', note: 'é ü' }),
  );
  const app = express();
  app.use(express.json());
  app.use(t.router);
  return app;
}

describe('typed router replies', () => {
  it('writes a write route reply as JSON with its status, length and headers, and no ETag', async () => {
    const app = makeApp();
    const body = { id: 'x', note: 'naïve – ünïcode' };
    const created = await request(app).post('/things').send(body).expect(201);
    expect(created.body).toEqual(body);
    expect(created.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Number(created.headers['content-length'])).toBe(Buffer.byteLength(JSON.stringify(body)));
    expect(created.headers['etag']).toBeUndefined();

    const replayed = await request(app).post('/things').send({ id: 'again', note: 'n' }).expect(200);
    expect(replayed.body).toEqual({ id: 'again', note: 'n' });
    expect(replayed.headers['idempotent-replayed']).toBe('true');
  });

  it('keeps ETags and conditional answers on reads', async () => {
    const app = makeApp();
    const first = await request(app).get('/things/one').expect(200);
    expect(first.body).toEqual({ id: 'one', note: 'é ü' });
    const etag = first.headers['etag'];
    expect(etag).toEqual(expect.any(String));
    await request(app)
      .get('/things/one')
      .set('If-None-Match', etag as string)
      .expect(304);
  });

  it('routes each method to its own routes, HEAD to GET, and answers OPTIONS with every method of a path', async () => {
    const t = createTypedRouter();
    const seen: string[] = [];
    const route = (method: 'get' | 'put' | 'delete', path: string) =>
      defineRoute({ method, scope: 'read', path, summary: path, responses: { 200: null } });
    // A parameterised GET registered first must not capture the PUT or DELETE of the same path.
    t.add(route('get', '/items/:id'), ({ req }) => {
      seen.push(`GET ${req.params['id']}`);
      return { via: 'get' };
    });
    t.add(route('put', '/items/:id'), ({ req }) => ({ via: 'put', id: req.params['id'] }));
    t.add(route('delete', '/items/:id'), () => ({ via: 'delete' }));
    const app = express();
    app.use('/api', t.router);

    expect((await request(app).put('/api/items/7').expect(200)).body).toEqual({ via: 'put', id: '7' });
    expect((await request(app).delete('/api/items/7').expect(200)).body).toEqual({ via: 'delete' });
    expect((await request(app).get('/api/items/8').expect(200)).body).toEqual({ via: 'get' });
    const head = await request(app).head('/api/items/9').expect(200);
    expect(head.headers['content-type']).toMatch(/^application\/json/);
    expect(seen).toEqual(['GET 8', 'GET 9']);
    const options = await request(app).options('/api/items/1').expect(200);
    expect(String(options.headers['allow']).split(/,\s*/).sort()).toEqual(['DELETE', 'GET', 'HEAD', 'PUT']);
    await request(app).post('/api/items/1').expect(404);
  });
});
