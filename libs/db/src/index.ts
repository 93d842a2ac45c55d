export { PrismaClient, Prisma } from './generated/prisma/client';
export type {
  AppRegistration,
  Candle,
  DetectorConfig,
  Fill,
  InspectorConfig,
  Instrument,
  KeyValue,
  Order,
  SimStatePart,
  SinkEvent,
} from './generated/prisma/client';
export { createDatabase, parseDatabaseUrl, wrapPglite, DatabaseUrlError } from './database';
export type { Database, DatabaseKind, DatabaseOptions, DatabaseTarget } from './database';
export { applyMigrations, migrationChecksum, MigrationError } from './migrate';
export type { ApplyMigrationsOptions, Migration, MigrationReport } from './migrate';
export { embeddedMigrations } from './migrations.generated';
export { pgExecutor, pgliteExecutor } from './executor';
export { createQuarantine, describeInvalid } from './quarantine';
export type { KeepValidOptions, Quarantine, QuarantineCount, QuarantineDeps, QuarantineEntry } from './quarantine';
export { streamRows } from './stream';
export { autovacuumRuns, createTableCare } from './table-care';
export { createPgliteWalKeeper } from './pglite-wal';
export type { PgliteWalKeeper, PgliteWalKeeperOptions } from './pglite-wal';
export type { TableCare, TableCareMode, TableCareOptions } from './table-care';
export type { StreamRowsQuery } from './stream';
export type { SqlExecutor } from './executor';
export {
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
export type { DecimalLike } from './convert';
