import type { ParamRange } from '@barfinex/contracts';
import { badRequest } from '@barfinex/service-kit';

export type ParamValue = number | string | boolean;

/** One searched parameter as the ordered list of values it may take (neighbours are adjacent). */
export interface Dimension {
  name: string;
  values: readonly ParamValue[];
}

export interface SearchSpace {
  dimensions: readonly Dimension[];
  /** Parameters held at one value (the user's `fixed`); the rest of the schema keeps its defaults. */
  fixed: Readonly<Record<string, ParamValue>>;
}

interface PropSchema {
  type?: string;
  enum?: unknown[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
}

export const MAX_VALUES_PER_DIMENSION = 1_000;
/** Bounds Zod writes for an unbounded integer; no search range should come from them. */
const UNBOUNDED = Number.MAX_SAFE_INTEGER;

type Issue = { path: string; message: string };
const fail = (issues: Issue[]) => badRequest(issues.map((i) => `${i.path}: ${i.message}`).join('; '), { issues });

function numericValues(min: number, max: number, step: number, integer: boolean): ParamValue[] {
  const out: number[] = [];
  // Counted in whole steps from min so float steps (0.1) do not drift.
  const count = Math.floor((max - min) / step + 1e-9);
  for (let i = 0; i <= count && out.length <= MAX_VALUES_PER_DIMENSION; i += 1) {
    const v = Number((min + i * step).toPrecision(12));
    out.push(integer ? Math.round(v) : v);
  }
  return [...new Set(out)];
}

/** A default range when the user names no bounds: the schema's own, else around the default. */
function defaultRange(prop: PropSchema, integer: boolean): { min: number; max: number } | undefined {
  const lo = prop.minimum ?? prop.exclusiveMinimum;
  const hi = prop.maximum ?? prop.exclusiveMaximum;
  if (lo !== undefined && hi !== undefined && Math.abs(hi) < UNBOUNDED && hi - lo <= 1_000) return { min: lo, max: hi };
  if (typeof prop.default !== 'number') return undefined;
  const d = prop.default;
  let min = d > 0 ? d / 2 : d - 1;
  let max = d > 0 ? d * 2 : d + 1;
  if (lo !== undefined) min = Math.max(min, prop.exclusiveMinimum !== undefined ? lo + (integer ? 1 : 1e-9) : lo);
  if (hi !== undefined && Math.abs(hi) < UNBOUNDED) max = Math.min(max, hi);
  return integer ? { min: Math.ceil(min), max: Math.floor(max) } : { min, max };
}

function checkBounds(path: string, prop: PropSchema, v: number, issues: Issue[]): void {
  if (prop.minimum !== undefined && v < prop.minimum)
    issues.push({ path, message: `below the parameter's minimum ${prop.minimum}` });
  if (prop.exclusiveMinimum !== undefined && v <= prop.exclusiveMinimum)
    issues.push({ path, message: `must be above ${prop.exclusiveMinimum}` });
  if (prop.maximum !== undefined && v > prop.maximum)
    issues.push({ path, message: `above the parameter's maximum ${prop.maximum}` });
  if (prop.exclusiveMaximum !== undefined && v >= prop.exclusiveMaximum)
    issues.push({ path, message: `must be below ${prop.exclusiveMaximum}` });
}

function dimensionOf(
  name: string,
  prop: PropSchema,
  range: ParamRange | undefined,
  issues: Issue[],
): Dimension | ParamValue | undefined {
  const path = `space.${name}`;
  if (range && 'fixed' in range) return range.fixed;
  if (range && 'values' in range) return { name, values: [...new Set(range.values)] };
  if (prop.type === 'boolean') return { name, values: [false, true] };
  if (Array.isArray(prop.enum))
    return {
      name,
      values: prop.enum.filter(
        (v): v is ParamValue => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean',
      ),
    };
  if (prop.type !== 'integer' && prop.type !== 'number') {
    if (range)
      issues.push({
        path,
        message: `a ${prop.type ?? 'non-numeric'} parameter takes {values} or {fixed}, not a range`,
      });
    return undefined;
  }
  const integer = prop.type === 'integer';
  const bounds = range ?? defaultRange(prop, integer);
  if (!bounds) {
    issues.push({ path, message: 'the schema gives no bounds or default: name {min, max}' });
    return undefined;
  }
  if (bounds.min > bounds.max) issues.push({ path: `${path}.min`, message: 'min is above max' });
  if (range) {
    checkBounds(`${path}.min`, prop, range.min, issues);
    checkBounds(`${path}.max`, prop, range.max, issues);
    if (integer && (!Number.isInteger(range.min) || !Number.isInteger(range.max)))
      issues.push({ path, message: 'an integer parameter needs whole bounds' });
  }
  const step =
    range?.step ??
    (integer ? Math.max(1, Math.round((bounds.max - bounds.min) / 10)) : (bounds.max - bounds.min) / 10 || 1);
  if (integer && !Number.isInteger(step))
    issues.push({ path: `${path}.step`, message: 'an integer parameter needs a whole step' });
  if ((bounds.max - bounds.min) / step + 1 > MAX_VALUES_PER_DIMENSION)
    issues.push({ path: `${path}.step`, message: `more than ${MAX_VALUES_PER_DIMENSION} values: widen the step` });
  if (issues.length > 0) return undefined;
  return { name, values: numericValues(bounds.min, bounds.max, step, integer) };
}

/**
 * The search space from the detector's params JSON Schema (from its Zod schema) and the user's
 * narrowing. Without `space` every parameter is searched over its default range; with it, only
 * the named ones (the rest keep their defaults). Every problem names its field (`space.fast.step`).
 */
export function buildSearchSpace(
  paramsSchema: Record<string, unknown>,
  space: Record<string, ParamRange> | undefined,
): SearchSpace {
  const props = (paramsSchema['properties'] ?? {}) as Record<string, PropSchema>;
  const issues: Issue[] = [];
  for (const name of Object.keys(space ?? {})) {
    if (!Object.hasOwn(props, name))
      issues.push({
        path: `space.${name}`,
        message: `unknown parameter (known: ${Object.keys(props).join(', ') || 'none'})`,
      });
  }
  const dimensions: Dimension[] = [];
  const fixed: Record<string, ParamValue> = {};
  const names = space ? Object.keys(space).filter((n) => Object.hasOwn(props, n)) : Object.keys(props);
  for (const name of names) {
    const d = dimensionOf(name, props[name] as PropSchema, space?.[name], issues);
    if (d === undefined) continue;
    if (typeof d === 'object') {
      if (d.values.length === 1) fixed[name] = d.values[0] as ParamValue;
      else dimensions.push(d);
    } else fixed[name] = d;
  }
  if (issues.length > 0) throw fail(issues);
  if (dimensions.length === 0)
    throw fail([{ path: 'space', message: 'nothing to search: give at least one parameter two or more values' }]);
  return { dimensions, fixed };
}

/** Grid size, or Infinity beyond what a number holds exactly. */
export function gridSize(space: SearchSpace): number {
  return space.dimensions.reduce((n, d) => n * d.values.length, 1);
}

/** A point as indices into each dimension's values. */
export type Point = readonly number[];

export function paramsAt(space: SearchSpace, point: Point): Record<string, ParamValue> {
  const params: Record<string, ParamValue> = { ...space.fixed };
  space.dimensions.forEach((d, i) => {
    params[d.name] = d.values[point[i] as number] as ParamValue;
  });
  return params;
}

export const pointKey = (point: Point): string => point.join(',');

/** The chosen point's neighbours: one step either way along each axis. */
export function neighbours(space: SearchSpace, point: Point): Point[] {
  const out: Point[] = [];
  space.dimensions.forEach((d, i) => {
    for (const delta of [-1, 1]) {
      const v = (point[i] as number) + delta;
      if (v < 0 || v >= d.values.length) continue;
      const next = [...point];
      next[i] = v;
      out.push(next);
    }
  });
  return out;
}
