import { z } from 'zod';
import { EVENT_CATALOG, EVENT_NAMES } from './catalog';
import type { EventName } from './catalog';
import { EventEnvelopeSchema, createEnvelope, parseEnvelope, validateEventPayload } from './envelope';
import { EventValidationError } from './errors';
import { EVENT_EXAMPLES } from './examples';
import { compileFastCheck } from './fast-check';

// Seeded, so every run checks the same variants.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ODD_VALUES: unknown[] = [
  undefined,
  null,
  '',
  ' ',
  '0',
  '-0',
  '1.50',
  '1e5',
  '-1',
  '0.001',
  'abc',
  'BTC USDT',
  'x'.repeat(200),
  0,
  -1,
  1.5,
  1e21,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  2 ** 60,
  true,
  {},
  [],
  ['a'],
  [{}],
  { price: '1' },
  'LONG',
  'market',
  'min1',
  'spot',
  'sim',
];

type Json = Record<string, unknown>;

/** Variants of a payload: one field (possibly nested) replaced, removed or added. */
function mutations(payload: unknown, random: () => number, count: number): unknown[] {
  const out: unknown[] = [];
  const paths: (string | number)[][] = [];
  const collect = (value: unknown, path: (string | number)[]) => {
    if (Array.isArray(value)) value.forEach((v, i) => collect(v, [...path, i]));
    else if (typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) {
        paths.push([...path, k]);
        collect(v, [...path, k]);
      }
    }
  };
  collect(payload, []);
  for (let n = 0; n < count; n += 1) {
    const copy = structuredClone(payload) as Json;
    const path = paths[Math.floor(random() * paths.length)];
    if (path === undefined) break;
    let parent: Json = copy;
    for (const key of path.slice(0, -1)) parent = parent[key as string] as Json;
    const last = path[path.length - 1] as string;
    const action = random();
    if (action < 0.15) delete parent[last];
    else if (action < 0.25) parent[`extra${n}`] = 'x';
    else parent[last] = ODD_VALUES[Math.floor(random() * ODD_VALUES.length)];
    out.push(copy);
  }
  return out;
}

function validateOrError(
  name: EventName,
  payload: unknown,
): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: validateEventPayload(name, payload) };
  } catch (error) {
    if (error instanceof EventValidationError) return { ok: false, message: error.message };
    throw error;
  }
}

