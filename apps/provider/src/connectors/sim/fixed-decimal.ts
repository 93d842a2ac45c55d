/**
 * The engine's decimal: an exact fixed-point value `m × 10^-s` (bigint mantissa, scale ≥ 0).
 *
 * It replaces decimal.js on the engine's hot paths with the same results: addition, subtraction
 * and multiplication are exact (prices, sizes and fee rates are limited by tick and step sizes, so
 * their products stay far inside 40 significant digits); division rounds to 40 significant digits,
 * half away from zero, as the decimal.js configuration it replaces (precision 40, ROUND_HALF_UP)
 * did. decimal.spec.ts checks every operation against decimal.js on seeded random values. It is
 * several times cheaper: decimal.js copies its argument and normalises base-1e7 digit arrays on
 * every operation, which made it most of the cost of an order.
 *
 * Values are immutable. There is no negative zero: every zero is the same value and counts as
 * positive (decimal.js's `isPositive()` is true for +0 too).
 */
export type DecValue = Dec | string | number;

/** Rounding modes, numbered as in decimal.js. */
const UP = 0;
const DOWN = 1;
const CEIL = 2;
const FLOOR = 3;
const HALF_UP = 4;
type Rounding = typeof UP | typeof DOWN | typeof CEIL | typeof FLOOR | typeof HALF_UP;

// The money policy's precision (MONEY_PRECISION in libs/contracts; decimal.spec.ts checks they agree).
const PRECISION = 40;
const PRECISION_LIMIT = 10n ** BigInt(PRECISION);
const POW10: bigint[] = [];
for (let i = 0; i <= 64; i++) POW10.push(10n ** BigInt(i));
const pow10 = (k: number): bigint => POW10[k] ?? 10n ** BigInt(k);
const NUM_POW10: number[] = [];
for (let i = 0; i <= 22; i++) NUM_POW10.push(10 ** i);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const NUMBER_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i;

const abs = (x: bigint): bigint => (x < 0n ? -x : x);
const digits = (x: bigint): number => (x < 0n ? -x : x).toString().length;

/** n / d for d > 0, rounded to an integer with the given mode. */
function divInt(n: bigint, d: bigint, mode: Rounding): bigint {
  const q = n / d;
  const r = n % d;
  if (r === 0n) return q;
  switch (mode) {
    case DOWN:
      return q;
    case UP:
      return n < 0n ? q - 1n : q + 1n;
    case CEIL:
      return n > 0n ? q + 1n : q;
    case FLOOR:
      return n < 0n ? q - 1n : q;
    default:
      return abs(r) * 2n >= d ? (n < 0n ? q - 1n : q + 1n) : q;
  }
}

function parse(text: string): [bigint, number] {
  const match = NUMBER_TEXT.exec(text.trim());
  if (match === null || (match[2] === '' && (match[3] ?? '') === ''))
    throw new Error(`[DecimalError] Invalid argument: ${text}`);
  const sign = match[1] === '-' ? -1n : 1n;
  let fraction = match[3] ?? '';
  const exponent = match[4] === undefined ? 0 : Number(match[4]);
  // Trailing zeros of the fraction carry no value; dropping them keeps mantissas small.
  let end = fraction.length;
  while (end > 0 && fraction.charCodeAt(end - 1) === 48) end--;
  fraction = fraction.slice(0, end);
  const m = BigInt((match[2] ?? '') + fraction || '0');
  const scale = fraction.length - exponent;
  return scale < 0 ? [sign * m * pow10(-scale), 0] : [sign * m, scale];
}

export class Dec {
  static readonly ROUND_UP = UP;
  static readonly ROUND_DOWN = DOWN;
  static readonly ROUND_CEIL = CEIL;
  static readonly ROUND_FLOOR = FLOOR;
  static readonly ROUND_HALF_UP = HALF_UP;

  /** Mantissa: the value is m × 10^-s. */
  readonly m: bigint;
  /** Scale (decimal places held, ≥ 0; trailing zeros allowed). */
  readonly s: number;
  /** The canonical text once computed (values are immutable; views print the same quantities and prices again and again). */
  private t: string | undefined = undefined;

