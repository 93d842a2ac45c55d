import Decimal from 'decimal.js';
import { createRng } from './gbm';
import { priceString } from './emission';

/** The reference: what priceString did with decimal.js before its allocation-free fast path. */
function viaDecimal(value: number, decimals: number): string | undefined {
  const d = new Decimal(value).toDecimalPlaces(decimals);
  return d.gt(0) ? d.toFixed() : undefined;
}

describe('priceString', () => {
  it('rounds half-up on the shortest decimal form, like decimal.js', () => {
    expect(priceString(1.005, 2)).toBe('1.01');
    expect(priceString(99.999999995, 8)).toBe('100');
    expect(priceString(0.1 + 0.2, 8)).toBe('0.3');
    expect(priceString(60000.5, 0)).toBe('60001');
    expect(priceString(0.0000000049, 8)).toBeUndefined();
    expect(priceString(-1, 8)).toBeUndefined();
    expect(priceString(Number.NaN, 8)).toBeUndefined();
    expect(priceString('123.4500', 8)).toBe('123.45');
    expect(priceString(1e21, 2)).toBe('1000000000000000000000');
    expect(priceString(1e-7, 8)).toBe('0.0000001');
  });

  it('agrees with decimal.js on 50,000 seeded prices across magnitudes and precisions', () => {
    const rng = createRng(3);
    let mismatches = 0;
    for (let i = 0; i < 10_000; i += 1) {
      const value = rng() * 10 ** Math.floor(rng() * 14 - 7);
      for (const d of [0, 1, 2, 4, 8]) if (priceString(value, d) !== viaDecimal(value, d)) mismatches += 1;
    }
    expect(mismatches).toBe(0);
  });
});
