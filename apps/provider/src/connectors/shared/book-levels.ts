import Decimal from 'decimal.js';
import type { OrderBookLevel } from '@barfinex/contracts';

/** One side of a local order book: price → quantity, both as decimal strings in one canonical form per venue. */
export type BookSide = Map<string, string>;

/** Applies `[price, quantity]` levels to a side; a zero quantity removes the price. */
export function applyLevels(side: BookSide, levels: ReadonlyArray<readonly [string, string]>): void {
  for (const [price, qty] of levels) {
    if (new Decimal(qty).isZero()) side.delete(price);
    else side.set(price, qty);
  }
}

/** The best `n` levels of a side: bids highest first (`descending`), asks lowest first. */
export function topLevels(side: BookSide, descending: boolean, n: number): OrderBookLevel[] {
  const keys = [...side.keys()].sort((a, b) => new Decimal(a).cmp(b) * (descending ? -1 : 1)).slice(0, n);
  return keys.map((price) => ({ price, volume: side.get(price) as string }));
}
