import { z } from 'zod';
import { PaginationQuerySchema, paginated } from './http';
import { CandleSchema } from './market-data';
import { buildOpenApiDocument, defineRoute, toOpenApiPath } from './openapi';
import { findOpenApiProblems } from './openapi-check';
import { OrderCreateRequestSchema, OrderSchema } from './order';

const routes = [
  defineRoute({
    method: 'post',
    scope: 'trade',
    path: '/orders',
    summary: 'Place an order',
    tags: ['orders'],
    request: { body: OrderCreateRequestSchema },
    responses: { 201: OrderSchema, 409: { description: 'Duplicate idempotency key with a different body' } },
  }),
  defineRoute({
    method: 'get',
    scope: 'read',
    path: '/orders/:orderId',
    summary: 'Read one order',
    tags: ['orders'],
    request: { params: z.object({ orderId: z.string() }) },
    responses: { 200: OrderSchema },
  }),
  defineRoute({
    method: 'get',
    scope: 'read',
    path: '/candles/:connectorType/:marketType/:symbol/:interval',
    summary: 'Candles for a series',
    request: { query: PaginationQuerySchema },
    responses: { 200: paginated(CandleSchema) },
  }),
  defineRoute({
    method: 'get',
    scope: 'read',
    path: '/health',
    summary: 'Liveness',
    auth: false,
    responses: { 200: z.object({ ok: z.boolean() }) },
  }),
  defineRoute({
    method: 'delete',
    scope: 'trade',
    path: '/advisors/:appKey/*splat',
    summary: 'Proxy',
    responses: { 204: null },
  }),
];

describe('toOpenApiPath', () => {
  it('converts Express params and wildcards', () => {
    expect(toOpenApiPath('/orders/:orderId')).toBe('/orders/{orderId}');
    expect(toOpenApiPath('/a/:x/b/:y_2')).toBe('/a/{x}/b/{y_2}');
    expect(toOpenApiPath('/advisors/:appKey/*splat')).toBe('/advisors/{appKey}/{splat}');
    expect(toOpenApiPath('/plain')).toBe('/plain');
  });
});

describe('buildOpenApiDocument', () => {
  const doc = buildOpenApiDocument({
    title: 'Barfinex Provider',
    version: '1.0.0',
    servers: [{ url: '/api' }],
    routes,
  });

  it('produces a structurally valid 3.1 document', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(findOpenApiProblems(doc)).toEqual([]);
  });

  it('contains the routes with converted paths and named schemas', () => {
    expect(Object.keys(doc.paths ?? {}).sort()).toEqual([
      '/advisors/{appKey}/{splat}',
      '/candles/{connectorType}/{marketType}/{symbol}/{interval}',
      '/health',
      '/orders',
      '/orders/{orderId}',
    ]);
    const schemas = Object.keys(doc.components?.schemas ?? {});
    for (const name of ['Order', 'OrderCreate', 'WrappedOrderCreate', 'Candle', 'ErrorBody', 'OrderSource']) {
      expect(schemas).toContain(name);
    }
  });

  it('declares both security schemes and applies them unless a route opts out', () => {
    expect(doc.components?.securitySchemes).toMatchObject({
      bearerAuth: { type: 'http', scheme: 'bearer' },
      apiToken: { type: 'apiKey', in: 'header', name: 'x-api-token' },
    });
    expect(doc.paths?.['/orders']?.post?.security).toEqual([{ bearerAuth: ['trade'] }, { apiToken: ['trade'] }]);
    expect(doc.paths?.['/health']?.get?.security).toEqual([]);
    expect(doc.paths?.['/health']?.get?.responses?.['401']).toBeUndefined();
  });

  it('documents the error body on 4xx and both order body shapes', () => {
    const post = doc.paths?.['/orders']?.post;
    const errorRef = { $ref: '#/components/schemas/ErrorBody' };
    expect(post?.responses?.['400']).toMatchObject({ content: { 'application/json': { schema: errorRef } } });
    expect(post?.responses?.['401']).toMatchObject({ content: { 'application/json': { schema: errorRef } } });
    expect(post?.responses?.['409']).toMatchObject({ content: { 'application/json': { schema: errorRef } } });
    expect(doc.paths?.['/orders/{orderId}']?.get?.responses?.['404']).toBeDefined();
    const body = JSON.stringify(post?.requestBody);
    expect(body).toContain('#/components/schemas/OrderCreate');
    expect(body).toContain('#/components/schemas/WrappedOrderCreate');
    expect(doc.paths?.['/advisors/{appKey}/{splat}']?.delete?.responses?.['204']).toEqual({
      description: 'No content',
    });
  });

  it('declares path parameters the route did not spell out', () => {
    const params = doc.paths?.['/candles/{connectorType}/{marketType}/{symbol}/{interval}']?.get?.parameters ?? [];
    const names = params.map((p) => ('name' in p ? `${p.in}:${p.name}` : ''));
    expect(names).toEqual(
      expect.arrayContaining([
        'path:connectorType',
        'path:marketType',
        'path:symbol',
        'path:interval',
        'query:page',
        'query:limit',
      ]),
    );
  });

  it('rejects a route defined twice', () => {
    const [first] = routes;
    if (!first) throw new Error('no routes');
    expect(() => buildOpenApiDocument({ title: 't', version: '1', routes: [first, first] })).toThrow(/defined twice/);
  });
});

describe('findOpenApiProblems', () => {
  it('reports broken documents', () => {
    const problems = findOpenApiProblems({
      openapi: '3.0.0',
      info: { title: 't' },
      paths: {
        '/a/{id}': { get: { responses: { 200: {} }, security: [{ nope: [] }] } },
        '/b/:id': { get: { responses: {} } },
        '/c': {
          get: {
            responses: {
              200: {
                description: 'x',
                content: { 'application/json': { schema: { $ref: '#/components/schemas/Missing' } } },
              },
            },
          },
        },
      },
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'openapi must be 3.1.x, got 3.0.0',
        'info.title and info.version are required',
        'GET /a/{id} 200: response needs a description',
        'GET /a/{id}: path parameter {id} not declared',
        'GET /a/{id}: unknown security scheme nope',
        'path /b/:id still has Express syntax',
        'GET /b/:id: no responses',
        'unresolved $ref #/components/schemas/Missing',
      ]),
    );
  });
});
