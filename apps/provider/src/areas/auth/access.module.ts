import { randomBytes } from 'node:crypto';
import type { ApiScope, RouteDefinition } from '@barfinex/contracts';
import { proxyScope } from '@barfinex/contracts';
import type { Database, PrismaClient } from '@barfinex/db';
import { AppError } from '@barfinex/service-kit';
import type { Metrics } from '@barfinex/service-kit';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { Socket } from 'socket.io';
import type { EventPublisher } from '../../bus/publisher';
import type { ProviderConfig } from '../../config';
import type { RouteGuard, TypedRouter } from '../../http/typed-router';
import type { SocketPrincipal } from '../../ws/rooms';
import type { FastPathAccess } from '../proxy/fast-path';
import { proxiedAppType } from '../proxy/proxy';
import { createAccessGuard, principalOf } from './access-guard';
import type { DenyReason } from './access-guard';
import { createAuditRepository } from './audit.repository';
import { createAuditTrail } from './audit-trail';
import { APP_SCOPES, provisionAppTokens } from './app-tokens';
import type { PlatformApp } from './app-tokens';
import { auditHook, isAudited, noteDefinition, noteRoute, outcomeOf, targetIdsOf } from './audit-hook';
import { registerAuthRoutes } from './auth.routes';
import { createFailureThrottle, createRateLimiter } from './rate-limit';
import { createTokenStore } from './token-store';
import type { Principal } from './token-store';
import { createTokensRepository } from './tokens.repository';

export interface AccessDeps {
  config: ProviderConfig;
  prisma: PrismaClient;
  /** PostgreSQL's pg Pool, when there is one: the audit trail's batch insert goes straight to it. */
  pool?: Database['pool'];
  events: EventPublisher;
  metrics: Metrics;
  logger: Logger;
  now: () => number;
}

/** `/advisors/:appKey/<rest>` and its siblings: the proxy's routes, judged by method and path. */
const PROXY_SHAPE = /^\/([^/]+)\/([^/]+)\/(.+)$/;
const PROXIED = { exec: (path: string) => (proxiedAppType(path) ? PROXY_SHAPE.exec(path) : null) };

/**
 * Access control of the provider: scoped tokens (cached), the per-route scope and restriction
 * checks, rate limits, and the audit trail of every state-changing or denied request.
 */
