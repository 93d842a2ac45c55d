import { execFileSync } from 'node:child_process';
import type { z } from 'zod';
import { buildOpenApiDocument, defineRoute, defineRoutes } from './openapi';
import type { RouteDefinition } from './openapi';
import { patternWithoutFlags } from './openapi-pattern';
import { API_SCOPE_VALUES } from './scopes';
import type { ApiScope } from './scopes';
import { authRoutes } from './routes/auth-routes';
import { backtestRoutes } from './routes/backtest-routes';
import { optimizationRoutes } from './routes/optimization-routes';
import { platformRoutes } from './routes/platform-routes';
import { providerRoutes } from './routes/provider-routes';
import { configRoutes, proxyRouteDocs, registryRoutes } from './routes/registry-routes';

type Json = Record<string, unknown>;

// Every route the provider serves, as its router registers them.
const routes: RouteDefinition[] = [
  providerRoutes,
  platformRoutes,
  backtestRoutes,
  optimizationRoutes,
  registryRoutes,
  configRoutes,
  authRoutes,
]
  .flatMap((group) => Object.values(group) as RouteDefinition[])
  .concat(proxyRouteDocs);
const doc = buildOpenApiDocument({
  title: 'Barfinex Provider API',
  version: '1',
  servers: [{ url: '/api' }],
  routes,
}) as unknown as Json;

/**
 * Structural validation against the OpenAPI 3.1 JSON schema, by the standard validator. It is an ES
 * module, so it runs in its own Node process rather than through the test's CommonJS loader.
 */