  constructor(value: DecValue | bigint, scale = 0) {
    if (typeof value === 'bigint') {
      this.m = value;
      this.s = scale;
    } else if (typeof value === 'object') {
      this.m = value.m;
      this.s = value.s;
    } else {
      if (typeof value === 'number' && !Number.isFinite(value))
        throw new Error(`[DecimalError] Invalid argument: ${value}`);
      const [m, s] = parse(String(value));
      this.m = m;
      this.s = s;
    }
  }

  plus(y: DecValue): Dec {
    const b = of(y);
    if (this.s === b.s) return fit(this.m + b.m, this.s);
    return this.s > b.s
      ? fit(this.m + b.m * pow10(this.s - b.s), this.s)
      : fit(this.m * pow10(b.s - this.s) + b.m, b.s);
  }

  minus(y: DecValue): Dec {
    const b = of(y);
    if (this.s === b.s) return fit(this.m - b.m, this.s);
    return this.s > b.s
      ? fit(this.m - b.m * pow10(this.s - b.s), this.s)
      : fit(this.m * pow10(b.s - this.s) - b.m, b.s);
  }

  mul(y: DecValue): Dec {
    const b = of(y);
    return fit(this.m * b.m, this.s + b.s);
  }

  /** Quotient rounded to 40 significant digits, half away from zero. Throws on division by zero. */
  div(y: DecValue): Dec {
    const b = of(y);
    if (b.m === 0n) throw new RangeError('[DecimalError] Division by zero');
    if (this.m === 0n) return ZERO;
    // (a.m / 10^a.s) / (b.m / 10^b.s) = (a.m × 10^b.s) / (b.m × 10^a.s); scaled by 10^k so the
    // integer quotient carries at least 41 significant digits, then rounded to 40.
    let num = this.m * pow10(b.s);
    let den = b.m * pow10(this.s);
    if (den < 0n) {
      den = -den;
      num = -num;
    }
    const k = Math.max(0, PRECISION + 2 - (digits(num) - digits(den)));
    const q = (num * pow10(k)) / den;
    const extra = digits(q) - PRECISION;
    if (extra <= 0) {
      // Fewer digits than the precision: exact only if nothing remains; k ≥ 2 guarantees ≥ 41 digits otherwise.
      return new Dec(q, k);
    }
    const rounded = divInt(q, pow10(extra), HALF_UP);
    return extra <= k ? new Dec(rounded, k - extra) : new Dec(rounded * pow10(extra - k), 0);
  }

  /** Remainder with the sign of the dividend (decimal.js's default modulo mode). */
  mod(y: DecValue): Dec {
    const b = of(y);
    if (b.m === 0n) throw new RangeError('[DecimalError] Modulo by zero');
    const s = Math.max(this.s, b.s);
    const am = this.m * pow10(s - this.s);
    const bm = b.m * pow10(s - b.s);
    return new Dec(am % bm, s);
  }

  neg(): Dec {
    return this.m === 0n ? this : new Dec(-this.m, this.s);
  }

  abs(): Dec {
    return this.m < 0n ? new Dec(-this.m, this.s) : this;
  }

  cmp(y: DecValue): -1 | 0 | 1 {
    const b = of(y);
    let am = this.m;
    let bm = b.m;
    if (this.s !== b.s) {
      if (this.s > b.s) bm *= pow10(this.s - b.s);
      else am *= pow10(b.s - this.s);
    }
    return am === bm ? 0 : am > bm ? 1 : -1;
  }

  comparedTo(y: DecValue): -1 | 0 | 1 {
    return this.cmp(y);
  }

  eq(y: DecValue): boolean {
    return this.cmp(y) === 0;
  }

  lt(y: DecValue): boolean {
    return this.cmp(y) < 0;
  }

  lte(y: DecValue): boolean {
    return this.cmp(y) <= 0;
  }

  gt(y: DecValue): boolean {
    return this.cmp(y) > 0;
  }

  gte(y: DecValue): boolean {
    return this.cmp(y) >= 0;
  }

  isZero(): boolean {
    return this.m === 0n;
  }

  /** True for zero too, as decimal.js for +0. */
  isPositive(): boolean {
    return this.m >= 0n;
  }

  isNegative(): boolean {
    return this.m < 0n;
  }

