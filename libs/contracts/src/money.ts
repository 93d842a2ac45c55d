import Decimal from 'decimal.js';

/**
 * The platform's one precision policy for money arithmetic: 40 significant digits, a result
 * beyond them rounded half away from zero. Money columns are DECIMAL(38,18), so nothing the
 * database can hold is rounded before it is stored, and sums over thousands of fills stay exact
 * (decimal.js's own default, 20 digits, rounds a sum of large balances). The simulator's exact
 * fixed-point decimal rounds its quotients at the same 40 digits (its spec checks the two agree).
 */
export const MONEY_PRECISION = 40;

/** The decimal.js constructor every prices, quantities, balances and PnL computation uses. */
export const Money = Decimal.clone({ precision: MONEY_PRECISION, rounding: Decimal.ROUND_HALF_UP });
export type Money = Decimal;
/** What `new Money(x)` takes: a decimal string, a number or another decimal. */
export type MoneyValue = Decimal.Value;
