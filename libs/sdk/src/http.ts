import { AppError, ErrorBodySchema, errorCodeForStatus, isErrorCode } from '@barfinex/contracts';

/**
 * The SDK's HTTP transport: the platform's `fetch` (Node 20+ and every browser), so a browser
 * bundle of the SDK carries no Node built-in and no axios agents. Node's fetch keeps connections
 * alive by itself and does not hold the process open while idle.
 */
export interface HttpRequest {
  method: string;
  /** Path below the base URL, already encoded. */
  url: string;
  query?: Readonly<Record<string, unknown>>;
  body?: unknown;
}

export interface HttpReply {
  status: number;
  data: unknown;
}

export interface HttpTransport {
  request(req: HttpRequest): Promise<HttpReply>;
  /** Aborts the calls still in flight. */
  close(): void;
}

export interface HttpTransportOptions {
  baseURL: string;
  timeoutMs: number;
  headers?: Readonly<Record<string, string>>;
  fetch?: typeof fetch;
}

// The request never reached the server or the connection broke: the same codes Node's sockets report.
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ERR_BAD_PORT',
]);

function queryString(query: Readonly<Record<string, unknown>> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

function causeCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    // Fetch refuses the ports of its "bad port" list before connecting (Fetch standard, §2.9 Port blocking).
    if ((current as { message?: unknown }).message === 'bad port') return 'ERR_BAD_PORT';
    const nested = (current as { errors?: unknown[] }).errors?.[0];
    current = nested ?? (current as { cause?: unknown }).cause;
  }
  return undefined;
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (text === '') return null;
  const type = res.headers.get('content-type') ?? '';
  if (!type.includes('json')) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** An error reply in the platform's error shape keeps its code; any other status gets the closest code. */
function replyError(method: string, url: string, status: number, data: unknown): AppError {
  const parsed = ErrorBodySchema.safeParse(data);
  const upstream = parsed.success ? parsed.data.error : undefined;
  const code = upstream && isErrorCode(upstream.code) ? upstream.code : errorCodeForStatus(status);
  const message = upstream ? upstream.message : `upstream ${method} ${url} answered ${status}`;
  return new AppError(code, message, {
    status,
    expose: true,
    details: { upstream: { method, url, status, ...(upstream ? { error: upstream } : {}) } },
  });
}

function transportError(method: string, url: string, err: unknown, timedOut: boolean): AppError {
  if (timedOut) {
    return new AppError('GATEWAY_TIMEOUT', `upstream ${method} ${url} did not answer in time`, {
      details: { upstream: { method, url, code: 'ETIMEDOUT' } },
      cause: err,
    });
  }
  const code = causeCode(err);
  const reason = code && UNREACHABLE.has(code) ? 'is unreachable' : 'failed';
  return new AppError('BAD_GATEWAY', `upstream ${method} ${url} ${reason}${code ? ` (${code})` : ''}`, {
    details: { upstream: { method, url, code } },
    cause: err,
  });
}

export function createHttpTransport(options: HttpTransportOptions): HttpTransport {
  const base = options.baseURL.replace(/\/+$/, '');
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const inFlight = new Set<AbortController>();

  const request = async (req: HttpRequest): Promise<HttpReply> => {
    const method = req.method.toUpperCase();
    // The query string is left out of error messages: it may carry a secret.
    const target = `${base}${req.url}`;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, options.timeoutMs);
    inFlight.add(controller);
    try {
      const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
      let body: string | undefined;
      if (req.body !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(req.body);
      }
      let res: Response;
      try {
        res = await doFetch(`${target}${queryString(req.query)}`, { method, headers, body, signal: controller.signal });
      } catch (err) {
        throw transportError(method, target, err, timedOut);
      }
      let data: unknown;
      try {
        data = await readBody(res);
      } catch (err) {
        throw transportError(method, target, err, timedOut);
      }
      if (res.status >= 400) throw replyError(method, target, res.status, data);
      return { status: res.status, data };
    } finally {
      clearTimeout(timer);
      inFlight.delete(controller);
    }
  };

  return {
    request,
    close(): void {
      for (const controller of inFlight) controller.abort();
      inFlight.clear();
    },
  };
}
