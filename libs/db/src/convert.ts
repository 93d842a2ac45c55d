// Conversions at the repository boundary. Prisma hands back its own Decimal for DECIMAL columns
// and bigint for BIGINT columns; the wire format (DESIGN §5) is canonical decimal strings for
// money and plain numbers for Unix-ms times. Repositories convert with these and nothing else.
import { Prisma } from './generated/prisma/client';

/** Anything that denotes an exact decimal: a decimal string, a number, Prisma's Decimal, or a
 *  decimal.js Decimal (recognised by its `toFixed()`, so this lib needs no decimal.js import). */
export type DecimalLike = string | number | Prisma.Decimal | { toFixed(): string };

/** A value to write into a DECIMAL column. Throws on NaN, Infinity and unparsable strings. */
export function toDbDecimal(value: DecimalLike): Prisma.Decimal {
  let decimal: Prisma.Decimal;
  try {
    decimal =
      typeof value === 'string' || typeof value === 'number' || Prisma.Decimal.isDecimal(value)
        ? new Prisma.Decimal(value as string | number | Prisma.Decimal)
        : new Prisma.Decimal(value.toFixed());
  } catch {
    throw new RangeError(`not a decimal: ${String(value)}`);
  }
  if (!decimal.isFinite()) throw new RangeError(`not a finite decimal: ${String(value)}`);
  return decimal;
}

export function toNullableDbDecimal(value: DecimalLike | null | undefined): Prisma.Decimal | null {
  return value === null || value === undefined ? null : toDbDecimal(value);
}

/**
 * The canonical decimal string of a DECIMAL column value: no exponent, no trailing zeros, no
 * negative zero ("0.1", "-42", "0.00000001"). DECIMAL(38,18) columns return the padded scale
 * ("0.100000000000000000"), which this strips, so a value reads back exactly as it was written.
 */
export function decimalToString(value: Prisma.Decimal): string {
  return value.isZero() ? '0' : value.toFixed();
}

export function nullableDecimalToString(value: Prisma.Decimal | null): string | null {
  return value === null ? null : decimalToString(value);
}

/** Unix ms (a safe integer) to a BIGINT column value. */
export function msToBigInt(ms: number): bigint {
  if (!Number.isSafeInteger(ms)) throw new RangeError(`not an integer millisecond time: ${ms}`);
  return BigInt(ms);
}

export function nullableMsToBigInt(ms: number | null | undefined): bigint | null {
  return ms === null || ms === undefined ? null : msToBigInt(ms);
}

/** A BIGINT column value to Unix ms. Throws rather than silently losing precision. */
export function bigIntToMs(value: bigint): number {
  const ms = Number(value);
  if (!Number.isSafeInteger(ms)) throw new RangeError(`BIGINT ${value} does not fit a safe integer`);
  return ms;
}

export function nullableBigIntToMs(value: bigint | null): number | null {
  return value === null ? null : bigIntToMs(value);
}

/**
 * True for Prisma's unique-constraint violation (P2002), optionally only when it is on `field`
 * (the model field, e.g. `clientOrderId`, its column, `client_order_id`, or the index name).
 * Idempotent writes (clientOrderId, idempotencyKey, sink eventId) catch this and read back the
 * row that won.
 */
export function isUniqueViolation(error: unknown, field?: string): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== 'P2002') return false;
  if (field === undefined) return true;
  const column = field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  const { fields, index, table } = violation(error.meta);
  if (fields.includes(field) || fields.includes(column) || index === field) return true;
  // Prisma names a single-column unique index <table>_<column>_key.
  if (index === undefined) return false;
  return table === undefined ? index.endsWith(`_${column}_key`) : index === `${table}_${column}_key`;
}

// Where the violated columns are reported differs: pglite-prisma-adapter gives the columns,
// @prisma/adapter-pg only the index and table (meta.driverAdapterError.cause), and Prisma's
// classic engines meta.target.
function violation(meta: Record<string, unknown> | undefined): { fields: string[]; index?: string; table?: string } {
  const target = meta?.['target'];
  const fields = Array.isArray(target) ? target.map(String) : typeof target === 'string' ? [target] : [];
  type AdapterError = { cause?: { constraint?: unknown; table?: unknown } };
  const adapterError = meta?.['driverAdapterError'] as AdapterError | undefined;
  const constraint = adapterError?.cause?.constraint as { fields?: unknown; index?: unknown } | undefined;
  if (Array.isArray(constraint?.fields)) fields.push(...constraint.fields.map(String));
  const index = typeof constraint?.index === 'string' ? constraint.index : undefined;
  const table = typeof adapterError?.cause?.table === 'string' ? adapterError.cause.table : undefined;
  return { fields, ...(index === undefined ? {} : { index }), ...(table === undefined ? {} : { table }) };
}
