import Decimal from 'decimal.js';
import {
  DecimalString,
  NonNegativeDecimalString,
  PositiveDecimalString,
  compareDecimalStrings,
  normalizeDecimal,
} from './decimal';

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

  it.each([
    '',
    ' ',
    'abc',
    '1e5',
    '1E-3',
    'NaN',
    'Infinity',
    '-Infinity',
    '0x10',
    '1,5',
    '1.2.3',
    '--1',
    '1 000',
    '１',
  ])('rejects %j', (input) => {
    expect(normalizeDecimal(input)).toBeUndefined();
  });

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
    expect(DecimalString.safeParse(true).error?.issues[0]?.message).toMatch(
      /decimal number or decimal string, got boolean/,
    );
  });

  it('enforce bounds', () => {
    expect(PositiveDecimalString.safeParse('0').error?.issues[0]?.message).toMatch(/greater than 0/);
    expect(PositiveDecimalString.safeParse(-1).success).toBe(false);
    expect(PositiveDecimalString.parse('0.0001')).toBe('0.0001');
    expect(NonNegativeDecimalString.parse('0.000')).toBe('0');
    expect(NonNegativeDecimalString.safeParse('-0.01').error?.issues[0]?.message).toMatch(/not be negative/);
  });
});

describe('compareDecimalStrings', () => {
  it('orders canonical strings as decimal.js orders their values (seeded)', () => {
    let x = 17;
    const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
    const values = [
      '0',
      '1',
      '-1',
      '0.5',
      '-0.5',
      '10',
      '9.999',
      '100.0001',
      '0.0001',
      '-0.0001',
      '123456789.123456789',
    ];
    for (let i = 0; i < 300; i++) {
      const text = `${next() % 3 === 0 ? '-' : ''}${next() % 100_000}.${String(next() % 1_000_000).padStart(6, '0')}`;
      values.push(normalizeDecimal(text) as string);
    }
    for (const a of values) {
      for (const b of values.slice(0, 60)) {
        expect([a, b, compareDecimalStrings(a, b)]).toEqual([a, b, new Decimal(a).comparedTo(b)]);
      }
    }
  });

  it('keeps the bounds on negative zero and zero spelled out', () => {
    expect(NonNegativeDecimalString.parse('-0.00')).toBe('0');
    expect(PositiveDecimalString.safeParse('-0').success).toBe(false);
    expect(PositiveDecimalString.safeParse('0.000').success).toBe(false);
  });
});
