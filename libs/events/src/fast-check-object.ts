import type { z } from 'zod';

/** True only when Zod would accept the value and return it unchanged (see compileFastCheck). */
export type FastCheck = (value: unknown) => boolean;

export interface CheckPayload {
  value: unknown;
  issues: unknown[];
}

/** What this module reads from Zod 4 internals; kept loose on purpose. */
export interface ZodCheckLike {
  _zod: {
    def: { when?: (payload: CheckPayload) => boolean };
    check(payload: CheckPayload): unknown;
  };
}
export interface ZodNode {
  _zod: {
    def: Record<string, unknown> & { type: string; checks?: ZodCheckLike[]; coerce?: boolean };
    traits: Set<string>;
    values?: Set<unknown>;
    optin?: string;
  };
}

export const plainObject = (v: unknown): v is Record<string, unknown> => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  // Object.prototype of any realm (a test sandbox or a worker has its own), or none.
  const proto = Object.getPrototypeOf(v) as object | null;
  return proto === null || Object.getPrototypeOf(proto) === null;
};

/** A node's checks in the order Zod runs them: a format schema (z.email(), z.int()…) is itself one, and runs first. */
export function checksOf(node: ZodNode): ZodCheckLike[] {
  const checks: ZodCheckLike[] = [...(node._zod.def.checks ?? [])];
  if (node._zod.traits.has('$ZodCheck')) checks.unshift(node as unknown as ZodCheckLike);
  return checks;
}

/** Number checks as source (`v >= 0`…), or undefined when one of them is not a plain bound. */
function numberChecksSource(checks: readonly ZodCheckLike[], v: string): string | undefined {
  const parts: string[] = [];
  for (const check of checks) {
    const def = check._zod.def as {
      check?: string;
      value?: unknown;
      inclusive?: boolean;
      format?: string;
      when?: unknown;
    };
    if (def.when !== undefined) return undefined;
    if (
      (def.check === 'greater_than' || def.check === 'less_than') &&
      typeof def.value === 'number' &&
      Number.isFinite(def.value)
    ) {
      const op = def.check === 'greater_than' ? (def.inclusive ? '>=' : '>') : def.inclusive ? '<=' : '<';
      parts.push(`${v} ${op} ${String(def.value)}`);
    } else if (def.check === 'number_format' && def.format === 'safeint') parts.push(`Number.isSafeInteger(${v})`);
    else return undefined;
  }
  return parts.join(' && ');
}

/**
 * Source of an expression that checks the value in variable `v`: common leaves are written out,
 * anything else calls its compiled check through `ref` (one callee per call site, so the engine
 * can inline it, where a shared closure calling many different checks cannot).
 */
function expressionOf(
  node: ZodNode,
  v: string,
  ref: (helper: unknown) => string,
  compile: (schema: z.ZodType) => FastCheck,
): string {
  const def = node._zod.def;
  const call = () => `${ref(compile(node as unknown as z.ZodType))}(${v})`;
  if (def.coerce === true) return 'false';
  const checks = checksOf(node);
  switch (def.type) {
    case 'string':
      return checks.length === 0 ? `typeof ${v} === 'string'` : call();
    case 'boolean':
      return checks.length === 0 ? `typeof ${v} === 'boolean'` : call();
    case 'number': {
      const bounds = numberChecksSource(checks, v);
      if (bounds === undefined) return call();
      return `(typeof ${v} === 'number' && Number.isFinite(${v})${bounds ? ` && ${bounds}` : ''})`;
    }
    case 'unknown':
    case 'any':
      return checks.length === 0 ? `${v} !== undefined` : call();
    case 'enum':
    case 'literal': {
      const values = node._zod.values;
      if (checks.length > 0 || values === undefined) return call();
      if (values.size > 0 && values.size <= 8 && [...values].every((x) => typeof x === 'string')) {
        return `(${[...values].map((x) => `${v} === ${JSON.stringify(x)}`).join(' || ')})`;
      }
      return `${ref(values)}.has(${v})`;
    }
    case 'optional': {
      const inner = def.innerType as ZodNode;
      if (checks.length > 0) return call();
      const absentOk = inner._zod.optin !== 'defaulted';
      return `(${v} === undefined ? ${String(absentOk)} : ${expressionOf(inner, v, ref, compile)})`;
    }
    case 'default':
    case 'prefault':
    case 'nonoptional':
      if (checks.length > 0) return call();
      return `(${v} !== undefined && ${expressionOf(def.innerType as ZodNode, v, ref, compile)})`;
    default:
      return call();
  }
}

/** One generated function per object schema; `compile` gives the checks of nested nodes. */
export function compileObject(def: ZodNode['_zod']['def'], compile: (schema: z.ZodType) => FastCheck): FastCheck {
  const shape = def.shape as Record<string, unknown>;
  const keys = Object.keys(shape);
  const known = new Set(keys);
  const catchall = def.catchall as ZodNode | undefined;
  // Strip mode (no catchall) drops unknown keys and strict mode rejects them: only a catchall
  // that accepts anything unchanged (looseObject) keeps them.
  const extra: FastCheck | undefined = catchall === undefined ? undefined : compile(catchall as unknown as z.ZodType);
  const extrasOk = (o: Record<string, unknown>): boolean => {
    if (extra === undefined) return false;
    for (const k in o) if (!known.has(k) && !extra(o[k])) return false;
    return true;
  };
  const helpers: unknown[] = [plainObject, extrasOk];
  const ref = (helper: unknown): string => {
    helpers.push(helper);
    return `h[${helpers.length - 1}]`;
  };
  // One function per object schema, its keys written in as JSON string literals (safe for any
  // key); keys beyond the shape are counted (cheap) and only looked at when there are some.
  const lines = keys.map((key) => {
    const k = JSON.stringify(key);
    return `v = o[${k}]; if (!(${expressionOf(shape[key] as ZodNode, 'v', ref, compile)})) return false; if (v !== undefined || ${k} in o) p += 1;`;
  });
  const source = `'use strict'; return function check(o) { if (!h[0](o)) return false; let p = 0; let v; ${lines.join(' ')} let t = 0; for (const _ in o) t += 1; return t === p || h[1](o); };`;
  return new Function('h', source)(helpers) as FastCheck;
}
