import { Prisma } from './generated/prisma/client';
import {
  bigIntToMs,
  decimalToString,
  isUniqueViolation,
  msToBigInt,
  nullableBigIntToMs,
  nullableDecimalToString,
  nullableMsToBigInt,
  toDbDecimal,
  toNullableDbDecimal,
} from './convert';

describe('decimal conversions', () => {
  it('accepts strings, numbers, Prisma decimals and decimal.js-like values', () => {
    expect(decimalToString(toDbDecimal('1.50'))).toBe('1.5');
    expect(decimalToString(toDbDecimal(0.1))).toBe('0.1');
    expect(decimalToString(toDbDecimal(new Prisma.Decimal('2.25')))).toBe('2.25');
    expect(decimalToString(toDbDecimal({ toFixed: () => '3.125' }))).toBe('3.125');
  });

  it('renders canonical strings: no exponent, no padded scale, no negative zero', () => {
    expect(decimalToString(new Prisma.Decimal('0.000000000000000001'))).toBe('0.000000000000000001');
    expect(decimalToString(new Prisma.Decimal('1e21'))).toBe('1000000000000000000000');
    expect(decimalToString(new Prisma.Decimal('0.100000000000000000'))).toBe('0.1');
    expect(decimalToString(new Prisma.Decimal('-0'))).toBe('0');
    expect(decimalToString(new Prisma.Decimal('-42.000'))).toBe('-42');
  });

  it('keeps all 38 digits', () => {
    const wide = '12345678901234567890.123456789012345678';
    expect(decimalToString(toDbDecimal(wide))).toBe(wide);
  });

  it('rejects what is not a finite decimal', () => {
    expect(() => toDbDecimal('abc')).toThrow(RangeError);
    expect(() => toDbDecimal(Number.NaN)).toThrow(RangeError);
    expect(() => toDbDecimal(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it('passes null and undefined through the nullable variants', () => {
    expect(toNullableDbDecimal(null)).toBeNull();
    expect(toNullableDbDecimal(undefined)).toBeNull();
    expect(nullableDecimalToString(null)).toBeNull();
    expect(nullableDecimalToString(new Prisma.Decimal('7'))).toBe('7');
  });
});

describe('millisecond conversions', () => {
  it('round-trips Unix ms through bigint', () => {
    expect(msToBigInt(1_763_942_400_123)).toBe(1_763_942_400_123n);
    expect(bigIntToMs(1_763_942_400_123n)).toBe(1_763_942_400_123);
    expect(nullableMsToBigInt(undefined)).toBeNull();
    expect(nullableBigIntToMs(null)).toBeNull();
    expect(nullableBigIntToMs(5n)).toBe(5);
  });

  it('refuses fractions and values beyond the safe integer range', () => {
    expect(() => msToBigInt(1.5)).toThrow(RangeError);
    expect(() => bigIntToMs(2n ** 60n)).toThrow(RangeError);
  });
});

describe('isUniqueViolation', () => {
  const adapterError = (fields: string[]) =>
    new Prisma.PrismaClientKnownRequestError('duplicate', {
      code: 'P2002',
      clientVersion: 'test',
      meta: { driverAdapterError: { cause: { kind: 'UniqueConstraintViolation', constraint: { fields } } } },
    });

  it('matches by model field or column name', () => {
    expect(isUniqueViolation(adapterError(['client_order_id']))).toBe(true);
    expect(isUniqueViolation(adapterError(['client_order_id']), 'clientOrderId')).toBe(true);
    expect(isUniqueViolation(adapterError(['client_order_id']), 'client_order_id')).toBe(true);
    expect(isUniqueViolation(adapterError(['client_order_id']), 'idempotencyKey')).toBe(false);
  });

  it('matches the index name @prisma/adapter-pg reports', () => {
    const error = new Prisma.PrismaClientKnownRequestError('duplicate', {
      code: 'P2002',
      clientVersion: 'test',
      meta: {
        driverAdapterError: { cause: { constraint: { index: 'orders_idempotency_key_key' }, table: 'orders' } },
      },
    });
    expect(isUniqueViolation(error, 'idempotencyKey')).toBe(true);
    expect(isUniqueViolation(error, 'orders_idempotency_key_key')).toBe(true);
    expect(isUniqueViolation(error, 'key')).toBe(false);
    expect(isUniqueViolation(error, 'clientOrderId')).toBe(false);
  });

  it('reads meta.target as the classic engines report it', () => {
    const error = new Prisma.PrismaClientKnownRequestError('duplicate', {
      code: 'P2002',
      clientVersion: 'test',
      meta: { target: ['event_id'] },
    });
    expect(isUniqueViolation(error, 'eventId')).toBe(true);
  });

  it('is false for other errors', () => {
    const fk = new Prisma.PrismaClientKnownRequestError('fk', { code: 'P2003', clientVersion: 'test' });
    expect(isUniqueViolation(fk)).toBe(false);
    expect(isUniqueViolation(new Error('P2002'))).toBe(false);
  });
});
