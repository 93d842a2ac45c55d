import http from 'node:http';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Router } from 'express';
import type { NextFunction, Request, Response } from 'express';
import { AppKeySchema } from '@barfinex/contracts';
import type { AppType } from '@barfinex/enums';
import { badGateway, badRequest, gatewayTimeout, getRequestContext, notFound } from '@barfinex/service-kit';
import type { ProxyTargetInfo } from '../registry/registry.service';
import { checkProxyRemainder } from './path-guard';
import { downstreamResponseHeaders, upstreamRequestHeaders } from './headers';

export const PROXY_PREFIXES = { advisors: 'advisor', inspectors: 'inspector', detectors: 'detector' } as const satisfies Record<string, AppType>;

export interface ProxyDeps {
  registry: { resolve(appType: AppType, appKey: string): Promise<ProxyTargetInfo> };
  /** PROVIDER_PROXY_TIMEOUT_MS: longest silence from the app (before or during its answer). */
  timeoutMs: number;
  /** Keep-alive agents by default; pass your own to share or to destroy them on shutdown. */
  agents?: { http: http.Agent; https: https.Agent };
}

/** Where a registered base URL points, parsed once per distinct URL rather than per call. */
interface Upstream {
  secure: boolean;
  /** For `http.request` (IPv6 literals without brackets). */
  hostname: string;
  port: number;
  /** For the `Host` header. */
  host: string;
  /** The base URL's own path, without trailing slashes (`/api` for `http://app/api/`). */
  basePath: string;
}

interface Target {
  appType: AppType;
  appKey: string;
  upstream: Upstream;
  path: string;
  prefix: string;
  apiToken?: string | undefined;
}

/** What the forwarder needs to know about the caller, from Express or from a bare Node request. */
export interface CallerInfo {
  proto: string;
  clientIp?: string | undefined;
  /** The mount point in front of `/:prefix/:appKey` (e.g. `/api`). */
  mount: string;
  /** Sent back in place of the app's echo; the fast path has not set it on the response. */
  correlationId?: string | undefined;
}

function parseUpstream(baseUrl: string): Upstream {
  const url = new URL(baseUrl);
  const secure = url.protocol === 'https:';
  return {
    secure,
    hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : secure ? 443 : 80,
    host: url.host,
    basePath: url.pathname.replace(/\/+$/, ''),
  };
}

/**
 * The caller's path as it arrived, split after `/:prefix/:appKey/`: Express decodes params, and the
 * guard must judge (and the app must receive) the original encoding.
 */
function splitRawUrl(rawUrl: string): { prefixSegment: string; keySegment: string; remainder: string; query: string } {
  const q = rawUrl.indexOf('?');
  const pathname = q === -1 ? rawUrl : rawUrl.slice(0, q);
  const second = pathname.indexOf('/', 1);
  const third = second === -1 ? -1 : pathname.indexOf('/', second + 1);
  if (third === -1) return { prefixSegment: pathname.slice(1, second === -1 ? undefined : second), keySegment: second === -1 ? '' : pathname.slice(second + 1), remainder: '', query: '' };
  return { prefixSegment: pathname.slice(1, second), keySegment: pathname.slice(second + 1, third), remainder: pathname.slice(third + 1), query: q === -1 ? '' : rawUrl.slice(q) };
}

function decodeKey(segment: string): string {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest('proxy path refused: malformed percent-encoding');
  }
}

