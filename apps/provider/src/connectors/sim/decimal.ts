import Decimal from 'decimal.js';

/**
 * The engine's own Decimal constructor. 40 significant digits keep every product of a price, a
 * size and a fee rate exact (inputs are limited by tick and step sizes), so only genuine
 * divisions (average prices, margins) ever round.
 */
export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Dec = Decimal;

export const ZERO: Dec = new Dec(0);
export const ONE: Dec = new Dec(1);
export const HUNDRED: Dec = new Dec(100);

// Plain notation only: an exponent in a money string is almost always a float leaking through.
const PLAIN_DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

// Recently parsed strings (order quantities and prices repeat): Decimals are immutable, so one
// instance can serve every order that sent the same text. Bounded; cleared when full.
const parsed = new Map<string, Dec>();
const PARSED_LIMIT = 4096;

/** A finite decimal from a number or a plain decimal string; undefined for anything else. */
export function parseDecimal(value: unknown): Dec | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? new Dec(String(value)) : undefined;
  if (typeof value !== 'string') return undefined;
  const known = parsed.get(value);
  if (known !== undefined) return known;
  const text = value.trim();
  if (text.length === 0 || text.length > 80 || !PLAIN_DECIMAL.test(text)) return undefined;
  const result = new Dec(text);
  if (parsed.size >= PARSED_LIMIT) parsed.clear();
  parsed.set(value, result);
  return result;
}

/**
 * value > 0 without allocating: decimal.js comparisons copy their argument into a new Decimal,
 * which on the order path (several checks per order) is a measurable share of the work.
 */
export function isPositive(value: Dec): boolean {
  return !value.isZero() && value.isPositive();
}

// decimal.js's own representation: sign, exponent and base-1e7 digit words (the engine only
// holds finite values, all made by parseDecimal or arithmetic on them).
interface DecParts {
  s: number;
  e: number;
  d: number[];
}

/**
 * a.cmp(b) without the copy of `b` that decimal.js makes on every comparison; the same
 * algorithm as decimal.js's comparedTo for finite values (checked against it in decimal.spec).
 */
export function cmp(a: Dec, b: Dec): -1 | 0 | 1 {
  const x = a as unknown as DecParts;
  const y = b as unknown as DecParts;
  const xd = x.d;
  const yd = y.d;
  if (!xd[0] || !yd[0]) return xd[0] ? sign(x.s) : yd[0] ? sign(-y.s) : 0;
  if (x.s !== y.s) return sign(x.s);
  const flip = x.s < 0;
  if (x.e !== y.e) return x.e > y.e !== flip ? 1 : -1;
  const n = Math.min(xd.length, yd.length);
  for (let i = 0; i < n; i++) {
    const xi = xd[i] as number;
    const yi = yd[i] as number;
    if (xi !== yi) return xi > yi !== flip ? 1 : -1;
  }
  return xd.length === yd.length ? 0 : xd.length > yd.length !== flip ? 1 : -1;
}

function sign(s: number): -1 | 1 {
  return s < 0 ? -1 : 1;
}

/** Canonical wire form: no exponent, no trailing zeros. */
export function str(value: Dec): string {
  // Counters start at the shared ZERO (executed, commission, ...); skip decimal.js's formatter for it.
  return value === ZERO ? '0' : value.toFixed();
}

export function isMultipleOf(value: Dec, step: Dec): boolean {
  return value.mod(step).isZero();
}

/** Decimal places of a power-of-ten step (0.01 → 2, 1 → 0); null for steps such as 0.05. */
export function powerOfTenPlaces(step: Dec): number | null {
  const places = step.decimalPlaces();
  return step.eq(new Dec(10).pow(-places)) ? places : null;
}

/** isMultipleOf with the cheap test for power-of-ten steps (the common case: a count of decimals). */
export function onGrid(value: Dec, step: Dec, places: number | null): boolean {
  return places === null ? value.mod(step).isZero() : value.decimalPlaces() <= places;
}

export function floorToStep(value: Dec, step: Dec): Dec {
  return value.div(step).floor().mul(step);
}

export function roundToStep(value: Dec, step: Dec): Dec {
  return value.div(step).round().mul(step);
}

/**
 * a + b and a − b that skip decimal.js when one side is the shared ZERO (fresh counters and
 * released reservations, the common case on the order path); decimal.js copies its argument and
 * allocates a result on every operation.
 */
export function addDec(a: Dec, b: Dec): Dec {
  return a === ZERO ? b : b === ZERO ? a : a.plus(b);
}

export function subDec(a: Dec, b: Dec): Dec {
  return b === ZERO ? a : a.minus(b);
}

export function minDec(a: Dec, b: Dec): Dec {
  return cmp(a, b) <= 0 ? a : b;
}

export function maxDec(a: Dec, b: Dec): Dec {
  return cmp(a, b) >= 0 ? a : b;
}

/** Margin-style amounts: 8 decimal places, rounded up so the engine never under-reserves. */
export function money8Up(value: Dec): Dec {
  return value.toDecimalPlaces(8, Decimal.ROUND_UP);
}

export function money8(value: Dec): Dec {
  return value.toDecimalPlaces(8, Decimal.ROUND_HALF_UP);
}
