import { Dec, cmp, isPositive, maxDec, minDec } from './decimal';

// Values across signs, zeros, exponents and digit-word lengths (decimal.js stores base-1e7 words).
const VALUES = ['0', '-0', '1', '-1', '0.1', '-0.1', '0.00000001', '10000000', '9999999', '10000001', '60000.5', '60000.50000001', '-60000.5', '123456789012345678.123456789', '1e-30', '-1e+30', '0.3', '0.29999999999999999999'];

describe('cmp', () => {
  it('agrees with decimal.js comparedTo on every pair', () => {
    for (const a of VALUES) {
      for (const b of VALUES) {
        expect([a, b, cmp(new Dec(a), new Dec(b))]).toEqual([a, b, new Dec(a).comparedTo(new Dec(b))]);
      }
    }
  });

  it('agrees on results of arithmetic (seeded)', () => {
    let x = 42;
    const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
    for (let i = 0; i < 2_000; i++) {
      const a = new Dec(next() % 100_000).div(10 ** (next() % 9)).minus(next() % 50);
      const b = a.plus(new Dec(next() % 3).minus(1).div(10 ** (next() % 12)));
      expect(cmp(a, b)).toBe(a.comparedTo(b));
      expect(cmp(b, a)).toBe(b.comparedTo(a));
    }
  });

  it('backs minDec, maxDec and isPositive', () => {
    expect(minDec(new Dec('0.1'), new Dec('0.09')).toFixed()).toBe('0.09');
    expect(maxDec(new Dec('-2'), new Dec('-3')).toFixed()).toBe('-2');
    expect([isPositive(new Dec('0')), isPositive(new Dec('-0')), isPositive(new Dec('-1')), isPositive(new Dec('0.00000001'))]).toEqual([false, false, false, true]);
  });
});
