import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Logger } from 'pino';
import { AppError, checkToken, extractToken, toAppError, toPublicErrorBody } from '@barfinex/service-kit';
import type { Metrics } from '@barfinex/service-kit';
import { createProxyHandler, proxiedAppType } from './proxy';
import type { ProxyDeps } from './proxy';

export interface ProxyFastPathDeps extends ProxyDeps {
  token: string | undefined;
  logger: Logger;
  httpDuration: Metrics['httpDuration'];
  proxyErrors: { inc(labels: { appType: string; code: string }): void };
}

const MOUNT = '/api';
const SAFE_ID = /^[\w.:-]{1,128}$/;

/**
 * Proxied calls skip Express: they need the token check, a correlation id, a log line and a metric,
 * and nothing else Express does (no parsing, no routing table walk). The Express router stays
 * mounted for anything this does not take. Returns false when the request is not a proxy call.
 */
export function createProxyFastPath(deps: ProxyFastPathDeps) {
  const handle = createProxyHandler(deps);
  return Object.assign(
    (req: IncomingMessage, res: ServerResponse): boolean => {
      const url = req.url ?? '';
      if (!url.startsWith(`${MOUNT}/`)) return false;
      const relative = url.slice(MOUNT.length);
      const appType = proxiedAppType(relative);
      if (!appType) return false;

      const started = performance.now();
      const incoming = req.headers['x-correlation-id'];
      const correlationId = typeof incoming === 'string' && SAFE_ID.test(incoming) ? incoming : randomUUID();
      // The app sees the same id, so one request can be followed through both logs.
      req.headers['x-correlation-id'] = correlationId;
      res.setHeader('x-correlation-id', correlationId);
      res.once('finish', () => {
        const durationMs = performance.now() - started;
        deps.httpDuration.observe({ method: req.method ?? 'GET', route: `${MOUNT}/${appType}s/:appKey/*splat`, status: String(res.statusCode) }, durationMs / 1000);
        deps.logger.info({ method: req.method, path: url.split('?')[0], status: res.statusCode, durationMs: Math.round(durationMs * 10) / 10, correlationId }, 'request completed');
      });

      const fail = (err: unknown): void => {
        const appError = toAppError(err);
        if (appError.status >= 500) deps.proxyErrors.inc({ appType, code: appError.code });
        if (res.headersSent) {
          res.destroy();
          return;
        }
        const body = JSON.stringify(toPublicErrorBody(appError));
        if (appError.code === 'UNAUTHORIZED') res.setHeader('WWW-Authenticate', 'Bearer');
        res.writeHead(appError.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      };

      const refusal = checkToken(deps.token, extractToken(req.headers));
      if (refusal !== undefined) {
        fail(new AppError('UNAUTHORIZED', refusal));
        return true;
      }
      const encrypted = (req.socket as Partial<TLSSocket>).encrypted === true;
      handle(req, res, relative, { proto: encrypted ? 'https' : 'http', clientIp: req.socket.remoteAddress, mount: MOUNT }, fail);
      return true;
    },
    { agents: handle.agents },
  );
}
