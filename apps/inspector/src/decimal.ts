import Decimal from 'decimal.js';

// decimal.js rounds every result to 20 significant digits by default; money columns hold 38
// digits (18 after the point), so the inspector computes with a wider private constructor.
export const Dec = Decimal.clone({ precision: 64, rounding: Decimal.ROUND_HALF_UP });
export type Dec = Decimal;

export const dec = (v: Decimal.Value): Dec => new Dec(v);
export const ZERO = new Dec(0);
