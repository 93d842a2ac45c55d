import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

// RFC 9110 §7.6.1 connection-specific fields, plus the legacy ones proxies still meet.
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade'];

/**
 * Credentials for the provider itself; the app gets its own (or none). `expect` is dropped because
 * the provider already answered `100-continue` to the caller.
 */
const CALLER_ONLY = ['authorization', 'x-api-token', 'cookie', 'host', 'expect'];

function connectionTokens(headers: IncomingHttpHeaders): string[] {
  const value = headers.connection;
  return (Array.isArray(value) ? value.join(',') : (value ?? '')).split(',').map((t) => t.trim().toLowerCase()).filter(Boolean);
}

function without(headers: IncomingHttpHeaders, drop: Set<string>): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !drop.has(name)) out[name] = value;
  return out;
}

export interface ForwardContext {
  host: string;
  apiToken?: string;
  clientIp?: string;
  proto: string;
  callerHost?: string;
  prefix: string;
}

export function upstreamRequestHeaders(headers: IncomingHttpHeaders, ctx: ForwardContext): OutgoingHttpHeaders {
  const out = without(headers, new Set([...HOP_BY_HOP, ...CALLER_ONLY, ...connectionTokens(headers)]));
  out['host'] = ctx.host;
  // Framing is per hop, but a chunked body must stay chunked: Node sends DELETE/GET bodies
  // without any framing unless told.
  if (headers['transfer-encoding'] !== undefined && headers['content-length'] === undefined) out['transfer-encoding'] = 'chunked';
  if (ctx.apiToken) out['authorization'] = `Bearer ${ctx.apiToken}`;
  if (ctx.clientIp) {
    const prior = headers['x-forwarded-for'];
    out['x-forwarded-for'] = prior ? `${Array.isArray(prior) ? prior.join(', ') : prior}, ${ctx.clientIp}` : ctx.clientIp;
  }
  out['x-forwarded-proto'] = ctx.proto;
  if (ctx.callerHost) out['x-forwarded-host'] = ctx.callerHost;
  out['x-forwarded-prefix'] = ctx.prefix;
  return out;
}

export function downstreamResponseHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  return without(headers, new Set([...HOP_BY_HOP, ...connectionTokens(headers)]));
}
