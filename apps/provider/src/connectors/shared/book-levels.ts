import { Money } from '@barfinex/contracts';
import type { OrderBookLevel } from '@barfinex/contracts';

/** One side of a local order book: price → quantity, both as decimal strings in one canonical form per venue. */
export type BookSide = Map<string, string>;

/** Applies `[price, quantity]` levels to a side; a zero quantity removes the price. */
export function applyLevels(side: BookSide, levels: ReadonlyArray<readonly [string, string]>): void {
  for (const [price, qty] of levels) {
    if (new Money(qty).isZero()) side.delete(price);
    else side.set(price, qty);
  }
}

/**
 * The best `n` levels of a side: bids highest first (`descending`), asks lowest first. One pass
 * over the side keeping the best `n` in order, comparing prices as numbers and falling back to
 * exact decimal comparison only when two distinct prices read as the same number: a venue book of
 * a thousand levels is walked once per update instead of being sorted with decimal comparisons.
 */
export function topLevels(side: BookSide, descending: boolean, n: number): OrderBookLevel[] {
  const best: { value: number; price: string }[] = [];
  // True when `price` (read as `value`) belongs before `other`.
  const before = (value: number, price: string, other: { value: number; price: string }): boolean => {
    if (value !== other.value) return descending ? value > other.value : value < other.value;
    const c = new Money(price).cmp(other.price);
    return descending ? c > 0 : c < 0;
  };
  if (n <= 0) return [];
  for (const price of side.keys()) {
    const value = Number(price);
    if (best.length === n && !before(value, price, best[n - 1] as { value: number; price: string })) continue;
    // Binary search for the first kept level this price belongs before.
    let lo = 0;
    let hi = best.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(value, price, best[mid] as { value: number; price: string })) hi = mid;
      else lo = mid + 1;
    }
    best.splice(lo, 0, { value, price });
    if (best.length > n) best.pop();
  }
  return best.map(({ price }) => ({ price, volume: side.get(price) as string }));
}
