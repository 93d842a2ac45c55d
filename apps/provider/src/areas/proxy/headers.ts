// Headers are filtered as Node's flat raw lists (`[name, value, name, value, ...]`): reading
// `req.headers` makes Node build (and merge) an object per message, and an object given to
// `setHeader`/`request` is validated and copied once more. A raw list goes out as it came in.

/** `[name, value, name, value, ...]`, as `IncomingMessage.rawHeaders` and `writeHead` take it. */
export type RawHeaders = string[];

// RFC 9110 §7.6.1 connection-specific fields, plus the legacy ones proxies still meet.
const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
];

/**
 * Credentials for the provider itself; the app gets its own (or none). `expect` is dropped because
 * the provider already answered `100-continue` to the caller. The `x-forwarded-*` fields are the
 * provider's to write (`x-forwarded-for` is extended, the others replaced).
 */
const CALLER_ONLY = [
  'authorization',
  'x-api-token',
  'cookie',
  'host',
  'expect',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
  'x-forwarded-prefix',
];

/** `via` is the provider's to extend: each proxy on the way adds itself (RFC 9110 §7.6.3). */
const DROP_UPSTREAM = new Set([...HOP_BY_HOP, ...CALLER_ONLY, 'via']);
const DROP_DOWNSTREAM = new Set(HOP_BY_HOP);
const CORRELATION = 'x-correlation-id';
const DIGITS = /^\d{1,15}$/;

/**
 * Further fields named in `Connection` (hop-by-hop by declaration), or undefined when it names only
 * the usual `keep-alive`/`close`.
 */
function connectionTokens(value: string | undefined): Set<string> | undefined {
  if (value === undefined || value === 'keep-alive' || value === 'close') return undefined;
  let named: Set<string> | undefined;
  for (const part of value.split(',')) {
    const token = part.trim().toLowerCase();
    if (token === '' || token === 'keep-alive' || token === 'close') continue;
    (named ??= new Set()).add(token);
  }
  return named;
}

/** Removes the fields a `Connection` header declared hop-by-hop (rare: only then is the list walked twice). */
function withoutNamed(out: RawHeaders, named: Set<string> | undefined): RawHeaders {
  if (named === undefined) return out;
  const kept: RawHeaders = [];
  for (let i = 0; i < out.length; i += 2)
    if (!named.has((out[i] as string).toLowerCase())) kept.push(out[i] as string, out[i + 1] as string);
  return kept;
}

const join = (prior: string | undefined, value: string, separator: string) =>
  prior === undefined ? value : `${prior}${separator}${value}`;

export interface ForwardContext {
  host: string;
  apiToken?: string | undefined;
  clientIp?: string | undefined;
  proto: string;
  prefix: string;
  /** Sent in place of the caller's `x-correlation-id` (which the provider found unfit or absent). */
  correlationId?: string | undefined;
  /** This provider's entry in `Via` (`1.1 barfinex-…`); a request already naming it came round a loop. */
  via: { protocol: string; by: string };
}

/** More proxies than this on one request's way is taken as a loop through proxies that are not this one. */
export const MAX_VIA_HOPS = 16;

/** Whether a `Via` value names `by` as a proxy it passed, or lists more than `MAX_VIA_HOPS` of them. */
function viaLoops(via: string, by: string): boolean {
  const entries = via.split(',');
  if (entries.length >= MAX_VIA_HOPS) return true;
  // An entry is `received-protocol received-by [comment]`.
  return entries.some((entry) => entry.trim().split(/[ \t]+/)[1] === by);
}

/** What the forwarder needs to know about the caller's request besides the headers to send on. */
export interface UpstreamRequestHeaders {
  headers: RawHeaders;
  /** The request carries a body (a length above zero, or chunked framing). */
  hasBody: boolean;
  /** The request has been through this provider already (its `Via` names it): sending it on would loop. */
  loop: boolean;
}

export function upstreamRequestHeaders(raw: readonly string[], ctx: ForwardContext): UpstreamRequestHeaders {
  let out: RawHeaders = [];
  let connection: string | undefined;
  let forwardedFor: string | undefined;
  let callerHost: string | undefined;
  let via: string | undefined;
  let chunked = false;
  let length: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    const value = raw[i + 1] as string;
    const lower = name.toLowerCase();
    if (!DROP_UPSTREAM.has(lower)) {
      if (lower === 'content-length') length = value;
      else if (lower === CORRELATION && ctx.correlationId !== undefined) continue;
      out.push(name, value);
      continue;
    }
    if (lower === 'connection') connection = join(connection, value, ',');
    else if (lower === 'transfer-encoding') chunked = true;
    else if (lower === 'x-forwarded-for') forwardedFor = join(forwardedFor, value, ', ');
    else if (lower === 'host') callerHost ??= value;
    else if (lower === 'via') via = join(via, value, ', ');
  }
  out = withoutNamed(out, connectionTokens(connection));
  // Framing is per hop: a body with a length keeps it, and one without (chunked from the caller)
  // is sent chunked again by the client, whatever the method.
  out.push('host', ctx.host);
  if (ctx.apiToken) out.push('authorization', `Bearer ${ctx.apiToken}`);
  if (ctx.clientIp) out.push('x-forwarded-for', join(forwardedFor, ctx.clientIp, ', '));
  else if (forwardedFor !== undefined) out.push('x-forwarded-for', forwardedFor);
  out.push('x-forwarded-proto', ctx.proto);
  if (callerHost !== undefined) out.push('x-forwarded-host', callerHost);
  out.push('x-forwarded-prefix', ctx.prefix);
  if (ctx.correlationId !== undefined) out.push(CORRELATION, ctx.correlationId);
  out.push('via', join(via, `${ctx.via.protocol} ${ctx.via.by}`, ', '));
  return {
    headers: out,
    hasBody: chunked || (length !== undefined && length !== '0'),
    loop: via !== undefined && viaLoops(via, ctx.via.by),
  };
}

/**
 * The app's response headers for the caller, and its declared length (undefined: none, or not a
 * plain number). With `correlationId`, the provider's id is sent instead of whatever the app echoed
 * (the app received the same id, so they normally agree).
 */
export function downstreamResponseHeaders(
  raw: readonly string[],
  correlationId?: string,
): { headers: RawHeaders; contentLength: number | undefined } {
  let out: RawHeaders = [];
  let connection: string | undefined;
  let contentLength: number | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    const value = raw[i + 1] as string;
    const lower = name.toLowerCase();
    if (DROP_DOWNSTREAM.has(lower)) {
      if (lower === 'connection') connection = join(connection, value, ',');
      continue;
    }
    if (correlationId !== undefined && lower === CORRELATION) continue;
    if (lower === 'content-length') contentLength = DIGITS.test(value) ? Number(value) : undefined;
    out.push(name, value);
  }
  out = withoutNamed(out, connectionTokens(connection));
  if (correlationId !== undefined) out.push(CORRELATION, correlationId);
  return { headers: out, contentLength };
}
