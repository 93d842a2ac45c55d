import http from 'node:http';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Router } from 'express';
import type { NextFunction, Request, Response } from 'express';
import { AppKeySchema } from '@barfinex/contracts';
import type { AppType } from '@barfinex/enums';
import { badGateway, badRequest, gatewayTimeout, notFound } from '@barfinex/service-kit';
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

interface Target {
  appType: AppType;
  appKey: string;
  url: URL;
  path: string;
  prefix: string;
  apiToken?: string;
}

/** What the forwarder needs to know about the caller, from Express or from a bare Node request. */
export interface CallerInfo {
  proto: string;
  clientIp?: string | undefined;
  /** The mount point in front of `/:prefix/:appKey` (e.g. `/api`). */
  mount: string;
}

/**
 * The caller's path as it arrived, split after `/:prefix/:appKey/`: Express decodes params, and the
 * guard must judge (and the app must receive) the original encoding.
 */
function splitRawUrl(rawUrl: string): { prefixSegment: string; keySegment: string; remainder: string; query: string } {
  const q = rawUrl.indexOf('?');
  const pathname = q === -1 ? rawUrl : rawUrl.slice(0, q);
  const [, prefixSegment = '', keySegment = '', ...rest] = pathname.split('/');
  return { prefixSegment, keySegment, remainder: rest.join('/'), query: q === -1 ? '' : rawUrl.slice(q) };
}

function decodeKey(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest('proxy path refused: malformed percent-encoding');
  }
}

/** `url` is relative to the mount point: `/detectors/det/signals?x=1`. */
async function resolveTarget(deps: ProxyDeps, appType: AppType, url: string, mount: string): Promise<Target> {
  const { prefixSegment, keySegment, remainder, query } = splitRawUrl(url);
  const appKey = decodeKey(keySegment);
  if (!AppKeySchema.safeParse(appKey).success) throw notFound(`${appType} "${appKey}"`, { appType, appKey });
  const safe = checkProxyRemainder(remainder);
  const info = await deps.registry.resolve(appType, appKey);
  const target = new URL(info.baseUrl);
  return {
    appType,
    appKey,
    url: target,
    path: `${target.pathname.replace(/\/+$/, '')}/${safe}${query}`,
    prefix: `${mount}/${prefixSegment}/${keySegment}`,
    ...(info.apiToken ? { apiToken: info.apiToken } : {}),
  };
}

function forward(deps: ProxyDeps, agents: NonNullable<ProxyDeps['agents']>, target: Target, caller: CallerInfo, req: IncomingMessage, res: ServerResponse, fail: (err: unknown) => void): void {
  const secure = target.url.protocol === 'https:';
  const label = `${target.appType} "${target.appKey}"`;
  let timedOut = false;
  let upstream: http.ClientRequest;
  try {
    upstream = (secure ? https : http).request({
      hostname: target.url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: target.url.port || (secure ? 443 : 80),
      method: req.method,
      path: target.path,
      agent: secure ? agents.https : agents.http,
      headers: upstreamRequestHeaders(req.headers, {
        host: target.url.host,
        proto: caller.proto,
        prefix: target.prefix,
        ...(target.apiToken ? { apiToken: target.apiToken } : {}),
        ...(caller.clientIp ? { clientIp: caller.clientIp } : {}),
        ...(req.headers.host ? { callerHost: req.headers.host } : {}),
      }),
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
    if (timedOut) {
      fail(gatewayTimeout(`${label} did not answer within ${deps.timeoutMs} ms`, { appType: target.appType, appKey: target.appKey }));
      return;
    }
    fail(badGateway(`${label} is unreachable${err.code ? ` (${err.code})` : ''}`, { appType: target.appType, appKey: target.appKey, code: err.code }));
  });

  upstream.on('response', (incoming) => {
    res.statusCode = incoming.statusCode ?? 502;
    for (const [name, value] of Object.entries(downstreamResponseHeaders(incoming.headers))) if (value !== undefined) res.setHeader(name, value);
    // pipe, not stream.pipeline: pipeline builds an AbortController per call and aborting it makes
    // a DOMException with a stack trace, ~5 % of the provider's CPU per proxied call in a profile.
    incoming.once('error', () => {
      upstream.destroy();
      res.destroy();
    });
    incoming.pipe(res);
  });

  // A caller that goes away cancels the upstream call rather than leaving it to run out.
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });

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
  const handler: ProxyHandler = (req, res, url, caller, fail) => {
    const appType = proxiedAppType(url);
    if (!appType) {
      fail(notFound(`proxy route ${url.split('?')[0] ?? url}`));
      return;
    }
    resolveTarget(deps, appType, url, caller.mount).then((target) => forward(deps, agents, target, caller, req, res, fail), fail);
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
      handle(req, res, req.url, { proto: req.protocol, clientIp: req.ip, mount: req.baseUrl }, next);
    });
  }
  // Express fails to decode a malformed `%` escape in a param before any handler runs; that is
  // the caller's mistake (400), not ours.
  router.use((err: unknown, _req: Request, _res: Response, next: NextFunction) => {
    next(err instanceof URIError ? badRequest('proxy path refused: malformed percent-encoding') : err);
  });
  return router;
}