function lint(document: unknown): { valid: boolean; errors?: unknown } {
  const script = `import { Validator } from '@seriousme/openapi-schema-validator';
let text = '';
for await (const chunk of process.stdin) text += chunk;
process.stdout.write(JSON.stringify(await new Validator().validate(JSON.parse(text))));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    input: JSON.stringify(document),
    cwd: __dirname,
    encoding: 'utf8',
  });
  return JSON.parse(out) as { valid: boolean; errors?: unknown };
}

interface Operation {
  method: string;
  path: string;
  op: Json;
}
const operations: Operation[] = Object.entries(doc['paths'] as Json).flatMap(([path, item]) =>
  Object.entries(item as Json).map(([method, op]) => ({ method, path, op: op as Json })),
);

/** Values the routes accept for each patterned parameter: what the document's patterns must accept too. */
const ACCEPTED: Record<string, string[]> = {
  symbol: ['BTCUSDT', 'btcusdt', 'BTC/USDT', 'ETH-PERP', 'BTC:USDT.P', 'AAPL'],
  category: ['order', 'marketdata', 'Signal', 'RISK', 'risk_limit-2', 'a'],
  key: ['ema-cross', 'Det.1', 'a_b', '7'],
  sysname: ['risk-default', 'Inspector.2', '7'],
  appKey: ['det-1', 'advisor.main', 'X_1'],
  fold: ['0', '3', '123456'],
  seq: ['0', '42'],
  correlationId: ['sig-1', '3f2a9c1e-5b7d-4e8a-9c0b-1d2e3f4a5b6c', 'hook:tv:abc', '~!'],
};

describe('the provider OpenAPI document', () => {
  it('validates against the OpenAPI 3.1 schema', () => {
    expect(lint(doc)).toEqual({ valid: true });
    // The validator does find problems: a parameter with no location.
    expect(
      lint({
        ...doc,
        paths: {
          '/x': {
            get: {
              operationId: 'x',
              parameters: [{ name: 'a', schema: {} }],
              responses: { 204: { description: 'none' } },
            },
          },
        },
      }).valid,
    ).toBe(false);
  });

  it('gives every operation a unique operationId named after its route definition', () => {
    const ids = operations.map((o) => o.op['operationId']);
    expect(operations.length).toBe(98);
    expect(ids.every((id) => typeof id === 'string' && /^[A-Za-z][A-Za-z0-9]*$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect((doc['paths'] as Json)['/orders']).toMatchObject({
      post: { operationId: 'placeOrder' },
      get: { operationId: 'listOrders' },
    });
    expect((doc['paths'] as Json)['/eventsink']).toMatchObject({ get: { operationId: 'eventsink' } });
    expect((doc['paths'] as Json)['/detectors/{appKey}/{splat}']).toMatchObject({
      get: { operationId: 'proxyDetectorGet' },
      delete: { operationId: 'proxyDetectorDelete' },
    });
  });

  it('refuses to build with two operations of one name', () => {
    const twice = defineRoutes({
      a: defineRoute({
        method: 'get',
        scope: 'read',
        path: '/a',
        summary: 'a',
        operationId: 'same',
        responses: { 204: null },
      }),
      b: defineRoute({
        method: 'get',
        scope: 'read',
        path: '/b',
        summary: 'b',
        operationId: 'same',
        responses: { 204: null },
      }),
    });
    expect(() => buildOpenApiDocument({ title: 't', version: '1', routes: Object.values(twice) })).toThrow(
      /operationId same/,
    );
  });

  it('has parameter patterns that accept every value the routes accept', () => {
    const byOperation = new Map(routes.map((r) => [`${r.method} ${r.openApiPath}`, r]));
    const checked: string[] = [];
    for (const { method, path, op } of operations) {
      for (const param of (op['parameters'] ?? []) as Json[]) {
        const pattern = (param['schema'] as Json | undefined)?.['pattern'];
        if (typeof pattern !== 'string') continue;
        const name = String(param['name']);
        const samples = ACCEPTED[name];
        // A newly patterned parameter needs its accepted values listed above.
        expect({ param: `${method} ${path} ${name}`, samples }).toEqual({
          param: `${method} ${path} ${name}`,
          samples: expect.any(Array),
        });
        const route = byOperation.get(`${method} ${path}`);
        const container = (param['in'] === 'path' ? route?.request?.params : route?.request?.query) as
          z.ZodObject | undefined;
        const schema = container?.shape[name] as z.ZodType | undefined;
        for (const value of samples ?? []) {
          expect({ param: name, value, route: schema?.safeParse(value).success }).toEqual({
            param: name,
            value,
            route: true,
          });
          expect({ param: name, value, pattern, matches: new RegExp(pattern, 'u').test(value) }).toEqual({
            param: name,
            value,
            pattern,
            matches: true,
          });
        }
        checked.push(name);
      }
    }
    expect(new Set(checked)).toEqual(new Set(Object.keys(ACCEPTED)));
  });

  it('has no pattern that carries regex flags or does not compile as a Unicode pattern', () => {
    const patterns = JSON.stringify(doc).match(/"pattern":"(?:[^"\\]|\\.)*"/g) ?? [];
    expect(patterns.length).toBeGreaterThan(0);
    for (const entry of patterns) {
      const pattern = JSON.parse(`{${entry}}`).pattern as string;
      expect(pattern).not.toMatch(/[^\\]\/[a-z]+$/);
      expect(() => new RegExp(pattern, 'u')).not.toThrow();
    }
  });

  it('documents the proxy as a pass-through whose wildcard spans segments', () => {
    const proxied = operations.filter((o) => /^\/(detectors|advisors|inspectors)\/\{appKey\}\/\{splat\}$/.test(o.path));
    expect(proxied).toHaveLength(15);
    for (const { method, op } of proxied) {
      const responses = op['responses'] as Record<string, Json>;
      expect(responses['default']).toMatchObject({ content: { '*/*': { schema: {} } } });
      expect(responses['200']).toMatchObject({ content: { '*/*': { schema: {} } } });
      for (const status of ['400', '401', '404', '502', '503', '504'])
        expect(responses[status]).toMatchObject({ content: { 'application/json': expect.any(Object) } });
      const splat = ((op['parameters'] ?? []) as Json[]).find((p) => p['name'] === 'splat');
      expect(splat).toMatchObject({
        in: 'path',
        required: true,
        'x-multi-segment': true,
        description: expect.stringContaining('slashes'),
      });
      if (method !== 'get')
        expect(op['requestBody']).toMatchObject({ required: false, content: { '*/*': { schema: {} } } });
    }
  });

  it('declares one scope per operation, as its security requirement and a 403 response', () => {
    for (const { method, path, op } of operations) {
      const scope = op['x-required-scope'];
      expect({ at: `${method} ${path}`, scope: API_SCOPE_VALUES.includes(scope as ApiScope) }).toEqual({
        at: `${method} ${path}`,
        scope: true,
      });
      expect(op['security']).toEqual([{ bearerAuth: [scope] }, { apiToken: [scope] }]);
      expect((op['responses'] as Json)['403']).toMatchObject({ content: { 'application/json': expect.any(Object) } });
    }
    expect((doc['paths'] as Json)['/orders']).toMatchObject({
      post: { 'x-required-scope': 'trade' },
      get: { 'x-required-scope': 'read' },
    });
    expect((doc['paths'] as Json)['/auth/tokens']).toMatchObject({ post: { 'x-required-scope': 'admin' } });
  });

  it('refuses a route without a scope at compile time', () => {
    // @ts-expect-error scope is required: a route added without one does not compile.
    const unscoped = defineRoute({ method: 'get', path: '/unscoped', summary: 'x', responses: { 204: null } });
    expect(unscoped.scope).toBeUndefined();
  });

  it('gives every success response with a body a media type', () => {
    for (const { method, path, op } of operations) {
      for (const [status, response] of Object.entries(op['responses'] as Record<string, Json>)) {
        if (status.startsWith('2') && status !== '204')
          expect({ at: `${method} ${path} ${status}`, content: response['content'] }).toEqual({
            at: `${method} ${path} ${status}`,
            content: expect.any(Object),
          });
      }
    }
  });
});

describe('patternWithoutFlags', () => {
  const emitted = (re: RegExp): string => re.toString().replace(/^\/|\/$/g, '');
  const cases: Array<[RegExp, string[]]> = [
    [/^[a-z][a-z0-9_-]{0,39}$/i, ['order', 'Order', 'MARKET_data', 'a-b', '', '1abc', 'a b', 'a'.repeat(41)]],
    [/^(?<word>abc)\.x$/i, ['ABC.X', 'abc.x', 'abcxx']],
    [/^[^a-c]+$/i, ['xyz', 'XYZ', 'A', 'b']],
    [/^a.b$/s, ['a\nb', 'axb', 'ab']],
    [/^[\w-]+\/[a-f]$/i, ['x/F', 'y_1/a', 'x/g']],
    [/^\p{L}+$/u, ['été', '1']],
    [/^[/]x$/i, ['/X', 'x']],
  ];
  it.each(cases)('%s keeps its meaning without flags', (re, inputs) => {
    const pattern = new RegExp(patternWithoutFlags(emitted(re)), 'u');
    for (const input of inputs)
      expect({ input, matches: pattern.test(input) }).toEqual({ input, matches: re.test(input) });
  });

  it('leaves flag-free patterns alone, escaped slashes included, and refuses flags it cannot express', () => {
    expect(patternWithoutFlags('^[A-Za-z0-9._/:-]+$')).toBe('^[A-Za-z0-9._/:-]+$');
    expect(patternWithoutFlags('^a\\/gi')).toBe('^a\\/gi');
    expect(() => patternWithoutFlags(emitted(/^a$/m))).toThrow(/flag m/);
  });
});
