import { DecimalString, NonNegativeDecimalString, PositiveDecimalString, normalizeDecimal } from '@barfinex/contracts';
import type { z } from 'zod';
import { checksOf, compileObject, plainObject } from './fast-check-object';
import type { CheckPayload, FastCheck, ZodCheckLike, ZodNode } from './fast-check-object';

export type { FastCheck } from './fast-check-object';

const NEVER: FastCheck = () => false;
const DEFINED: FastCheck = (v) => v !== undefined;

// The decimal schemas of the contracts normalise their input (numbers become strings, "1.50"
// becomes "1.5"); they pass unchanged exactly when the input is already the canonical string.
// Matched by their transform node, which clones made by .meta()/.describe()/.optional() share.
const decimalOut = (schema: unknown): unknown => (schema as ZodNode)._zod.def.out;
// Bound once: a call through the module namespace pays a property read every time.
const normalize = normalizeDecimal;
const canonical = (v: unknown): v is string => typeof v === 'string' && normalize(v) === v;
let decimals: Map<unknown, FastCheck> | undefined;
const decimalCheckOf = (out: unknown): FastCheck | undefined =>
  (decimals ??= new Map<unknown, FastCheck>([
    [decimalOut(DecimalString), canonical],
    // Canonical strings have no leading zeros and no "-0", so the sign decides the bound.
    [decimalOut(PositiveDecimalString), (v) => canonical(v) && v.charCodeAt(0) !== 45 /* - */ && v !== '0'],
    [decimalOut(NonNegativeDecimalString), (v) => canonical(v) && v.charCodeAt(0) !== 45],
  ])).get(out);

let sharedBusy = false;
const shared: CheckPayload = { value: undefined, issues: [] };

/** Runs Zod's checks of one node the way its runner does for an input with no issues so far. */
function passesChecks(checks: readonly ZodCheckLike[], value: unknown): boolean {
  // Checks are plain functions, but a custom one may validate something itself: nest safely.
  const nested = sharedBusy;
  const payload: CheckPayload = nested ? { value, issues: [] } : shared;
  sharedBusy = true;
  let ok = true;
  for (let i = 0; i < checks.length; i += 1) {
    const ch = (checks[i] as ZodCheckLike)._zod;
    payload.value = value;
    if (ch.def.when !== undefined && !ch.def.when(payload)) continue;
    let out: unknown;
    try {
      out = ch.check(payload);
    } catch {
      ok = false;
      break;
    }
    // Async refinements, issues, or an overwrite (trim, lower-case…): not the fast path.
    if (out instanceof Promise || payload.issues.length > 0 || payload.value !== value) {
      ok = false;
      break;
    }
  }
  payload.value = undefined;
  // Only a failing check leaves issues; setting an array's length is not free, so only then.
  if (payload.issues.length > 0) payload.issues = [];
  if (!nested) sharedBusy = false;
  return ok;
}

// Check kinds whose verdict depends only on the value: a string that passed them passes again.
const PURE_STRING_CHECKS = new Set(['min_length', 'max_length', 'length_equals', 'string_format']);

/** Zod's number bounds and safe-integer format, inlined; undefined for anything else. */
function inlineNumberCheck(check: ZodCheckLike): ((v: number) => boolean) | undefined {
  const def = check._zod.def as {
    check?: string;
    value?: unknown;
    inclusive?: boolean;
    format?: string;
    when?: unknown;
  };
  if (def.when !== undefined) return undefined;
  const bound = def.value;
  if ((def.check === 'greater_than' || def.check === 'less_than') && typeof bound === 'number') {
    if (def.check === 'greater_than') return def.inclusive ? (v) => v >= bound : (v) => v > bound;
    return def.inclusive ? (v) => v <= bound : (v) => v < bound;
  }
  if (def.check === 'number_format' && def.format === 'safeint') return (v) => Number.isSafeInteger(v);
  return undefined;
}

function withChecks(node: ZodNode, base: FastCheck): FastCheck {
  const checks = checksOf(node);
  if (checks.length === 0) return base;
  const type = node._zod.def.type;
  if (type === 'number') {
    const inline = checks.map(inlineNumberCheck);
    if (inline.every((c) => c !== undefined)) {
      const fns = inline as ((v: number) => boolean)[];
      return (v) => {
        if (!base(v)) return false;
        for (let i = 0; i < fns.length; i += 1) if (!(fns[i] as (v: number) => boolean)(v as number)) return false;
        return true;
      };
    }
  }
  if (
    type === 'string' &&
    checks.every((c) => PURE_STRING_CHECKS.has(String((c._zod.def as { check?: unknown }).check)))
  ) {
    // Routing fields (symbol, detector key, strategy…) repeat event after event.
    let last: unknown;
    return (v) => {
      if (v === last && typeof v === 'string') return true;
      if (!base(v) || !passesChecks(checks, v)) return false;
      last = v;
      return true;
    };
  }
  return (v) => base(v) && passesChecks(checks, v);
}

