import type { LogLevel } from '@barfinex/enums';
import { isAxiosError } from 'axios';
import { pino, type DestinationStream, type Logger } from 'pino';
import pinoPretty from 'pino-pretty';

// `apiToken` is what the apps register their own credential as; `secretKey` is Alpaca's secret.
const SECRET_KEYS = [
  'token',
  'apiToken',
  'apiKey',
  'secret',
  'secretKey',
  'password',
  'apiSecret',
  'accessToken',
  'refreshToken',
];
const SECRET_HEADERS = ['authorization', 'Authorization', 'x-api-token', 'cookie', 'Cookie', 'set-cookie'];

/**
 * Redaction paths. pino matches exact depths, so secrets are covered at the top level and one
 * level down, and headers wherever request/response/axios objects usually put them.
 */
export const REDACT_PATHS: readonly string[] = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((key) => `*.${key}`),
  ...SECRET_HEADERS.flatMap((h) => [`headers["${h}"]`, `*.headers["${h}"]`, `*.*.headers["${h}"]`]),
];

/**
 * pino's error serializer plus one rule: an axios error keeps only method, url, status and code.
 * Its `config`, `request` and `response` hold agents, sockets and the raw request head with the
 * Authorization header, out of reach of path-based redaction.
 */
function serializeError(err: unknown): unknown {
  const out: unknown = pino.stdSerializers.err(err as Error);
  if (!isAxiosError(err) || typeof out !== 'object' || out === null) return out;
  const record = out as Record<string, unknown>;
  delete record['config'];
  delete record['request'];
  delete record['response'];
  record['method'] = err.config?.method?.toUpperCase();
  record['url'] = err.config?.url?.split('?')[0];
  record['status'] = err.response?.status;
  return record;
}

export interface CreateLoggerOptions {
  /** Component name, written as `component` on every line. */
  name: string;
  level?: LogLevel;
  /** Human-readable output through pino-pretty, for a terminal; JSON otherwise. */
  pretty?: boolean;
  /** Where lines go; stdout by default. Tests pass a stream to inspect the output. */
  destination?: DestinationStream;
  /** Extra fields on every line (e.g. instance id). */
  base?: Record<string, unknown>;
  /** More paths to redact, in pino's path syntax. */
  redact?: readonly string[];
}

export function createLogger(options: CreateLoggerOptions): Logger {
  const config = {
    level: options.level ?? 'info',
    base: { ...options.base, component: options.name },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: [...REDACT_PATHS, ...(options.redact ?? [])], censor: '[redacted]' },
    serializers: { err: serializeError, error: serializeError },
  };
  if (options.pretty) {
    // A stream in this thread rather than a transport worker: it survives bundling and flushes
    // synchronously, so the last lines before an exit are not lost.
    const stream = pinoPretty({
      colorize: options.destination === undefined,
      sync: true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname,component',
      messageFormat: '[{component}] {msg}',
      ...(options.destination === undefined ? {} : { destination: options.destination }),
    });
    return pino(config, stream);
  }
  return options.destination === undefined ? pino(config) : pino(config, options.destination);
}

/** A child logger whose every line carries the correlation id of the work it belongs to. */
export function withCorrelationId(
  logger: Logger,
  correlationId: string,
  bindings: Record<string, unknown> = {},
): Logger {
  return logger.child({ ...bindings, correlationId });
}
