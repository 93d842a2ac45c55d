import { createHmac } from 'node:crypto';
import type { RateLimiter } from '../shared/rate-limiter';
import { createVenueHttp, VenueHttpError } from '../shared/venue-http';
import type { HttpMethod } from '../shared/venue-http';
import { BINANCE_PATHS } from './binance-hosts';
import type { BinanceMarket } from './binance-hosts';

export type Params = Record<string, string | number | boolean | undefined>;

export interface BinanceCredentials {
  apiKey: string;
  apiSecret: string;
}

export interface BinanceRestOptions {
  baseUrl: string;
  market: BinanceMarket;
  credentials?: BinanceCredentials;
  limiter: RateLimiter;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  timeoutMs: number;
  recvWindowMs: number;
  backoffMs?: number;
}

export function signQuery(query: string, secret: string): string {
  return createHmac('sha256', secret).update(query).digest('hex');
}

export function encode(params: Params): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.append(k, String(v));
  return q.toString();
}

/** Binance REST: public, API-key and HMAC-signed requests with the server clock offset applied. */
export function createBinanceRest(options: BinanceRestOptions) {
  const paths = BINANCE_PATHS[options.market];
  let offsetMs = 0;
  const http = createVenueHttp({
    baseUrl: options.baseUrl,
    timeoutMs: options.timeoutMs,
    limiter: options.limiter,
    now: options.now,
    sleep: options.sleep,
    ...(options.backoffMs !== undefined ? { backoffMs: options.backoffMs } : {}),
    errorOf: (body) =>
      body && typeof body === 'object' && 'code' in body
        ? { code: String((body as { code: unknown }).code), message: String((body as { msg?: unknown }).msg ?? '') }
        : undefined,
    onHeaders: (h) => {
      const used = Number(h['x-mbx-used-weight-1m']);
      if (Number.isFinite(used)) options.limiter.observeUsed(60_000, used);
    },
  });

  function creds(): BinanceCredentials {
    if (!options.credentials)
      throw new VenueHttpError(401, 'NO_CREDENTIALS', `no API key configured for binance ${options.market}`);
    return options.credentials;
  }

  function publicGet<T>(path: string, params: Params, weight: number): Promise<T> {
    return http.request<T>({ method: 'GET', path, weight, build: () => ({ query: encode(params) }) });
  }

  function keyed<T>(method: HttpMethod, path: string, params: Params, weight: number): Promise<T> {
    const { apiKey } = creds();
    return http.request<T>({
      method,
      path,
      weight,
      build: () => ({ query: encode(params), headers: { 'X-MBX-APIKEY': apiKey } }),
    });
  }

  /** `sent` receives the timestamp of each attempt, so an unknown outcome knows when recvWindow runs out. */
  async function signed<T>(
    method: HttpMethod,
    path: string,
    params: Params,
    weight: number,
    opts: { unsafe?: boolean; sent?: (ts: number) => void } = {},
  ): Promise<T> {
    const { apiKey, apiSecret } = creds();
    const send = () =>
      http.request<T>({
        method,
        path,
        weight,
        ...(opts.unsafe ? { unsafe: true } : {}),
        build: () => {
          const timestamp = Math.round(options.now() + offsetMs);
          opts.sent?.(timestamp);
          const query = encode({ ...params, recvWindow: options.recvWindowMs, timestamp });
          return { query: `${query}&signature=${signQuery(query, apiSecret)}`, headers: { 'X-MBX-APIKEY': apiKey } };
        },
      });
    try {
      return await send();
    } catch (err) {
      // -1021: our clock drifted from the venue's; resynchronise once and resend (the venue refused the first).
      if (!(err instanceof VenueHttpError) || err.code !== '-1021') throw err;
      await syncTime();
      return send();
    }
  }

  async function syncTime(): Promise<number> {
    const before = options.now();
    const { serverTime } = await publicGet<{ serverTime: number }>(paths.time, {}, 1);
    const after = options.now();
    offsetMs = serverTime - Math.round((before + after) / 2);
    return offsetMs;
  }

  return { paths, publicGet, keyed, signed, syncTime, offset: () => offsetMs, close: () => http.close() };
}

export type BinanceRest = ReturnType<typeof createBinanceRest>;
