import fc from 'fast-check';

/**
 * Hostile request parts for the property-based test over the provider's OpenAPI document. JSON is
 * modelled rather than built with JSON.stringify, so a body can carry what a hostile client
 * sends and a serializer never would: numbers beyond a double, nesting thousands deep.
 */
export type JsonModel = string | number | boolean | null | { raw: string } | JsonModel[] | { [key: string]: JsonModel };
type Schema = Record<string, unknown>;

export const isRaw = (v: unknown): v is { raw: string } =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 1 && 'raw' in v;

export function toJsonText(value: JsonModel): string {
  if (isRaw(value)) return value.raw;
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`;
  if (typeof value === 'object' && value !== null)
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${toJsonText(v)}`)
      .join(',')}}`;
  // JSON.stringify escapes NUL and unpaired surrogates (`"\ud800"`), as a hostile client would send them.
  return JSON.stringify(value);
}

const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

/** The classes PostgreSQL cannot store: NUL and unpaired surrogates, alone and inside valid text. */
const POISON = ['\u0000', 'BTC\u0000USDT', '\ud800', 'a\udfffb', '\udc00\ud800'];

/** Texts for path segments, query values and JSON strings. */
export const HOSTILE_TEXT = [
  ...POISON,
  '',
  ' ',
  '../..',
  '%',
  '%00',
  'Infinity',
  'NaN',
  '-1',
  '1e400',
  '9007199254740993',
  '1'.repeat(40),
  '0x1F',
  '🚀',
  '\u202e',
  'null',
  '__proto__',
  'constructor',
  "' OR 1=1 --",
  'é',
];

// Already percent-encoded path segments: encoded NUL, invalid UTF-8, overlong dots, an encoded lone surrogate.
const RAW_SEGMENTS = ['%00', 'a%00b', '%ff', '%C0%AE%C0%AE', '%2e%2e', '%ED%A0%80', '%E0%80%80', 'x'.repeat(20_000)];

/** Numbers no schema here takes: beyond a double, beyond 2^53, beyond every column's precision. */
const HUGE_NUMBERS = [
  '1e400',
  '-1e400',
  '1e308',
  '-1e308',
  '9007199254740993',
  '123456789012345678901234567890',
  '1e-400',
  '-0',
];

/** A path segment or query value: text to encode, or bytes already encoded. */
export type UrlPart = string | { raw: string };

export const hostileUrlPart: fc.Arbitrary<UrlPart> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...POISON) },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_TEXT) },
  { weight: 2, arbitrary: fc.constantFrom(...RAW_SEGMENTS).map((raw): UrlPart => ({ raw })) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
);

function encodePart(part: UrlPart): string {
  if (typeof part !== 'string') return part.raw;
  // encodeURIComponent throws on unpaired surrogates: send their WTF-8 bytes, as a sloppy client would.
  return part
    .split(/([\uD800-\uDFFF])/u)
    .map((piece) => {
      if (!/^[\uD800-\uDFFF]$/u.test(piece)) return encodeURIComponent(piece);
      const u = piece.charCodeAt(0);
      return [0xe0 | (u >> 12), 0x80 | ((u >> 6) & 0x3f), 0x80 | (u & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    })
    .join('');
}

export function buildUrl(
  path: string,
  params: Record<string, UrlPart>,
  query: Record<string, UrlPart | UrlPart[]>,
): string {
  // A wildcard's value may span segments: its slashes stay slashes.
  const filled = path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    const part = params[name] ?? '';
    return name === 'splat' && typeof part === 'string' ? part.split('/').map(encodePart).join('/') : encodePart(part);
  });
  const pairs = Object.entries(query).flatMap(([name, value]) =>
    (Array.isArray(value) ? value : [value]).map((v) => `${encodeURIComponent(name)}=${encodePart(v)}`),
  );
  return pairs.length > 0 ? `${filled}?${pairs.join('&')}` : filled;
}

const hostileLeaf: fc.Arbitrary<JsonModel> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom<JsonModel>(...POISON) },
  { weight: 2, arbitrary: fc.constantFrom<JsonModel>(...HOSTILE_TEXT) },
  { weight: 2, arbitrary: fc.constantFrom(...HUGE_NUMBERS).map((raw): JsonModel => ({ raw })) },
  { weight: 1, arbitrary: fc.constantFrom<JsonModel>(null, true, false, 0, -1, 0.5, [], {}) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  // Bounded on purpose: a value a schema accepts must not turn this test into a load test.
  { weight: 1, arbitrary: fc.integer({ min: -1000, max: 1000 }) },
);

/** Deep nesting, huge arrays and strings, many keys: each far past what any route takes. */
const absurd: fc.Arbitrary<JsonModel> = fc.constantFrom<JsonModel>(
  { raw: nested(5000) },
  { raw: nested(70) },
  { raw: `[${'1,'.repeat(60_000)}1]` },
  { raw: JSON.stringify('A'.repeat(300_000)) },
  { raw: JSON.stringify('B'.repeat(100_000)) },
  { raw: `{${Array.from({ length: 5000 }, (_, i) => `"k${i}":${i}`).join(',')}}` },
);

export const hostileJson: fc.Arbitrary<JsonModel> = fc.oneof(
  { weight: 4, arbitrary: hostileLeaf },
  { weight: 1, arbitrary: absurd },
  { weight: 1, arbitrary: hostileLeaf.map((v) => [v]) },
  { weight: 1, arbitrary: hostileLeaf.map((v) => ({ [String.fromCharCode(0)]: v })) },
);

export function resolveRef(doc: Schema, schema: unknown): Schema {
  let s = (schema ?? {}) as Schema;
  for (let i = 0; i < 10 && typeof s['$ref'] === 'string'; i += 1) {
    const name = (s['$ref'] as string).split('/').pop() ?? '';
    s = ((doc['components'] as Schema)['schemas'] as Schema)[name] as Schema;
  }
  return s;
}

/** A value the schema likely accepts, so a hostile value in one field meets the others' checks. */
export function plausible(
  doc: Schema,
  schema: unknown,
  sample: (name: string) => string | undefined,
  name = '',
  depth = 0,
): JsonModel {
  const s = resolveRef(doc, schema);
  for (const key of ['example', 'const', 'default'] as const) if (s[key] !== undefined) return s[key] as JsonModel;
  if (Array.isArray(s['enum'])) return s['enum'][0] as JsonModel;
  const union = (s['anyOf'] ?? s['oneOf'] ?? s['allOf']) as unknown[] | undefined;
  if (union?.[0] !== undefined) return plausible(doc, union[0], sample, name, depth);
  const type = Array.isArray(s['type']) ? (s['type'] as string[]).find((t) => t !== 'null') : s['type'];
  switch (type) {
    case 'string':
      return sample(name) ?? 'x';
    case 'number':
    case 'integer':
      return typeof s['minimum'] === 'number' ? s['minimum'] : 1;
    case 'boolean':
      return true;
    case 'array':
      return [];
    case 'object': {
      if (depth > 3) return {};
      const props = (s['properties'] ?? {}) as Schema;
      const required = new Set((s['required'] ?? []) as string[]);
      return Object.fromEntries(
        Object.entries(props)
          .filter(([k]) => required.has(k))
          .map(([k, v]) => [k, plausible(doc, v, sample, k, depth + 1)]),
      );
    }
    default:
      return null;
  }
}

/** Where one hostile value goes: a path param, a query param, a body field, or the whole body. */
export type Target = { in: 'path' | 'query' | 'body'; name: string } | { in: 'wholeBody' };

/** Field names of a body schema, plus one no schema declares (loose objects keep unknown fields). */
export function bodyFields(doc: Schema, schema: unknown): string[] {
  return [...Object.keys((resolveRef(doc, schema)['properties'] ?? {}) as Schema), 'x-extra'];
}
