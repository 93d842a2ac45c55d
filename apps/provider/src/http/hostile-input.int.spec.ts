import { request } from 'node:http';
import fc from 'fast-check';
import { createMemoryBus } from '@barfinex/bus';
import type { Bus } from '@barfinex/bus';
import { ErrorBodySchema, findOpenApiProblems } from '@barfinex/contracts';
import { createDatabase } from '@barfinex/db';
import type { Database } from '@barfinex/db';
import { createTestDatabase, describeWithPostgres } from '@barfinex/testing';
import type { TestDatabase } from '@barfinex/testing';
import { startProvider } from '../testing/harness';
import type { Harness } from '../testing/harness';
import { bodyFields, buildUrl, hostileJson, hostileUrlPart, plausible, toJsonText } from './hostile-input.fixture';
import type { JsonModel, Target, UrlPart } from './hostile-input.fixture';

// The seed and the count are fixed so CI runs the same requests every time; raise FUZZ_RUNS locally to search harder.
const SEED = Number(process.env['FUZZ_SEED'] ?? 20261216);
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 20);

type Json = Record<string, unknown>;
interface Operation {
  method: string;
  path: string;
  params: Array<{ name: string; in: string; required?: boolean; schema?: unknown }>;
  body?: unknown;
  proxied: boolean;
}

/** Values each route accepts, so a hostile value in one place meets the checks of a valid rest. */
const VALID: Record<string, string> = {
  connectorType: 'sim',
  marketType: 'spot',
  symbol: 'BTCUSDT',
  interval: '1m',
  orderId: '1',
  sysname: 'fuzz-det',
  appKey: 'fuzz-app',
  appType: 'detector',
  key: 'fuzz-det',
  id: '1',
  splat: 'signals/latest',
  category: 'order',
  search: 'btc',
};

function operations(doc: Json): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc['paths'] as Json)) {
    for (const [method, op] of Object.entries(item as Json)) {
      const o = op as Json;
      const body = (o['requestBody'] as Json | undefined)?.['content'] as Json | undefined;
      out.push({
        method: method.toUpperCase(),
        path,
        params: (o['parameters'] ?? []) as Operation['params'],
        body: (body?.['application/json'] as Json | undefined)?.['schema'],
        proxied: /^\/(detectors|advisors|inspectors)\/\{appKey\}\/\{splat\}$/.test(path),
      });
    }
  }
  return out;
}

interface Call {
  params: Record<string, UrlPart>;
  query: Record<string, UrlPart | UrlPart[]>;
  body: JsonModel | undefined;
  contentType: string;
}

const sample = (name: string): string | undefined => VALID[name];

/** A request the operation accepts, as far as the document tells: every later mutation starts here. */
function validCall(doc: Json, op: Operation): Call {
  const value = (p: Operation['params'][number]) => VALID[p.name] ?? String(plausible(doc, p.schema, sample, p.name));
  return {
    params: Object.fromEntries(op.params.filter((p) => p.in === 'path').map((p) => [p.name, value(p)])),
    query: Object.fromEntries(op.params.filter((p) => p.in === 'query' && p.required).map((p) => [p.name, value(p)])),
    body: op.body === undefined ? undefined : plausible(doc, op.body, sample),
    contentType: 'application/json',
  };
}

function mutationArbitrary(target: Target): fc.Arbitrary<[Target, JsonModel | UrlPart | UrlPart[]]> {
  const value: fc.Arbitrary<JsonModel | UrlPart | UrlPart[]> =
    target.in === 'path'
      ? hostileUrlPart
      : target.in === 'query'
        ? fc.oneof(hostileUrlPart, fc.array(hostileUrlPart, { minLength: 2, maxLength: 2 }))
        : hostileJson;
  return value.map((v) => [target, v]);
}

function applyMutation(call: Call, [target, value]: [Target, JsonModel | UrlPart | UrlPart[]]): Call {
  if (target.in === 'path') return { ...call, params: { ...call.params, [target.name]: value as UrlPart } };
  if (target.in === 'query') return { ...call, query: { ...call.query, [target.name]: value as UrlPart | UrlPart[] } };
  if (target.in === 'wholeBody') return { ...call, body: value as JsonModel };
  const base = typeof call.body === 'object' && call.body !== null && !Array.isArray(call.body) ? call.body : {};
  return { ...call, body: { ...base, [target.name]: value as JsonModel } };
}