export function createAccess(deps: AccessDeps) {
  const { config, now } = deps;
  const log = deps.logger.child({ component: 'access' });
  const denied = deps.metrics.counter({
    name: 'bfx_auth_denied_total',
    help: 'Requests and connections refused by access control, by reason',
    labelNames: ['reason'] as const,
  });
  const dropped = deps.metrics.counter({
    name: 'bfx_audit_records_dropped_total',
    help: 'Audit records dropped because the database stayed unreachable and the buffer filled',
  });
  let onRevoked: (tokenId: string) => void = () => undefined;
  const store = createTokenStore({
    repo: createTokensRepository(deps.prisma),
    // Unset must never mean open access: an unguessable value nobody holds.
    bootstrap: config.PROVIDER_API_TOKEN || randomBytes(32).toString('base64url'),
    now,
    onRevoked: (tokenId) => onRevoked(tokenId),
    announceRevoked: (token, by) =>
      deps.events.emit('PROVIDER_TOKEN_REVOKED', {
        tokenId: token.id,
        name: token.name,
        revokedAt: token.revokedAt ?? now(),
        revokedBy: by,
      }),
  });
  const throttle = createFailureThrottle({
    maxFailures: config.PROVIDER_AUTH_MAX_FAILURES,
    windowMs: config.PROVIDER_AUTH_FAILURE_WINDOW_MS,
    now,
  });
  const limiter = createRateLimiter({
    ratePerSec: config.PROVIDER_TOKEN_RATE_PER_SEC,
    burst: config.PROVIDER_TOKEN_RATE_BURST,
    now,
  });
  deps.metrics.gauge({
    name: 'bfx_auth_throttled_addresses',
    help: 'Client addresses refused for repeated failed authentication right now',
    collect() {
      this.set(throttle.blocked());
    },
  });
  const guard = createAccessGuard({
    store,
    limiter,
    throttle,
    limitBootstrap: config.PROVIDER_RATE_LIMIT_BOOTSTRAP,
    onDenied: (reason: DenyReason) => denied.inc({ reason }),
  });
  const auditRepo = createAuditRepository(deps.prisma, { pool: deps.pool });
  const trail = createAuditTrail({
    repo: auditRepo,
    announce: (record) => deps.events.emit('PROVIDER_AUDIT_RECORD', record),
    onError: (err, pending) => log.error({ err, pending }, 'audit records not written yet; retrying'),
    onDropped: (count) => dropped.inc(count),
    flushMs: config.AUDIT_FLUSH_MS,
  });

  const auditFailed = (err: unknown) => log.error({ err }, 'an audit record could not be built');
  const routeGuard: RouteGuard = {
    authorize(def, _req, res) {
      noteDefinition(res, def);
      guard.authorizeRoute(def, res);
    },
    admitted(_def, input, res) {
      noteRoute(res, res.locals['auditRoute'] as { method: string; path: string; operationId?: string }, () =>
        targetIdsOf(input.params, input.body, input.query),
      );
      const principal = principalOf(res);
      if (principal) guard.requireWithin(principal, [input.params, input.query, input.body]);
    },
  };

  /** The Express proxy's scope check: GET needs read, writes the target's write scope. */
  const proxyGuard: RequestHandler = (req: Request, res: Response, next) => {
    const m = PROXIED.exec(req.path);
    const principal = principalOf(res);
    if (!m || !principal) return next();
    const [, prefix = '', appKey = '', rest = ''] = m;
    noteRoute(res, { method: req.method, path: `/${prefix}/:appKey/*splat` }, { appKey, path: rest });
    try {
      guard.requireScope(principal, proxyScope(prefix, req.method, rest));
      next();
    } catch (err) {
      next(err);
    }
  };

  /** The same decisions for the proxy's fast path, which never enters Express. */
  const fastPath: FastPathAccess = {
    admit({ headers, method, relative, address }) {
      const admitted = guard.admit({ headers }, address);
      if ('miss' in admitted) return 'miss';
      if (admitted instanceof AppError) return admitted;
      const m = PROXIED.exec(relative.split('?')[0] ?? relative);
      try {
        if (m) guard.requireScope(admitted, proxyScope(m[1] ?? '', method, m[3] ?? ''));
      } catch (err) {
        return err as AppError;
      }
      return { admitted: true, principal: admitted };
    },
    finished({ method, url, status, address, correlationId, principal, relative }) {
      if (!isAudited(method, status)) return;
      const p = principal as Principal | undefined;
      const m = PROXIED.exec(relative.split('?')[0] ?? relative);
      trail.add({
        at: now(),
        tokenId: p?.tokenId ?? null,
        tokenName: p?.name ?? null,
        method,
        route: m ? `${method} /${m[1]}/:appKey/*splat` : `${method} ${url}`,
        operationId: null,
        path: url.split('?')[0] ?? url,
        targetIds: m ? { appKey: m[2] ?? '', path: m[3] ?? '' } : {},
        bodyDigest: null,
        status,
        outcome: outcomeOf(status),
        correlationId,
        clientAddress: address,
      });
    },
  };

  /** Socket.IO handshakes: a token as REST reads it (auth.token, headers or ?token=) holding `read`. */
  function socketAuth(socket: Socket, next: (err?: Error) => void): void {
    const { auth, headers, query } = socket.handshake;
    const refuse = (err: AppError) =>
      next(
        Object.assign(new Error(err.message), {
          data: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) },
        }),
      );
    guard
      .admitAsync({ auth: (auth as Record<string, unknown>)['token'], headers, query }, socket.handshake.address)
      .then((admitted) => {
        if (admitted instanceof AppError) return refuse(admitted);
        try {
          guard.requireScope(admitted, 'read');
        } catch (err) {
          return refuse(err as AppError);
        }
        const symbols = admitted.restrict?.symbols;
        const principal: SocketPrincipal = {
          tokenId: admitted.tokenId,
          expiresAt: admitted.expiresAt,
          ...(symbols && symbols.length > 0 ? { symbols } : {}),
        };
        (socket.data as { principal?: SocketPrincipal }).principal = principal;
        next();
      }, next);
  }

  let refreshTimer: NodeJS.Timeout | undefined;
  let usageTimer: NodeJS.Timeout | undefined;

  return {
    store,
    guard,
    routeGuard,
    trail,
    /** Mounted before the guard: every audited request gets its one record, refused ones included. */
    auditHook: auditHook({ add: (record) => trail.add(record), now, principal: principalOf, onError: auditFailed }),
    deniedAuditHook: auditHook({
      add: (record) => trail.add(record),
      now,
      principal: principalOf,
      onlyDenied: true,
      onError: auditFailed,
    }),
    tokenGuard: guard.middleware([/^\/health(\/|$)/]),
    proxyGuard,
    fastPath,
    socketAuth,
    /** Called with each revoked token id (here or on another instance): its sockets are closed. */
    onRevoked(listener: (tokenId: string) => void): void {
      onRevoked = listener;
    },
    /** A fresh least-privilege token for each app (`npm start` hands them out). */
    provisionAppTokens: () => provisionAppTokens(store, store.bootstrap),
    register(t: TypedRouter, operations: () => readonly RouteDefinition[]): void {
      registerAuthRoutes(t, { store, audit: { trail, repo: auditRepo }, operations });
    },
    async start(): Promise<void> {
      await store.refresh();
      for (const entry of config.PROVIDER_APP_TOKENS) {
        const [app = '', secret = ''] = entry.split('=');
        const scopes = APP_SCOPES[app as PlatformApp] as readonly ApiScope[] | undefined;
        if (!scopes)
          throw new Error(
            `PROVIDER_APP_TOKENS names an unknown app "${app}" (known: ${Object.keys(APP_SCOPES).join(', ')})`,
          );
        if (!(await store.adopt(`app:${app}`, scopes, secret)))
          log.error(
            { app },
            'the declared token of this app was revoked; set a new secret in PROVIDER_APP_TOKENS and in the app',
          );
      }
      trail.start();
      refreshTimer = setInterval(
        () => void store.refresh().catch((err: unknown) => log.warn({ err }, 'token cache refresh failed')),
        config.PROVIDER_TOKEN_REFRESH_MS,
      );
      refreshTimer.unref();
      usageTimer = setInterval(
        () => void store.flushUsage().catch((err: unknown) => log.warn({ err }, 'token last-used times not written')),
        60_000,
      );
      usageTimer.unref();
    },
    async stop(): Promise<void> {
      if (refreshTimer) clearInterval(refreshTimer);
      if (usageTimer) clearInterval(usageTimer);
      await trail.stop();
      await store.flushUsage().catch((err: unknown) => log.warn({ err }, 'token last-used times not written'));
    },
  };
}

export type Access = ReturnType<typeof createAccess>;