describe('compiled fast check', () => {
  it('accepts only what Zod accepts unchanged, and validation gives exactly what Zod gives', () => {
    const random = rng(42);
    let fast = 0;
    let fastExamples = 0;
    for (const name of EVENT_NAMES) {
      const schema = EVENT_CATALOG[name].payload as z.ZodType;
      const check = compileFastCheck(schema);
      if (check(EVENT_EXAMPLES[name])) fastExamples += 1;
      for (const payload of [EVENT_EXAMPLES[name], ...mutations(EVENT_EXAMPLES[name], random, 200)]) {
        const zod = schema.safeParse(payload);
        if (check(payload)) {
          fast += 1;
          expect({ name, payload, success: zod.success, issues: zod.error?.issues }).toEqual({
            name,
            payload,
            success: true,
            issues: undefined,
          });
          expect(zod.data).toEqual(payload);
        }
        const ours = validateOrError(name, payload);
        if (zod.success) expect(ours).toEqual({ ok: true, value: zod.data });
        else expect(ours.ok).toBe(false);
      }
    }
    // Most examples are already canonical: the fast path is actually taken.
    expect(fastExamples).toBeGreaterThan(EVENT_NAMES.length / 2);
    expect(fast).toBeGreaterThan(fastExamples);
  });

  it('leaves normalising to Zod: numbers as decimals, unknown keys, defaults', () => {
    const signal = EVENT_EXAMPLES.DETECTOR_SIGNAL_GENERATED;
    const check = compileFastCheck(EVENT_CATALOG.DETECTOR_SIGNAL_GENERATED.payload);
    expect(check(signal)).toBe(true);
    const numeric = { ...signal, entry: { price: 65000.5, type: 'market' } };
    expect(check(numeric)).toBe(false);
    expect(validateEventPayload('DETECTOR_SIGNAL_GENERATED', numeric).entry?.price).toBe('65000.5');
    const padded = { ...signal, entry: { price: '65000.50', type: 'market' } };
    expect(check(padded)).toBe(false);
    expect(validateEventPayload('DETECTOR_SIGNAL_GENERATED', padded).entry?.price).toBe('65000.5');
    const extra = { ...signal, note: 'dropped' };
    expect(check(extra)).toBe(false);
    expect('note' in validateEventPayload('DETECTOR_SIGNAL_GENERATED', extra)).toBe(false);
    const { rulesFired: _omitted, ...noRules } = signal;
    expect(check(noRules)).toBe(false);
    expect(validateEventPayload('DETECTOR_SIGNAL_GENERATED', noRules).rulesFired).toEqual([]);
  });

  it('rejects bad values with the same error as before (the full parse reports them)', () => {
    const signal = EVENT_EXAMPLES.DETECTOR_SIGNAL_GENERATED;
    for (const bad of [
      { ...signal, confidence: 1.5 },
      { ...signal, score: Number.NaN },
      { ...signal, entry: { price: '0', type: 'market' } },
      { ...signal, entry: { price: '-1', type: 'market' } },
      { ...signal, symbol: 'BTC USDT' },
      { ...signal, strategy: '' },
      { ...signal, createdAt: 1.5 },
    ]) {
      const zod = EVENT_CATALOG.DETECTOR_SIGNAL_GENERATED.payload.safeParse(bad);
      expect(zod.success).toBe(false);
      expect(() => validateEventPayload('DETECTOR_SIGNAL_GENERATED', bad)).toThrow(EventValidationError);
    }
  });

  it('runs refinements and caches nothing that depends on more than the value', () => {
    let calls = 0;
    const schema = z
      .object({
        low: z.number(),
        high: z.number(),
        name: z
          .string()
          .min(2)
          .regex(/^[A-Z]+$/),
      })
      .refine((v) => {
        calls += 1;
        return v.high >= v.low;
      });
    const check = compileFastCheck(schema);
    expect(check({ low: 1, high: 2, name: 'AB' })).toBe(true);
    expect(check({ low: 3, high: 2, name: 'AB' })).toBe(false);
    expect(check({ low: 1, high: 2, name: 'ab' })).toBe(false);
    expect(check({ low: 1, high: 2, name: 'A' })).toBe(false);
    expect(check({ low: 1, high: 2, name: 'AB' })).toBe(true);
    expect(calls).toBe(3);
  });

  it('treats transforms, overwrites, coercion and unknown node kinds as "not known"', () => {
    expect(compileFastCheck(z.string().trim())(' a ')).toBe(false);
    expect(compileFastCheck(z.string().trim())('a')).toBe(true);
    expect(compileFastCheck(z.string().transform((s) => s))('a')).toBe(false);
    expect(compileFastCheck(z.coerce.number())(1)).toBe(false);
    expect(compileFastCheck(z.object({ a: z.string() }).readonly())({ a: 'x' })).toBe(false);
    expect(compileFastCheck(z.string().default('x').optional())(undefined)).toBe(false);
    expect(compileFastCheck(z.string().optional())(undefined)).toBe(true);
    expect(compileFastCheck(z.looseObject({ a: z.string() }))({ a: 'x', b: 1 })).toBe(true);
    expect(compileFastCheck(z.strictObject({ a: z.string() }))({ a: 'x', b: 1 })).toBe(false);
    expect(compileFastCheck(z.union([z.string(), z.number()]))(1)).toBe(true);
    // Zod 4 requires an unknown-typed key to be present and drops it when it holds undefined.
    expect(compileFastCheck(z.object({ a: z.unknown() }))({})).toBe(false);
    expect(compileFastCheck(z.object({ a: z.unknown() }))({ a: undefined })).toBe(false);
    expect(compileFastCheck(z.object({ a: z.unknown() }))({ a: null })).toBe(true);
    expect(compileFastCheck(z.union([z.string().transform((s) => s.length), z.number()]))(1)).toBe(false);
  });
});

describe('parseEnvelope with the compiled structure check', () => {
  it('returns what the full parse returns, for well-formed and malformed envelopes alike', () => {
    const random = rng(7);
    const good = {
      ...createEnvelope(
        'DETECTOR_SIGNAL_GENERATED',
        EVENT_EXAMPLES.DETECTOR_SIGNAL_GENERATED,
        { correlationId: 'c' },
        () => 1,
      ),
    };
    for (const raw of [good, ...mutations(good, random, 300)]) {
      let ours: unknown;
      let reference: unknown;
      try {
        ours = parseEnvelope(raw);
      } catch (error) {
        ours = (error as Error).message;
      }
      const structure = EventEnvelopeSchema.safeParse(raw);
      if (!structure.success) reference = 'malformed';
      else {
        try {
          reference = parseEnvelope(structure.data);
        } catch (error) {
          reference = (error as Error).message;
        }
      }
      if (reference === 'malformed') expect(String(ours)).toMatch(/^Malformed event envelope/);
      else expect(ours).toEqual(reference);
    }
  });
});
