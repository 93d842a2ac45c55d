import { DecimalString, NonNegativeDecimalString, PositiveDecimalString, normalizeDecimal } from './decimal';

describe('normalizeDecimal', () => {
  it.each([
    ['1', '1'],
    ['1.500', '1.5'],
    ['00012.3400', '12.34'],
    ['-0', '0'],
    ['-0.000', '0'],
    ['+5', '5'],
    ['.5', '0.5'],
    ['5.', '5'],
    [' 7.25 ', '7.25'],
    ['-12.5', '-12.5'],
    ['123456789012345678901234567890.123456789', '123456789012345678901234567890.123456789'],
    [0.1, '0.1'],
    [1e-7, '0.0000001'],
    [1e21, '1000000000000000000000'],
    [-0, '0'],
    [65000.5, '65000.5'],
  ])('%j -> %s', (input, expected) => {
    expect(normalizeDecimal(input)).toBe(expected);
  });

  it.each(['', ' ', 'abc', '1e5', '1E-3', 'NaN', 'Infinity', '-Infinity', '0x10', '1,5', '1.2.3', '--1', '1 000', '１'])(
    'rejects %j',
    (input) => {
      expect(normalizeDecimal(input)).toBeUndefined();
    },
  );

  it('rejects non-finite numbers, other types and absurdly long strings', () => {
    expect(normalizeDecimal(Number.NaN)).toBeUndefined();
    expect(normalizeDecimal(Number.POSITIVE_INFINITY)).toBeUndefined();
    expect(normalizeDecimal(null)).toBeUndefined();
    expect(normalizeDecimal({})).toBeUndefined();
    expect(normalizeDecimal(`1${'0'.repeat(100)}`)).toBeUndefined();
  });
});

describe('decimal schemas', () => {
  it('output the canonical string and re-parse to the same value', () => {
    const once = DecimalString.parse('0010.100');
    expect(once).toBe('10.1');
    expect(DecimalString.parse(once)).toBe(once);
    expect(DecimalString.parse(-3)).toBe('-3');
  });

  it('give readable messages', () => {
    const bad = DecimalString.safeParse('1e5');
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toMatch(/decimal such as "0.015".*"1e5"/);
    expect(DecimalString.safeParse(true).error?.issues[0]?.message).toMatch(/decimal number or decimal string, got boolean/);
  });

  it('enforce bounds', () => {
    expect(PositiveDecimalString.safeParse('0').error?.issues[0]?.message).toMatch(/greater than 0/);
    expect(PositiveDecimalString.safeParse(-1).success).toBe(false);
    expect(PositiveDecimalString.parse('0.0001')).toBe('0.0001');
    expect(NonNegativeDecimalString.parse('0.000')).toBe('0');
    expect(NonNegativeDecimalString.safeParse('-0.01').error?.issues[0]?.message).toMatch(/not be negative/);
  });
});
