import Decimal from 'decimal.js';
import { createRng, seedRngState } from '../sim/prng';
import { applyLevels, topLevels } from './book-levels';
import type { BookSide } from './book-levels';

/** The plain definition: every price sorted by exact decimal comparison, the first `n` kept. */
function byFullSort(side: BookSide, descending: boolean, n: number) {
  const keys = [...side.keys()].sort((a, b) => new Decimal(a).cmp(b) * (descending ? -1 : 1)).slice(0, n);
  return keys.map((price) => ({ price, volume: side.get(price) as string }));
}

describe('book levels', () => {
  it('applies levels, a zero quantity removing the price', () => {
    const side: BookSide = new Map();
    applyLevels(side, [
      ['100.5', '2'],
      ['101', '1'],
      ['99', '3'],
    ]);
    applyLevels(side, [
      ['101', '0.000'],
      ['98.25', '4'],
    ]);
    expect(topLevels(side, true, 10)).toEqual([
      { price: '100.5', volume: '2' },
      { price: '99', volume: '3' },
      { price: '98.25', volume: '4' },
    ]);
    expect(topLevels(side, false, 2)).toEqual([
      { price: '98.25', volume: '4' },
      { price: '99', volume: '3' },
    ]);
    expect(topLevels(side, false, 0)).toEqual([]);
  });

  it('orders exactly where prices differ beyond what a number holds', () => {
    const side: BookSide = new Map([
      ['12345678901234567890.123456789012345678', '1'],
      ['12345678901234567890.123456789012345677', '2'],
      ['12345678901234567890.123456789012345679', '3'],
    ]);
    expect(topLevels(side, true, 2).map((l) => l.volume)).toEqual(['3', '1']);
    expect(topLevels(side, false, 3).map((l) => l.volume)).toEqual(['2', '1', '3']);
  });

  it('agrees with a full sort on seeded random books of every size and depth', () => {
    const rng = createRng(seedRngState(11, 'book-levels'));
    for (let round = 0; round < 300; round++) {
      const side: BookSide = new Map();
      const size = Math.floor(rng.next() * 1_200);
      for (let i = 0; i < size; i++) {
        // Coarse ticks (many near-equal prices) and, now and then, a long tail of decimals.
        const price =
          rng.next() < 0.1
            ? `${60_000 + Math.floor(rng.next() * 20)}.${'0'.repeat(14)}${Math.floor(rng.next() * 10_000)}`
            : (60_000 + Math.floor(rng.next() * 50_000) / 100).toFixed(2);
        side.set(price, String(1 + Math.floor(rng.next() * 9)));
      }
      const depth = 1 + Math.floor(rng.next() * 40);
      for (const descending of [true, false])
        expect(topLevels(side, descending, depth)).toEqual(byFullSort(side, descending, depth));
    }
  });
});
