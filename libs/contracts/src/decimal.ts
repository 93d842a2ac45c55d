import { z } from 'zod';
import { Money } from './money';

// Plain decimal notation only: exponent forms ("1e5") are rejected in strings because they are
// almost always a float leaking through a stringifier, and NaN/Infinity are never money.
const DECIMAL_PATTERN = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
const MAX_DECIMAL_LENGTH = 80;
// Already canonical: no sign on zero, no leading zeros, no trailing fractional zeros. Most wire
// values look like this, and skipping decimal.js for them keeps event validation cheap.
const CANONICAL_PATTERN = /^-?(?:0|[1-9]\d*)(?:\.\d*[1-9])?$/;

/**
 * Canonical decimal string for a number or decimal string: no exponent, no leading or trailing
 * zeros, no sign on zero. Undefined when the input is not a finite plain decimal.
 */
export function normalizeDecimal(value: unknown): string | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    const text = String(value);
    // String() switches to exponent notation below 1e-6 and above 1e21.
    return text.includes('e') ? new Money(value).toFixed() : text;
  }
  if (typeof value !== 'string') return undefined;
  if (value.length <= MAX_DECIMAL_LENGTH && CANONICAL_PATTERN.test(value) && value !== '-0') return value;
  const text = value.trim();
  if (text.length === 0 || text.length > MAX_DECIMAL_LENGTH || !DECIMAL_PATTERN.test(text)) return undefined;
  return new Money(text).toFixed();
}

function compareMagnitude(a: string, b: string): -1 | 0 | 1 {
  const ad = a.indexOf('.');
  const bd = b.indexOf('.');
  const al = ad < 0 ? a.length : ad;
  const bl = bd < 0 ? b.length : bd;
  // Canonical: no leading zeros, so the longer integer part is the larger number.
  if (al !== bl) return al < bl ? -1 : 1;
  for (let i = 0; i < al; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return x < y ? -1 : 1;
  }
  const af = ad < 0 ? 0 : a.length - ad - 1;
  const bf = bd < 0 ? 0 : b.length - bd - 1;
  for (let i = 0; i < Math.max(af, bf); i++) {
    const x = i < af ? a.charCodeAt(ad + 1 + i) : 48;
    const y = i < bf ? b.charCodeAt(bd + 1 + i) : 48;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * Compares two canonical decimal strings (outputs of `normalizeDecimal` or the decimal schemas)
 * by value, without parsing them: digit by digit.
 */
export function compareDecimalStrings(a: string, b: string): -1 | 0 | 1 {
  const an = a.charCodeAt(0) === 45;
  const bn = b.charCodeAt(0) === 45;
  if (an !== bn) return an ? -1 : 1;
  if (!an) return compareMagnitude(a, b);
  const m = compareMagnitude(a.slice(1), b.slice(1));
  return m === 0 ? 0 : m < 0 ? 1 : -1;
}

type Bound = 'any' | 'positive' | 'nonNegative';

function describe(input: unknown): string {
  if (typeof input === 'string') return JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}…` : input);
  if (typeof input === 'number') return String(input);
  return typeof input;
}

function decimalSchema(bound: Bound, description: string) {
  return z
    .union([z.number(), z.string()], {
      error: (issue) => `expected a decimal number or decimal string, got ${describe(issue.input)}`,
    })
    .transform((input, ctx) => {
      const normalized = normalizeDecimal(input);
      if (normalized === undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `expected a decimal such as "0.015" (no exponent, NaN or Infinity), got ${describe(input)}`,
        });
        return z.NEVER;
      }
      // Canonical: a negative value starts with '-', and zero is exactly '0'.
      if (bound === 'positive' && (normalized === '0' || normalized.charCodeAt(0) === 45)) {
        ctx.addIssue({ code: 'custom', message: `must be greater than 0, got ${normalized}` });
        return z.NEVER;
      }
      if (bound === 'nonNegative' && normalized.charCodeAt(0) === 45) {
        ctx.addIssue({ code: 'custom', message: `must not be negative, got ${normalized}` });
        return z.NEVER;
      }
      return normalized;
    })
    .meta({ description, example: '123.45' });
}

/** Any finite decimal (may be negative, e.g. PnL); output is the canonical decimal string. */
export const DecimalString = decimalSchema('any', 'Decimal as a string (numbers accepted on input)');
export type DecimalString = z.output<typeof DecimalString>;

/** A decimal strictly greater than zero: prices, quantities. */
export const PositiveDecimalString = decimalSchema(
  'positive',
  'Positive decimal as a string (numbers accepted on input)',
);

/** A decimal that may be zero but not negative: balances, executed quantities, volumes. */
export const NonNegativeDecimalString = decimalSchema(
  'nonNegative',
  'Non-negative decimal as a string (numbers accepted on input)',
);
