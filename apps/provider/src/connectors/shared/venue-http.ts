import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import axios from 'axios';
import type { AxiosResponse } from 'axios';
import type { RateLimiter } from './rate-limiter';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface VenueRequest {
  method: HttpMethod;
  path: string;
  weight: number;
  /** Built per attempt, so a retry carries a fresh timestamp and signature. */
  build?: () => { query?: string; headers?: Record<string, string>; body?: unknown };
  /**
   * true for requests that change venue state without an idempotency guarantee (order
   * placement): a lost reply means an unknown outcome, reported, never retried blindly.
   */
  unsafe?: boolean;
}

/** The venue answered with an error status; `code` is the venue's own code when it sent one. */
export class VenueHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'VenueHttpError';
  }
}

/** The request may or may not have been executed (timeout, dropped connection, 5xx). */
export class UnknownOutcomeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnknownOutcomeError';
  }
}

export interface VenueHttpOptions {
  baseUrl: string;
  timeoutMs: number;
  limiter: RateLimiter;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  maxRetries?: number;
  /** Backoff for 429/418 without Retry-After and for retried network failures. */
  backoffMs?: number;
  onHeaders?: (headers: Record<string, string>) => void;
  /** Extracts the venue's error code and message from an error body. */
  errorOf?: (body: unknown) => { code: string; message: string } | undefined;
}

export interface VenueHttp {
  request<T>(req: VenueRequest): Promise<T>;
  close(): void;
}

function headerMap(res: AxiosResponse): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) if (v !== undefined && v !== null) out[k.toLowerCase()] = String(v);
  return out;
}

export function createVenueHttp(options: VenueHttpOptions): VenueHttp {
  const maxRetries = options.maxRetries ?? 4;
  const backoff = options.backoffMs ?? 1000;
  const keepAlive = { keepAlive: true, maxSockets: 16 };
  const httpAgent = new HttpAgent(keepAlive);
  const httpsAgent = new HttpsAgent(keepAlive);
  const client = axios.create({
    baseURL: options.baseUrl,
    timeout: options.timeoutMs,
    validateStatus: () => true,
    httpAgent,
    httpsAgent,
    maxRedirects: 0,
  });

  async function attempt(req: VenueRequest): Promise<AxiosResponse> {
    const built = req.build?.() ?? {};
    const url = built.query ? `${req.path}?${built.query}` : req.path;
    return client.request({
      method: req.method,
      url,
      ...(built.headers ? { headers: built.headers } : {}),
      ...(built.body !== undefined ? { data: built.body } : {}),
    });
  }

  async function request<T>(req: VenueRequest): Promise<T> {
    for (let n = 0; ; n++) {
      await options.limiter.acquire(req.weight);
      let res: AxiosResponse;
      try {
        res = await attempt(req);
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        if (req.unsafe) throw new UnknownOutcomeError(`${req.method} ${req.path}: ${reason}`);
        if (n >= maxRetries) throw new VenueHttpError(0, 'NETWORK', `${req.method} ${req.path}: ${reason}`);
        await options.sleep(backoff * 2 ** n);
        continue;
      }
      const headers = headerMap(res);
      options.onHeaders?.(headers);
      if (res.status >= 200 && res.status < 300) return res.data as T;
      const venue = options.errorOf?.(res.data) ?? {
        code: String(res.status),
        message: typeof res.data === 'string' ? res.data : JSON.stringify(res.data),
      };
      if (res.status === 429 || res.status === 418) {
        // The venue refused without executing, so a retry after the pause cannot duplicate anything.
        const retryAfter = Number(headers['retry-after']);
        const waitMs = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : backoff * 2 ** n;
        options.limiter.blockUntil(options.now() + waitMs);
        if (n >= maxRetries) throw new VenueHttpError(res.status, venue.code, venue.message);
        continue;
      }
      if (res.status >= 500 && req.unsafe)
        throw new UnknownOutcomeError(`${req.method} ${req.path}: HTTP ${res.status} ${venue.message}`);
      if (res.status >= 500 && n < maxRetries) {
        await options.sleep(backoff * 2 ** n);
        continue;
      }
      throw new VenueHttpError(res.status, venue.code, venue.message);
    }
  }

  return {
    request,
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
