import { z } from 'zod';
import { parseDecimal, str } from './decimal';

type Bound = 'any' | 'positive' | 'nonNegative';

/** Number or plain decimal string in, canonical decimal string out. */
export function decimalText(bound: Bound = 'any') {
  return z.union([z.string(), z.number()]).transform((input, ctx) => {
    const value = parseDecimal(input);
    if (value === undefined) {
      ctx.addIssue({ code: 'custom', message: `expected a plain decimal, got ${JSON.stringify(input)}` });
      return z.NEVER;
    }
    if ((bound === 'positive' && !value.gt(0)) || (bound === 'nonNegative' && value.isNegative())) {
      ctx.addIssue({ code: 'custom', message: `must be ${bound === 'positive' ? '> 0' : '>= 0'}, got ${str(value)}` });
      return z.NEVER;
    }
    return str(value);
  });
}

/** Decimal strings the engine itself wrote (snapshots); stricter than input, never numbers. */
export const DecimalOut = z.string().regex(/^-?\d+(\.\d+)?$/);
