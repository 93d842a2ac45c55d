import http from 'node:http';
import https from 'node:https';
import { pipeline } from 'node:stream';
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

async function resolveTarget(deps: ProxyDeps, appType: AppType, req: Request): Promise<Target> {
  const appKey = String(req.params['appKey'] ?? '');
  if (!AppKeySchema.safeParse(appKey).success) throw notFound(`${appType} "${appKey}"`, { appType, appKey });
  const { prefixSegment, keySegment, remainder, query } = splitRawUrl(req.url);
  const safe = checkProxyRemainder(remainder);
  const info = await deps.registry.resolve(appType, appKey);
  const url = new URL(info.baseUrl);
  return {
    appType,
    appKey,
    url,
    path: `${url.pathname.replace(/\/+$/, '')}/${safe}${query}`,
    prefix: `${req.baseUrl}/${prefixSegment}/${keySegment}`,
    ...(info.apiToken ? { apiToken: info.apiToken } : {}),
  };
}

function forward(deps: ProxyDeps, agents: NonNullable<ProxyDeps['agents']>, target: Target, req: Request, res: Response, next: NextFunction): void {
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
        proto: req.protocol,
        prefix: target.prefix,
        ...(target.apiToken ? { apiToken: target.apiToken } : {}),
        ...(req.ip ? { clientIp: req.ip } : {}),
        ...(req.headers.host ? { callerHost: req.headers.host } : {}),
      }),
    });
  } catch (err) {
    // Node refuses paths with characters it cannot send (ERR_UNESCAPED_CHARACTERS).
    next(badRequest('proxy path refused: characters that must be percent-encoded', { cause: err instanceof Error ? err.message : String(err) }));
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
      next(gatewayTimeout(`${label} did not answer within ${deps.timeoutMs} ms`, { appType: target.appType, appKey: target.appKey }));
      return;
    }
    next(badGateway(`${label} is unreachable${err.code ? ` (${err.code})` : ''}`, { appType: target.appType, appKey: target.appKey, code: err.code }));
  });

  upstream.on('response', (incoming) => {
    res.status(incoming.statusCode ?? 502);
    for (const [name, value] of Object.entries(downstreamResponseHeaders(incoming.headers))) if (value !== undefined) res.setHeader(name, value);
    pipeline(incoming, res, (err) => {
      if (err) upstream.destroy();
    });
  });

  // A caller that goes away cancels the upstream call rather than leaving it to run out.
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });

  pipeline(req, upstream, () => undefined);
}

/**
 * `ALL /{advisors,inspectors,detectors}/:appKey/*splat` → the app registered under that key.
 * Mount it before any body parser: request and response bodies stream through untouched.
 */
export function createProxyRouter(deps: ProxyDeps): Router {
  const agents = deps.agents ?? { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  const router = Router();
  for (const [prefix, appType] of Object.entries(PROXY_PREFIXES)) {
    router.all(`/${prefix}/:appKey/*splat`, (req, res, next) => {
      resolveTarget(deps, appType, req).then((target) => forward(deps, agents, target, req, res, next), next);
    });
  }
  // Express fails to decode a malformed `%` escape in a param before any handler runs; that is
  // the caller's mistake (400), not ours.
  router.use((err: unknown, _req: Request, _res: Response, next: NextFunction) => {
    next(err instanceof URIError ? badRequest('proxy path refused: malformed percent-encoding') : err);
  });
  return router;
}
