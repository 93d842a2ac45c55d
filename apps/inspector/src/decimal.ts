import { Money } from '@barfinex/contracts';
import type { MoneyValue } from '@barfinex/contracts';

// The platform's money policy (libs/contracts money.ts) under the inspector's short names.
export const Dec = Money;
export type Dec = Money;

export const dec = (v: MoneyValue): Dec => new Dec(v);
export const ZERO = new Dec(0);
