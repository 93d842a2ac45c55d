import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Router } from 'express';
import type { NextFunction, Request, Response } from 'express';
import { AppKeySchema } from '@barfinex/contracts';
import type { AppType } from '@barfinex/enums';
import { AppError, badRequest, getRequestContext, notFound } from '@barfinex/service-kit';
import type { ProxyTargetInfo } from '../registry/registry.service';
import { checkProxyRemainder } from './path-guard';
import { createUpstreamClient, forward } from './forward';
import type { ForwardCall } from './forward';
import { upstreamRequestHeaders } from './headers';
import type { UpstreamClient } from './upstream';

export const PROXY_PREFIXES = {
  advisors: 'advisor',
  inspectors: 'inspector',
  detectors: 'detector',
  notifiers: 'notifier',
} as const satisfies Record<string, AppType>;

export interface ProxyDeps {
  registry: {
    resolve(appType: AppType, appKey: string): Promise<ProxyTargetInfo>;
    /** The answer without waiting when the registry has it cached; undefined otherwise. */
    resolveCached?(appType: AppType, appKey: string): ProxyTargetInfo | undefined;
  };
  /** PROVIDER_PROXY_TIMEOUT_MS: longest silence from the app (before or during its answer). */
  timeoutMs: number;
  /** Keep-alive connection pools to the apps; made on first use when omitted (then `close()` closes it). */
  upstream?: UpstreamClient;
  /**
   * This provider's name in the `Via` header (`proxyPseudonym()`): a proxied request that arrives
   * already naming it went round a loop and is refused with 508. One per process, shared by the
   * fast path and the Express router; a fresh one when omitted.
   */
  via?: string;
}

/** A `Via` received-by name for one provider process: random, so two providers never share it. */
export function proxyPseudonym(): string {
  return `barfinex-${randomBytes(6).toString('hex')}`;
}

/**
 * 508 Loop Detected (RFC 5842, the status proxies use for this): the app's address leads back here.
 * The vocabulary's BAD_GATEWAY code (what failed is the route to the app), with the proxy's status.
 */
function loopDetected(appType: AppType, appKey: string): AppError {
  return new AppError(
    'BAD_GATEWAY',
    `proxy loop: ${appType} "${appKey}" is registered at an address that leads back to this provider`,
    { status: 508, details: { appType, appKey, reason: 'LOOP_DETECTED' } },
  );
}

/** Where a registered base URL points, parsed once per distinct URL rather than per call. */
interface Upstream {
  /** `http://host:port`. */
  origin: string;
  /** For the `Host` header. */
  host: string;
  /** The base URL's own path, without trailing slashes (`/api` for `http://app/api/`). */
  basePath: string;
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
  return { origin: url.origin, host: url.host, basePath: url.pathname.replace(/\/+$/, '') };
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
  if (third === -1)
    return {
      prefixSegment: pathname.slice(1, second === -1 ? undefined : second),
      keySegment: second === -1 ? '' : pathname.slice(second + 1),
      remainder: '',
      query: '',
    };
  return {
    prefixSegment: pathname.slice(1, second),
    keySegment: pathname.slice(second + 1, third),
    remainder: pathname.slice(third + 1),
    query: q === -1 ? '' : rawUrl.slice(q),
  };
}

function decodeKey(segment: string): string {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest('proxy path refused: malformed percent-encoding');
  }
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

export type ProxyHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  url: string,
  caller: CallerInfo,
  fail: (err: unknown) => void,
) => void;

