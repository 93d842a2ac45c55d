import Decimal from 'decimal.js';

/**
 * The backtest's Decimal: 60 significant digits, so sums over thousands of trades never round
 * (the default 20 digits would). Stored columns hold 18 decimal places, which the venue's tick and
 * step sizes keep every fill, fee and PnL within.
 */
export const D = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_UP });
export type D = Decimal;