  isInteger(): boolean {
    return this.s === 0 || this.m % pow10(this.s) === 0n;
  }

  /** Decimal places of the value (trailing zeros do not count). */
  decimalPlaces(): number {
    let s = this.s;
    let m = this.m;
    while (s > 0 && m % 10n === 0n) {
      m /= 10n;
      s--;
    }
    return s;
  }

  toDecimalPlaces(places: number, rounding: Rounding = HALF_UP): Dec {
    if (this.s <= places) return this;
    return new Dec(divInt(this.m, pow10(this.s - places), rounding), places);
  }

  floor(): Dec {
    return this.toDecimalPlaces(0, FLOOR);
  }

  ceil(): Dec {
    return this.toDecimalPlaces(0, CEIL);
  }

  round(): Dec {
    return this.toDecimalPlaces(0, HALF_UP);
  }

  /** The multiple of `step` nearest to the value in the direction of `rounding` (decimal.js toNearest). */
  toNearest(step: DecValue, rounding: Rounding = HALF_UP): Dec {
    const b = of(step).abs();
    if (b.m === 0n) return this.m === 0n ? this : new Dec(0n, this.s);
    const s = Math.max(this.s, b.s);
    const am = this.m * pow10(s - this.s);
    const bm = b.m * pow10(s - b.s);
    return new Dec(divInt(am, bm, rounding) * bm, s);
  }

  /** The nearest double (Number of the exact decimal text). */
  toNumber(): number {
    if (this.s <= 22 && this.m <= MAX_SAFE && this.m >= -MAX_SAFE) {
      // Both operands are exact doubles, so IEEE division returns the correctly rounded quotient.
      return Number(this.m) / (NUM_POW10[this.s] as number);
    }
    return Number(this.toFixed());
  }

  /** Plain notation; without `places` the exact value with no trailing zeros, else rounded half-up to `places`. */
  toFixed(places?: number): string {
    if (places !== undefined) {
      const r = this.toDecimalPlaces(places, HALF_UP);
      const text = r.s === places ? r.text(true) : new Dec(r.m * pow10(places - r.s), places).text(true);
      // decimal.js keeps the sign of a negative value that rounds to zero ("-0.00").
      return this.m < 0n && r.m === 0n ? `-${text}` : text;
    }
    return (this.t ??= this.text(false));
  }

  toString(): string {
    return this.toFixed();
  }

  toJSON(): string {
    return this.toFixed();
  }

  valueOf(): string {
    return this.toFixed();
  }

  /** Records `text` as the canonical form; only for text known to be exactly that. */
  cacheText(text: string): void {
    this.t = text;
  }

  private text(keepZeros: boolean): string {
    if (this.m === 0n) return keepZeros && this.s > 0 ? `0.${'0'.repeat(this.s)}` : '0';
    const negative = this.m < 0n;
    let body = (negative ? -this.m : this.m).toString();
    let s = this.s;
    if (!keepZeros) {
      let end = body.length;
      while (s > 0 && body.charCodeAt(end - 1) === 48) {
        end--;
        s--;
      }
      body = body.slice(0, end);
    }
    if (s > 0) {
      if (body.length <= s) body = '0'.repeat(s - body.length + 1) + body;
      body = `${body.slice(0, body.length - s)}.${body.slice(body.length - s)}`;
    }
    return negative && body !== '0' ? `-${body}` : body;
  }
}

function of(y: DecValue): Dec {
  return typeof y === 'object' ? y : new Dec(y);
}

/** A result within the precision: beyond 40 significant digits it is rounded half-up, as decimal.js does. */
function fit(m: bigint, s: number): Dec {
  if (m < PRECISION_LIMIT && m > -PRECISION_LIMIT) return new Dec(m, s);
  const extra = digits(m) - PRECISION;
  if (extra <= s) return new Dec(divInt(m, pow10(extra), HALF_UP), s - extra);
  return new Dec(divInt(m, pow10(extra), HALF_UP) * pow10(extra - s), 0);
}

export const ZERO: Dec = new Dec(0n, 0);
export const ONE: Dec = new Dec(1n, 0);
export const HUNDRED: Dec = new Dec(100n, 0);
