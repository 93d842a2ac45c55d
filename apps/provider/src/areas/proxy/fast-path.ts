import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import { AppError, createTokenCheck, presentedToken, toAppError, toPublicErrorBody } from '@barfinex/service-kit';
import type { Metrics } from '@barfinex/service-kit';
import { PROXY_PREFIXES, createProxyHandler, proxiedAppType } from './proxy';
import type { ProxyDeps } from './proxy';

/**
 * Access control of a proxied call: the token, its scope for this method and path, its rate;
 * `miss` hands the call to the Express stack (a token this instance has not cached yet).
 */
export interface FastPathAccess {
  admit(call: {
    headers: CallerHeaders;
    method: string;
    relative: string;
    address: string;
  }): AppError | 'miss' | { admitted: true; principal: unknown };
  /** Called once the answer is finished, with what `admit` answered. */
  finished(call: {
    method: string;
    url: string;
    status: number;
    address: string;
    correlationId: string;
    principal: unknown;
    relative: string;
  }): void;
}

export interface ProxyFastPathDeps extends ProxyDeps {
  /** Without it, only PROVIDER_API_TOKEN (`token`) is accepted, as before scoped tokens. */
  access?: FastPathAccess;
  token?: string | undefined;
  logger: Logger;
  httpDuration: Metrics['httpDuration'];
  proxyErrors: { inc(labels: { appType: string; code: string }): void };
}

const MOUNT = '/api';
const SAFE_ID = /^[\w.:-]{1,128}$/;

/** The few request headers the fast path reads itself, found in one pass over the raw list. */
export type CallerHeaders = Pick<IncomingHttpHeaders, 'authorization'> & {
  'x-api-token'?: string;
  'x-correlation-id'?: string;
};

// Duplicates are merged as Node merges them into `req.headers` (first Authorization wins; others
// are joined), so the fast path judges a request exactly as the Express stack would.
function readCallerHeaders(raw: readonly string[]): CallerHeaders {
  const found: CallerHeaders = {};
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    // Lengths first: most names are neither, and need no lower-casing.
    if (name.length === 13) {
      if (found.authorization === undefined && name.toLowerCase() === 'authorization') found.authorization = raw[i + 1];
    } else if (name.length === 11) {
      if (name.toLowerCase() === 'x-api-token')
        found['x-api-token'] =
          found['x-api-token'] === undefined ? raw[i + 1] : `${found['x-api-token']}, ${raw[i + 1]}`;
    } else if (name.length === 16 && name.toLowerCase() === 'x-correlation-id') {
      found['x-correlation-id'] =
        found['x-correlation-id'] === undefined ? raw[i + 1] : `${found['x-correlation-id']}, ${raw[i + 1]}`;
    }
  }
  return found;
}

/**
 * Proxied calls skip Express: they need the token check, a correlation id, a log line and a metric,
 * and nothing else Express does (no parsing, no routing table walk, no header objects: the raw
 * header list is read once). The Express router stays mounted for anything this does not take.
 * Returns false when the request is not a proxy call.
 */
export function createProxyFastPath(deps: ProxyFastPathDeps) {
  const handle = createProxyHandler(deps);
  const checkToken = createTokenCheck(deps.token);
  const routes = new Map(
    Object.entries(PROXY_PREFIXES).map(([prefix, appType]) => [appType, `${MOUNT}/${prefix}/:appKey/*splat`]),
  );
  return Object.assign(
    (req: IncomingMessage, res: ServerResponse): boolean => {
      const url = req.url ?? '';
      if (!url.startsWith(`${MOUNT}/`)) return false;
      const relative = url.slice(MOUNT.length);
      const appType = proxiedAppType(relative);
      if (!appType) return false;

      const started = performance.now();
      const caller = readCallerHeaders(req.rawHeaders);
      const method = req.method ?? 'GET';
      const address = req.socket.remoteAddress ?? 'unknown';
      const admitted = deps.access?.admit({ headers: caller, method, relative, address });
      if (admitted === 'miss') return false;
      const incoming = caller['x-correlation-id'];
      // The app sees the same id, so one request can be followed through both logs.
      const correlationId = incoming !== undefined && SAFE_ID.test(incoming) ? incoming : randomUUID();
      res.once('finish', () => {
        deps.access?.finished({
          method,
          url,
          status: res.statusCode,
          address,
          correlationId,
          principal: admitted && !(admitted instanceof AppError) ? admitted.principal : undefined,
          relative,
        });
        const durationMs = performance.now() - started;
        deps.httpDuration.observe(
          { method: req.method ?? 'GET', route: routes.get(appType) ?? '', status: String(res.statusCode) },
          durationMs / 1000,
        );
        if (deps.logger.isLevelEnabled('info')) {
          const q = url.indexOf('?');
          deps.logger.info(
            {
              method: req.method,
              path: q === -1 ? url : url.slice(0, q),
              status: res.statusCode,
              durationMs: Math.round(durationMs * 10) / 10,
              correlationId,
            },
            'request completed',
          );
        }
      });

      const fail = (err: unknown): void => {
        const appError = toAppError(err);
        if (appError.status >= 500) deps.proxyErrors.inc({ appType, code: appError.code });
        if (res.headersSent) {
          res.destroy();
          return;
        }
        const body = JSON.stringify(toPublicErrorBody(appError));
        const headers: Record<string, string | number> = {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(body),
          'x-correlation-id': correlationId,
        };
        if (appError.code === 'UNAUTHORIZED') headers['www-authenticate'] = 'Bearer';
        const retryAfter = (appError.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
        if (appError.code === 'RATE_LIMITED' && typeof retryAfter === 'number')
          headers['retry-after'] = String(retryAfter);
        res.writeHead(appError.status, headers);
        res.end(body);
      };

      if (admitted instanceof AppError) {
        fail(admitted);
        return true;
      }
      // The service kit's rule, as REST and Socket.IO read it.
      const refusal = admitted ? undefined : checkToken(presentedToken({ headers: caller }));
      if (refusal !== undefined) {
        fail(new AppError('UNAUTHORIZED', refusal));
        return true;
      }
      const encrypted = (req.socket as Partial<TLSSocket>).encrypted === true;
      handle(
        req,
        res,
        relative,
        { proto: encrypted ? 'https' : 'http', clientIp: req.socket.remoteAddress, mount: MOUNT, correlationId },
        fail,
      );
      return true;
    },
    { close: handle.close },
  );
}
