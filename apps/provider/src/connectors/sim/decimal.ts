// Wire decimals for the engine (parsing request text) and the small helpers the engine uses;
// the decimal type itself is in fixed-decimal.ts.
import { Dec, ZERO } from './fixed-decimal';

export { Dec, HUNDRED, ONE, ZERO } from './fixed-decimal';
export type { DecValue } from './fixed-decimal';

// Plain notation only: an exponent in a money string is almost always a float leaking through.
const PLAIN_DECIMAL = /^\s*([+-]?)(\d*)(?:\.(\d*))?\s*$/;

/**
 * The common wire form in one pass without a regex or a string concatenation: optional '-',
 * digits, optionally '.' and digits, at most 15 significant digits (exact in a double). Returns
 * undefined for anything else, which then takes the general path.
 */
function parseSimple(value: string): Dec | undefined {
  const n = value.length;
  let i = 0;
  const negative = n > 0 && value.charCodeAt(0) === 45;
  if (negative) i = 1;
  const start = i;
  let mantissa = 0;
  let digitCount = 0;
  let scale = -1;
  let lastNonZero = -1;
  for (; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c === 46) {
      if (scale >= 0) return undefined;
      scale = 0;
      continue;
    }
    if (c < 48 || c > 57) return undefined;
    mantissa = mantissa * 10 + (c - 48);
    if (++digitCount > 15) return undefined;
    if (scale >= 0) scale++;
    if (c !== 48) lastNonZero = i;
  }
  // Needs a digit before a '.', and one after it (".5" and "5." take the general path).
  if (digitCount === 0 || value.charCodeAt(start) === 46 || value.charCodeAt(n - 1) === 46) return undefined;
  let s = scale < 0 ? 0 : scale;
  // Trailing fractional zeros carry no value.
  const trailing = scale > 0 ? Math.min(scale, n - 1 - lastNonZero) : 0;
  if (trailing > 0) {
    mantissa /= 10 ** trailing; // exact: the digits dropped are zeros, and 10^15 is an exact double
    s -= trailing;
  }
  const result = new Dec(BigInt(negative ? -mantissa : mantissa), s);
  // Canonical text: no sign on zero, no leading zero before another digit, no trailing zeros.
  const leadingZero = value.charCodeAt(start) === 48 && start + 1 < n && value.charCodeAt(start + 1) !== 46;
  if (trailing === 0 && !leadingZero && !(negative && mantissa === 0)) result.cacheText(value);
  return result;
}

/** A finite decimal from a number or a plain decimal string; undefined for anything else. */
export function parseDecimal(value: unknown): Dec | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? new Dec(String(value)) : undefined;
  if (typeof value !== 'string') return undefined;
  const simple = parseSimple(value);
  if (simple !== undefined) return simple;
  if (value.length > 200) return undefined;
  const match = PLAIN_DECIMAL.exec(value);
  if (match === null) return undefined;
  const whole = match[2] as string;
  const rawFraction = match[3];
  let fraction = rawFraction ?? '';
  if (whole.length + fraction.length === 0 || whole.length + fraction.length > 80) return undefined;
  let end = fraction.length;
  while (end > 0 && fraction.charCodeAt(end - 1) === 48) end--;
  fraction = fraction.slice(0, end);
  const m = BigInt(whole + fraction || '0');
  return new Dec(match[1] === '-' ? -m : m, fraction.length);
}

/** value > 0 (zero is not positive here, unlike isPositive()). */
export function isPositive(value: Dec): boolean {
  return value.m > 0n;
}

export function cmp(a: Dec, b: Dec): -1 | 0 | 1 {
  return a.cmp(b);
}

/** Canonical wire form: no exponent, no trailing zeros. */
export function str(value: Dec): string {
  // Counters start at the shared ZERO (executed, commission, ...); skip the formatter for it.
  return value === ZERO ? '0' : value.toFixed();
}

export function isMultipleOf(value: Dec, step: Dec): boolean {
  return value.mod(step).isZero();
}

/** Decimal places of a power-of-ten step (0.01 → 2, 1 → 0); null for steps such as 0.05. */
export function powerOfTenPlaces(step: Dec): number | null {
  const places = step.decimalPlaces();
  return step.eq(new Dec(1n, places)) ? places : null;
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

/** a + b and a − b that skip the arithmetic when one side is the shared ZERO (fresh counters, released reservations). */
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
  return value.toDecimalPlaces(8, Dec.ROUND_UP);
}

export function money8(value: Dec): Dec {
  return value.toDecimalPlaces(8, Dec.ROUND_HALF_UP);
}