/** A valid request with one or two hostile values put in it, so each reaches as far as it can. */
function callArbitrary(doc: Json, op: Operation): fc.Arbitrary<Call> {
  const targets: Target[] = [
    ...op.params
      .filter((p) => p.in === 'path' || p.in === 'query')
      .map((p): Target => ({ in: p.in as 'path' | 'query', name: p.name })),
    ...(op.body === undefined ? [] : bodyFields(doc, op.body).map((name): Target => ({ in: 'body', name }))),
    // Input an operation does not declare must be as harmless as what it does.
    { in: 'query', name: 'unexpected' },
    { in: 'wholeBody' },
  ];
  const base = validCall(doc, op);
  const mutations = fc.array(fc.constantFrom(...targets).chain(mutationArbitrary), { minLength: 1, maxLength: 2 });
  const contentType = fc.constantFrom(
    'application/json',
    'application/json',
    'application/json',
    'text/plain',
    'application/vnd.api+json',
  );
  return fc
    .tuple(mutations, contentType)
    .map(([ms, type]) => ({ ...ms.reduce(applyMutation, base), contentType: type }));
}

interface Outcome {
  status: number;
  body: unknown;
}

let sent = 0;

async function send(baseUrl: string, auth: Json, op: Operation, call: Call): Promise<Outcome> {
  sent += 1;
  const url = `${baseUrl}/api${buildUrl(op.path, call.params, call.query)}`;
  const hasBody = call.body !== undefined && op.method !== 'GET';
  const res = await fetch(url, {
    method: op.method,
    headers: { ...(auth as Record<string, string>), ...(hasBody ? { 'content-type': call.contentType } : {}) },
    // A fresh key each time, so a config created by one request does not turn the rest into 409s before storage.
    ...(hasBody ? { body: toJsonText(call.body as JsonModel).replaceAll('"fuzz-det"', `"fuzz-det-${sent}"`) } : {}),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    // kept as text: the assertion below reports it
  }
  return { status: res.status, body };
}

/** What the property demands of every answer; a description of the breach, or undefined. */
function breach(op: Operation, outcome: Outcome): string | undefined {
  const allowed5xx = op.proxied ? [502, 503, 504] : [];
  if (outcome.status >= 500 && !allowed5xx.includes(outcome.status)) return `answered ${outcome.status}`;
  if (outcome.status >= 400 && !ErrorBodySchema.safeParse(outcome.body).success)
    return `answered ${outcome.status} without the error body`;
  return undefined;
}

/** Node sends a path's U+0080-U+00FF as single raw bytes: what a client that does not percent-encode sends. */
function getRawPath(baseUrl: string, path: string): Promise<Outcome & { type: string | undefined }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(baseUrl);
    // A path given as an option goes out as written; a URL string would be percent-encoded first.
    const req = request({ hostname, port, path }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown, type: res.headers['content-type'] }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describeWithPostgres('hostile input against every operation of the OpenAPI document', () => {
  let pg: TestDatabase;
  let db: Database;
  let bus: Bus;
  let h: Harness;
  let doc: Json;

  beforeAll(async () => {
    pg = await createTestDatabase('provider_fuzz');
    db = await createDatabase({ url: pg.url });
    bus = createMemoryBus();
    h = await startProvider({ db, bus });
    doc = (await (await fetch(`${h.baseUrl}/docs-json`)).json()) as Json;
  });

  afterAll(async () => {
    await h?.stop();
    await bus?.close();
    await db?.close();
    await pg?.drop();
  });

  it('serves a structurally sound document in which every operation has its own operationId', () => {
    expect(findOpenApiProblems(doc)).toEqual([]);
    const ids = Object.values(doc['paths'] as Json).flatMap((item) =>
      Object.values(item as Json).map((op) => (op as Json)['operationId']),
    );
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it(
    'answers no 5xx, and every 4xx with the error body, whatever arrives in path, query and body',
    async () => {
      const ops = operations(doc);
      expect(ops.length).toBeGreaterThanOrEqual(78);
      const failures: string[] = [];
      for (const [i, op] of ops.entries()) {
        const property = fc.asyncProperty(callArbitrary(doc, op), async (call) => {
          const problem = breach(op, await send(h.baseUrl, h.auth, op, call));
          if (problem) throw new Error(problem);
        });
        const details = await fc.check(property, { seed: SEED + i, numRuns: RUNS, endOnFailure: false });
        if (details.failed) {
          const [call] = details.counterexample ?? [];
          failures.push(
            `${op.method} ${op.path}: ${String((details.errorInstance as Error | undefined)?.message)} for ${JSON.stringify(call, (_k, v: unknown) => (typeof v === 'string' && v.length > 200 ? `${v.slice(0, 20)}…(${v.length})` : v))}`,
          );
        }
      }
      expect(failures).toEqual([]);
    },
    Math.max(120_000, RUNS * 10_000),
  );

  it('answers raw bytes >= 0x80 in the path with the error body', async () => {
    const res = await getRawPath(h.baseUrl, '/api/orders/\u00ff\u00e9');
    expect(res.status).toBe(400);
    expect(res.type).toMatch(/^application\/json/);
    expect(ErrorBodySchema.safeParse(res.body).success).toBe(true);
  });
});