/** The proxy on bare Node objects, shared by the Express router and the provider's fast path. */
export function createProxyHandler(deps: ProxyDeps): ProxyHandler & { close(): Promise<void> } {
  let own: UpstreamClient | undefined;
  // The proxy timeout bounds connecting too: an app that accepts no connection is silent as well.
  const upstream = (): UpstreamClient => deps.upstream ?? (own ??= createUpstreamClient({ timeoutMs: deps.timeoutMs }));
  const upstreams = new Map<string, Upstream>();
  const by = deps.via ?? proxyPseudonym();
  // Keys already found valid, so the contract's schema runs once per key rather than per call.
  const validKeys = new Set<string>();
  const isAppKey = (appKey: string): boolean => {
    if (validKeys.has(appKey)) return true;
    if (!AppKeySchema.safeParse(appKey).success) return false;
    if (validKeys.size >= 1024) validKeys.clear();
    validKeys.add(appKey);
    return true;
  };
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

  /** `url` is relative to the mount point: `/detectors/det/signals?x=1`. Throws the 400/404 refusals. */
  function parseCall(appType: AppType, url: string) {
    const { prefixSegment, keySegment, remainder, query } = splitRawUrl(url);
    const appKey = decodeKey(keySegment);
    if (!isAppKey(appKey)) throw notFound(`${appType} "${appKey}"`, { appType, appKey });
    return { appType, appKey, prefixSegment, keySegment, remainder: checkProxyRemainder(remainder), query };
  }

  function buildCall(
    req: IncomingMessage,
    parsed: ReturnType<typeof parseCall>,
    info: ProxyTargetInfo,
    caller: CallerInfo,
  ): ForwardCall {
    const upstream = upstreamOf(info.baseUrl);
    const { headers, hasBody, loop } = upstreamRequestHeaders(req.rawHeaders, {
      host: upstream.host,
      proto: caller.proto,
      prefix: `${caller.mount}/${parsed.prefixSegment}/${parsed.keySegment}`,
      apiToken: info.apiToken,
      clientIp: caller.clientIp,
      correlationId: caller.correlationId,
      via: { protocol: req.httpVersion || '1.1', by },
    });
    if (loop) throw loopDetected(parsed.appType, parsed.appKey);
    return {
      appType: parsed.appType,
      appKey: parsed.appKey,
      origin: upstream.origin,
      path: `${upstream.basePath}/${parsed.remainder}${parsed.query}`,
      headers,
      hasBody,
      correlationId: caller.correlationId,
    };
  }

  const handler: ProxyHandler = (req, res, url, caller, fail) => {
    const appType = proxiedAppType(url);
    if (!appType) {
      fail(notFound(`proxy route ${url.split('?')[0] ?? url}`));
      return;
    }
    const ctx = { timeoutMs: deps.timeoutMs, fail };
    const send = (known: ReturnType<typeof parseCall>, target: ProxyTargetInfo): void => {
      let call: ForwardCall;
      try {
        call = buildCall(req, known, target, caller);
      } catch (err) {
        fail(err);
        return;
      }
      forward(upstream(), call, req, res, ctx);
    };
    let parsed: ReturnType<typeof parseCall>;
    let info: ProxyTargetInfo | undefined;
    try {
      parsed = parseCall(appType, url);
      // A cached registry answer is used at once; otherwise the registry is asked.
      info = deps.registry.resolveCached?.(appType, parsed.appKey);
    } catch (err) {
      fail(err);
      return;
    }
    if (info !== undefined) {
      send(parsed, info);
      return;
    }
    const known = parsed;
    deps.registry
      .resolve(appType, known.appKey)
      .then((target) => send(known, target))
      .catch(fail);
  };
  return Object.assign(handler, { close: async () => own?.close() });
}

/**
 * `ALL /{advisors,inspectors,detectors,notifiers}/:appKey/*splat` → the app registered under that key.
 * Mount it before any body parser: request and response bodies stream through untouched.
 */
export function createProxyRouter(deps: ProxyDeps): Router {
  const handle = createProxyHandler(deps);
  const router = Router();
  for (const prefix of Object.keys(PROXY_PREFIXES)) {
    router.all(`/${prefix}/:appKey/*splat`, (req: Request, res: Response, next: NextFunction) => {
      handle(
        req,
        res,
        req.url,
        {
          proto: req.protocol,
          clientIp: req.ip,
          mount: req.baseUrl,
          correlationId: getRequestContext(res)?.correlationId,
        },
        next,
      );
    });
  }
  // Express fails to decode a malformed `%` escape in a param before any handler runs; that is
  // the caller's mistake (400), not ours.
  router.use((err: unknown, _req: Request, _res: Response, next: NextFunction) => {
    next(err instanceof URIError ? badRequest('proxy path refused: malformed percent-encoding') : err);
  });
  return router;
}
