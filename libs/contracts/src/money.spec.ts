import { MONEY_PRECISION, Money } from './money';

describe('money: one precision policy', () => {
  it('keeps 40 significant digits, enough for every value a DECIMAL(38,18) column holds', () => {
    const big = '12345678901234567890.123456789012345678';
    expect(new Money(big).plus('0.000000000000000001').toFixed()).toBe('12345678901234567890.123456789012345679');
    expect(new Money(1).div(3).toFixed()).toBe(`0.${'3'.repeat(MONEY_PRECISION)}`);
  });

  it('rounds half away from zero beyond the precision', () => {
    expect(new Money(2).div(3).toFixed()).toBe(`0.${'6'.repeat(MONEY_PRECISION - 1)}7`);
    expect(new Money(-2).div(3).toFixed()).toBe(`-0.${'6'.repeat(MONEY_PRECISION - 1)}7`);
  });
});
