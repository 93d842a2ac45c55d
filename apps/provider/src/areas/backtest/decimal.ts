import { Money } from '@barfinex/contracts';

/**
 * The backtest's decimal: the platform's money policy (libs/contracts money.ts), whose 40 digits
 * keep sums over thousands of trades exact. Stored columns hold 18 decimal places, which the
 * venue's tick and step sizes keep every fill, fee and PnL within.
 */
export const D = Money;
export type D = Money;