const cache = new WeakMap<object, FastCheck>();

/**
 * A compiled fast path in front of Zod: `check(value)` is true only when Zod would accept
 * `value` AND return it unchanged (no default to fill, no decimal to normalise, no unknown key to
 * strip, no transform). Then the value itself is the parse result and Zod is skipped. False means
 * "not known": the caller runs the full Zod parse, so invalid payloads get exactly the errors
 * they always got, and inputs that need normalising are normalised as before.
 *
 * Compiled once per schema from Zod's own definitions; checks (lengths, patterns, refinements)
 * are Zod's own check functions, run directly. Schema nodes it does not understand compile to
 * "not known", which only costs speed.
 *
 * Cached per schema.
 */
export function compileFastCheck(schema: z.ZodType): FastCheck {
  const key = schema as object;
  let fn = cache.get(key);
  if (fn === undefined) {
    // A recursive (lazy) schema reaches itself while compiling: until its own check exists,
    // that inner reference answers "not known" (full Zod parse), which is always correct.
    cache.set(key, NEVER);
    fn = compileNode(schema as unknown as ZodNode);
    cache.set(key, fn);
  }
  return fn;
}

const sub = (schema: unknown): FastCheck => compileFastCheck(schema as z.ZodType);

function compileNode(node: ZodNode): FastCheck {
  const def = node._zod.def;
  if (def.coerce === true) return NEVER;
  switch (def.type) {
    case 'string':
      return withChecks(node, (v) => typeof v === 'string');
    case 'number':
      return withChecks(node, (v) => typeof v === 'number' && Number.isFinite(v));
    case 'boolean':
      return withChecks(node, (v) => typeof v === 'boolean');
    case 'unknown':
    case 'any':
      // Zod 4 wants such a key present, and drops it from the output when it holds undefined.
      return withChecks(node, DEFINED);
    case 'enum':
    case 'literal': {
      const values = node._zod.values;
      if (values === undefined) return NEVER;
      return withChecks(node, (v) => values.has(v));
    }
    case 'optional': {
      const inner = def.innerType as ZodNode;
      const check = sub(inner);
      // An optional around a default fills the default in for absence.
      const absentOk = inner._zod.optin !== 'defaulted';
      return withChecks(node, (v) => (v === undefined ? absentOk : check(v)));
    }
    case 'nullable': {
      const check = sub(def.innerType);
      return withChecks(node, (v) => v === null || check(v));
    }
    case 'default':
    case 'prefault':
    case 'nonoptional': {
      // Absent means the default is filled in (or an error): not unchanged.
      const check = sub(def.innerType);
      return withChecks(node, (v) => v !== undefined && check(v));
    }
    case 'readonly':
      // Zod freezes the output: a different value.
      return NEVER;
    case 'array': {
      const element = sub(def.element);
      return withChecks(node, (v) => {
        if (!Array.isArray(v)) return false;
        for (let i = 0; i < v.length; i += 1) if (!element(v[i])) return false;
        return true;
      });
    }
    case 'object':
      return withChecks(node, compileObject(def, compileFastCheck));
    case 'record': {
      if ((def.keyType as ZodNode)._zod.def.type !== 'string') return NEVER;
      const keyCheck = sub(def.keyType);
      const valueCheck = sub(def.valueType);
      return withChecks(node, (v) => {
        if (!plainObject(v)) return false;
        for (const k in v) if (!keyCheck(k) || !valueCheck(v[k])) return false;
        return true;
      });
    }
    case 'pipe': {
      const decimal = decimalCheckOf(def.out);
      if (decimal !== undefined) return withChecks(node, decimal);
      // The input stage returns the value unchanged, so the output stage sees the same value.
      const first = sub(def.in);
      const second = sub(def.out);
      return withChecks(node, (v) => first(v) && second(v));
    }
    case 'union': {
      // Zod returns the first option that succeeds; only options that can never alter a value
      // make "some option keeps it unchanged" the same as "the result is unchanged".
      const options = def.options as ZodNode[];
      if (!options.every(isLeaf)) return NEVER;
      const checks = options.map(sub);
      return withChecks(node, (v) => checks.some((c) => c(v)));
    }
    default:
      return NEVER;
  }
}

function isLeaf(node: ZodNode): boolean {
  const type = node._zod.def.type;
  return (
    (type === 'string' ||
      type === 'number' ||
      type === 'boolean' ||
      type === 'enum' ||
      type === 'literal' ||
      type === 'null') &&
    node._zod.def.coerce !== true
  );
}