function forward(deps: ProxyDeps, agents: NonNullable<ProxyDeps['agents']>, target: Target, caller: CallerInfo, req: IncomingMessage, res: ServerResponse, fail: (err: unknown) => void): void {
  const { upstream: to } = target;
  const outgoing = upstreamRequestHeaders(req.rawHeaders, { host: to.host, proto: caller.proto, prefix: target.prefix, apiToken: target.apiToken, clientIp: caller.clientIp, correlationId: caller.correlationId });
  let timedOut = false;
  let upstream: http.ClientRequest;
  try {
    upstream = (to.secure ? https : http).request({
      hostname: to.hostname,
      port: to.port,
      method: req.method,
      path: target.path,
      agent: to.secure ? agents.https : agents.http,
      headers: outgoing.headers,
    });
  } catch (err) {
    // Node refuses paths with characters it cannot send (ERR_UNESCAPED_CHARACTERS).
    fail(badRequest('proxy path refused: characters that must be percent-encoded', { cause: err instanceof Error ? err.message : String(err) }));
    return;
  }

  upstream.setTimeout(deps.timeoutMs, () => {
    timedOut = true;
    upstream.destroy();
  });

  upstream.on('error', (err: NodeJS.ErrnoException) => {
    if (res.headersSent) {
      res.destroy(err);
      return;
    }
    const who = { appType: target.appType, appKey: target.appKey };
    const label = `${target.appType} "${target.appKey}"`;
    if (timedOut) {
      fail(gatewayTimeout(`${label} did not answer within ${deps.timeoutMs} ms`, who));
      return;
    }
    fail(badGateway(`${label} is unreachable${err.code ? ` (${err.code})` : ''}`, { ...who, code: err.code }));
  });

  upstream.on('response', (incoming) => {
    res.writeHead(incoming.statusCode ?? 502, downstreamResponseHeaders(incoming.rawHeaders, caller.correlationId));
    // pipe, not stream.pipeline: pipeline builds an AbortController per call and aborting it makes
    // a DOMException with a stack trace, ~5 % of the provider's CPU per proxied call in a profile.
    incoming.once('error', () => {
      upstream.destroy();
      res.destroy();
    });
    incoming.pipe(res);
  });

  // A caller that goes away cancels the upstream call rather than leaving it to run out.
  res.once('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });

  if (!outgoing.hasBody) {
    // Nothing to stream (no length, no chunks): a pipe would only wait for the empty body's end.
    upstream.end();
    return;
  }
  req.once('error', () => upstream.destroy());
  req.pipe(upstream);
}

const PREFIX_OF = new Map<string, AppType>(Object.entries(PROXY_PREFIXES));

/** The app type a mount-relative URL proxies to, or undefined (`/detectors/key` alone is CRUD). */
export function proxiedAppType(url: string): AppType | undefined {
  const second = url.indexOf('/', 1);
  if (second === -1) return undefined;
  const appType = PREFIX_OF.get(url.slice(1, second));
  if (!appType) return undefined;
  const third = url.indexOf('/', second + 1);
  if (third === -1 || third === second + 1) return undefined;
  const rest = url.charCodeAt(third + 1);
  // Something must follow `/:appKey/`, as Express's `/*splat` requires.
  return Number.isNaN(rest) || rest === 63 /* ? */ ? undefined : appType;
}

export type ProxyHandler = (req: IncomingMessage, res: ServerResponse, url: string, caller: CallerInfo, fail: (err: unknown) => void) => void;

/** The proxy on bare Node objects, shared by the Express router and the provider's fast path. */
export function createProxyHandler(deps: ProxyDeps): ProxyHandler & { agents: NonNullable<ProxyDeps['agents']> } {
  const agents = deps.agents ?? { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  const upstreams = new Map<string, Upstream>();
  const upstreamOf = (baseUrl: string): Upstream => {
    let parsed = upstreams.get(baseUrl);
    if (parsed === undefined) {
      parsed = parseUpstream(baseUrl);
      // Base URLs change only when apps re-register elsewhere; the bound keeps a churn from growing it.
      if (upstreams.size >= 1024) upstreams.clear();
      upstreams.set(baseUrl, parsed);
    }
    return parsed;
  };

  /** `url` is relative to the mount point: `/detectors/det/signals?x=1`. */
  async function resolveTarget(appType: AppType, url: string, mount: string): Promise<Target> {
    const { prefixSegment, keySegment, remainder, query } = splitRawUrl(url);
    const appKey = decodeKey(keySegment);
    if (!AppKeySchema.safeParse(appKey).success) throw notFound(`${appType} "${appKey}"`, { appType, appKey });
    const safe = checkProxyRemainder(remainder);
    const info = await deps.registry.resolve(appType, appKey);
    const upstream = upstreamOf(info.baseUrl);
    return { appType, appKey, upstream, path: `${upstream.basePath}/${safe}${query}`, prefix: `${mount}/${prefixSegment}/${keySegment}`, apiToken: info.apiToken };
  }

  const handler: ProxyHandler = (req, res, url, caller, fail) => {
    const appType = proxiedAppType(url);
    if (!appType) {
      fail(notFound(`proxy route ${url.split('?')[0] ?? url}`));
      return;
    }
    resolveTarget(appType, url, caller.mount).then((target) => forward(deps, agents, target, caller, req, res, fail), fail);
  };
  return Object.assign(handler, { agents });
}

/**
 * `ALL /{advisors,inspectors,detectors}/:appKey/*splat` → the app registered under that key.
 * Mount it before any body parser: request and response bodies stream through untouched.
 */
export function createProxyRouter(deps: ProxyDeps): Router {
  const handle = createProxyHandler(deps);
  const router = Router();
  for (const prefix of Object.keys(PROXY_PREFIXES)) {
    router.all(`/${prefix}/:appKey/*splat`, (req: Request, res: Response, next: NextFunction) => {
      handle(req, res, req.url, { proto: req.protocol, clientIp: req.ip, mount: req.baseUrl, correlationId: getRequestContext(res)?.correlationId }, next);
    });
  }
  // Express fails to decode a malformed `%` escape in a param before any handler runs; that is
  // the caller's mistake (400), not ours.
  router.use((err: unknown, _req: Request, _res: Response, next: NextFunction) => {
    next(err instanceof URIError ? badRequest('proxy path refused: malformed percent-encoding') : err);
  });
  return router;
}
