import { AppError } from '@barfinex/contracts';

// A database that is restarting or unreachable is a transient outage, not a bug: clients should
// get 503 and retry. A write may have been partly done before the failure (an order row stored,
// then its update lost), so retries of writes must carry their idempotency key (an order's
// clientOrderId), which the provider honours. Detection is structural (names and codes) so this
// lib needs neither Prisma nor pg.

/** Prisma error codes that mean "no usable connection", not "your query is wrong". */
const PRISMA_CONNECTION_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2037']);

/** Driver adapter error kinds (`@prisma/driver-adapter-utils`) for a lost or refused connection. */
const ADAPTER_CONNECTION_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
  'TlsConnectionError',
]);

/** Socket errors of a connection to a backing service. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * PostgreSQL SQLSTATEs of a server going away or not accepting sessions: class 08 (connection
 * exception), 57P01-57P03 (admin/crash shutdown, cannot connect now), 53300 (too many connections).
 */
function isConnectionSqlState(code: unknown): boolean {
  return typeof code === 'string' && (/^08[0-9A-Z]{3}$/.test(code) || /^57P0[1-3]$/.test(code) || code === '53300');
}

/**
 * node-postgres errors without a code: the socket closed under a query, or a connect or query
 * timeout ran out (a hung server).
 */
const PG_CONNECTION_MESSAGES = /^(Connection terminated|timeout exceeded when trying to connect|Query read timeout)/;

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  meta?: { driverAdapterError?: unknown };
}

function asObject(value: unknown): ErrorLike | undefined {
  return typeof value === 'object' && value !== null ? (value as ErrorLike) : undefined;
}

function adapterCauseIsConnection(adapterError: unknown): boolean {
  const cause = asObject(asObject(adapterError)?.cause) as
    { kind?: unknown; code?: unknown; originalCode?: unknown } | undefined;
  if (!cause) return false;
  if (typeof cause.kind === 'string' && ADAPTER_CONNECTION_KINDS.has(cause.kind)) return true;
  return cause.kind === 'postgres' && (isConnectionSqlState(cause.code) || isConnectionSqlState(cause.originalCode));
}

function isDatabaseConnectionError(e: ErrorLike): boolean {
  if (e.name === 'PrismaClientInitializationError') return true;
  if (e.name === 'PrismaClientKnownRequestError' && typeof e.code === 'string' && PRISMA_CONNECTION_CODES.has(e.code))
    return true;
  if (adapterCauseIsConnection(e.meta?.driverAdapterError)) return true;
  if (e.name === 'DriverAdapterError' && adapterCauseIsConnection(e)) return true;
  // node-postgres: a DatabaseError with a SQLSTATE, or the client noticing its socket closed.
  if (isConnectionSqlState(e.code)) return true;
  return typeof e.message === 'string' && PG_CONNECTION_MESSAGES.test(e.message);
}

/**
 * The reason a thrown value means a backing service is temporarily unreachable, or undefined.
 * Follows `cause` a few levels, since repositories may wrap driver errors.
 */
export function unavailableReason(err: unknown): 'DATABASE_UNAVAILABLE' | 'DEPENDENCY_UNREACHABLE' | undefined {
  let current = asObject(err);
  for (let depth = 0; current && depth < 5; depth += 1) {
    if (isDatabaseConnectionError(current)) return 'DATABASE_UNAVAILABLE';
    if (typeof current.code === 'string' && SOCKET_CODES.has(current.code)) return 'DEPENDENCY_UNREACHABLE';
    current = asObject(current.cause);
  }
  return undefined;
}

/** A 503 for a request that could not be served because a backing service is away; undefined otherwise. */
export function toUnavailableError(err: unknown): AppError | undefined {
  const reason = unavailableReason(err);
  if (reason === undefined) return undefined;
  const what = reason === 'DATABASE_UNAVAILABLE' ? 'the database' : 'a service this request depends on';
  return new AppError('UNAVAILABLE', `${what} is temporarily unavailable; retry shortly`, {
    details: { reason, retryable: true },
    cause: err,
  });
}
