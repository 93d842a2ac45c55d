import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance, isAxiosError } from 'axios';
import { AppError, errorCodeForStatus, isAppError, isErrorCode } from '@barfinex/contracts';
import { ErrorBodySchema } from './errors/error-body';

export interface HttpClientOptions {
  baseURL: string;
  /** Every request needs a bound: there is no default. */
  timeoutMs: number;
  headers?: Readonly<Record<string, string>>;
  keepAlive?: boolean;
}

export type HttpClient = AxiosInstance & {
  /** Destroys the pooled sockets, so a stopping process or a test does not hang on them. */
  close(): void;
};

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const keepAlive = options.keepAlive ?? true;
  const httpAgent = new http.Agent({ keepAlive });
  const httpsAgent = new https.Agent({ keepAlive });
  const instance = axios.create({
    baseURL: options.baseURL,
    timeout: options.timeoutMs,
    headers: { ...options.headers },
    httpAgent,
    httpsAgent,
    // Reports timeouts as ETIMEDOUT rather than the ambiguous ECONNABORTED.
    transitional: { clarifyTimeoutError: true },
  });
  return Object.assign(instance, {
    close(): void {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  });
}

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);
const TIMED_OUT = new Set(['ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT']);

interface Target {
  method: string;
  url: string;
}

// The query string is dropped: it may carry a token.
function describeTarget(err: { config?: { method?: string; url?: string; baseURL?: string } }): Target {
  const config = err.config ?? {};
  const method = (config.method ?? 'get').toUpperCase();
  let url = config.url ?? '';
  try {
    url = new URL(url, config.baseURL).toString();
  } catch {
    // a relative url without a base stays as given
  }
  return { method, url: url.split('?')[0] ?? url };
}

/**
 * Turns a failed upstream call into the error vocabulary: unreachable → 502 BAD_GATEWAY,
 * timeout → 504 GATEWAY_TIMEOUT, an upstream error reply → its own status, keeping the upstream
 * `{ error }` body in `details.upstream.error` when it speaks our error shape.
 */
export function mapAxiosError(err: unknown): AppError {
  if (isAppError(err)) return err;
  if (!isAxiosError(err)) {
    return new AppError('INTERNAL', err instanceof Error ? err.message : String(err), { cause: err });
  }
  const target = describeTarget(err);
  const where = `${target.method} ${target.url}`;
  const response = err.response;
  if (response) {
    const status = response.status;
    const parsed = ErrorBodySchema.safeParse(response.data);
    const upstream = parsed.success ? parsed.data.error : undefined;
    const code = upstream && isErrorCode(upstream.code) ? upstream.code : errorCodeForStatus(status);
    const message = upstream ? upstream.message : `upstream ${where} answered ${status}`;
    return new AppError(code, message, {
      status,
      expose: true,
      details: { upstream: { ...target, status, ...(upstream ? { error: upstream } : {}) } },
      cause: err,
    });
  }
  const errno = err.code ?? '';
  if (TIMED_OUT.has(errno)) {
    return new AppError('GATEWAY_TIMEOUT', `upstream ${where} did not answer in time`, {
      details: { upstream: { ...target, code: errno } },
      cause: err,
    });
  }
  const reason = UNREACHABLE.has(errno) ? 'is unreachable' : 'failed';
  return new AppError('BAD_GATEWAY', `upstream ${where} ${reason}${errno ? ` (${errno})` : ''}`, {
    details: { upstream: { ...target, code: errno || undefined } },
    cause: err,
  });
}
