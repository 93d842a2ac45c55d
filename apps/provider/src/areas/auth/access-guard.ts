import type { ApiScope, RouteDefinition } from '@barfinex/contracts';
import { scopeGranted } from '@barfinex/contracts';
import { AppError, AuthMessage, presentedToken } from '@barfinex/service-kit';
import type { TokenSources } from '@barfinex/service-kit';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { FailureThrottle, RateLimiter } from './rate-limit';
import type { Principal, Refusal, TokenStore } from './token-store';
import { BOOTSTRAP_TOKEN_ID } from './token-store';

export type DenyReason =
  'missing' | 'malformed' | 'invalid' | 'expired' | 'revoked' | 'scope' | 'restricted' | 'throttled' | 'rate_limited';

export interface AccessGuardDeps {
  store: TokenStore;
  /** Requests per token (bootstrap exempt unless `limitBootstrap`). */
  limiter: RateLimiter;
  /** Failed authentications per client address. */
  throttle: FailureThrottle;
  limitBootstrap: boolean;
  onDenied?: (reason: DenyReason) => void;
}

const REFUSAL_MESSAGE: Record<Refusal, string> = {
  invalid: AuthMessage.invalid,
  expired: 'API token expired',
  revoked: 'API token revoked',
};

function tooMany(retryAfter: number, why: string): AppError {
  return new AppError('RATE_LIMITED', why, { details: { retryAfterSeconds: retryAfter } });
}

const PRINCIPAL = 'principal';

/** The principal the guard admitted for this request (undefined on public paths). */
export function principalOf(res: Response): Principal | undefined {
  return res.locals[PRINCIPAL] as Principal | undefined;
}

/** The fields a restriction limits, wherever a route takes them (params, query or body). */
function restrictedValues(input: readonly unknown[]): { connectors: string[]; markets: string[]; symbols: string[] } {
  const found = { connectors: [] as string[], markets: [] as string[], symbols: [] as string[] };
  for (const part of input) {
    if (typeof part !== 'object' || part === null || Array.isArray(part)) continue;
    const rec = part as Record<string, unknown>;
    if (typeof rec['connectorType'] === 'string') found.connectors.push(rec['connectorType']);
    if (typeof rec['marketType'] === 'string') found.markets.push(rec['marketType']);
    if (typeof rec['symbol'] === 'string') found.symbols.push(rec['symbol'].toUpperCase());
    if (Array.isArray(rec['symbols']))
      for (const s of rec['symbols']) if (typeof s === 'string') found.symbols.push(s.toUpperCase());
  }
  return found;
}

/**
 * Who may do what: admits a request by its token (401), its client address (429 after repeated
 * failures) and its token's rate (429), then each route by the scope it declares (403) and the
 * token's restriction to connectors, markets and symbols (403). REST, the proxy's fast path and
 * Socket.IO decide through this one object.
 */
export function createAccessGuard(deps: AccessGuardDeps) {
  const deny = (reason: DenyReason, err: AppError): AppError => {
    deps.onDenied?.(reason);
    return err;
  };

  /** After the token is known: the per-token rate. */
  function metered(principal: Principal): Principal | AppError {
    if (principal.tokenId === BOOTSTRAP_TOKEN_ID && !deps.limitBootstrap) return principal;
    const wait = deps.limiter.take(principal.tokenId);
    return wait === 0
      ? principal
      : deny('rate_limited', tooMany(wait, `rate limit of token ${principal.name} exceeded; retry after ${wait} s`));
  }

  function refused(address: string, reason: Refusal | 'missing' | 'malformed'): AppError {
    deps.throttle.fail(address);
    const message =
      reason === 'missing'
        ? AuthMessage.missing
        : reason === 'malformed'
          ? AuthMessage.malformed
          : REFUSAL_MESSAGE[reason];
    return deny(reason, new AppError('UNAUTHORIZED', message));
  }

  /**
   * From memory only: the principal, the refusal, or `miss` when the token must be looked up in the
   * database (`admitAsync`).
   */
  function admit(sources: TokenSources, address: string): Principal | AppError | { miss: string } {
    const blocked = deps.throttle.blockedFor(address);
    if (blocked > 0)
      return deny(
        'throttled',
        tooMany(blocked, `too many failed authentications from this address; retry after ${blocked} s`),
      );
    const presented = presentedToken(sources);
    if (presented === undefined) return refused(address, 'missing');
    if (!('token' in presented)) return refused(address, 'malformed');
    const known = deps.store.lookup(presented.token);
    if (known === 'miss') return { miss: presented.token };
    return typeof known === 'string' ? refused(address, known) : metered(known);
  }

  async function admitAsync(sources: TokenSources, address: string): Promise<Principal | AppError> {
    const first = admit(sources, address);
    if (!('miss' in first)) return first;
    const resolved = await deps.store.resolve(first.miss);
    return typeof resolved === 'string' ? refused(address, resolved) : metered(resolved);
  }

  /** 403 unless the principal holds `scope` (admin holds every scope). */
  function requireScope(principal: Principal, scope: ApiScope): void {
    if (scopeGranted(principal.scopes, scope)) return;
    throw deny(
      'scope',
      new AppError(
        'FORBIDDEN',
        `this operation needs the "${scope}" scope; token ${principal.name} has ${principal.scopes.join(', ') || 'none'}`,
        {
          details: { requiredScope: scope, tokenScopes: principal.scopes, tokenId: principal.tokenId },
        },
      ),
    );
  }

  /** 403 when a request names a connector, market or symbol outside the token's restriction. */
  function requireWithin(principal: Principal, input: readonly unknown[]): void {
    const limit = principal.restrict;
    if (!limit) return;
    const named = restrictedValues(input);
    const axes = [
      ['connectors', named.connectors, limit.connectors],
      ['markets', named.markets, limit.markets],
      ['symbols', named.symbols, limit.symbols],
    ] as const;
    for (const [axis, values, allowed] of axes) {
      if (!allowed || allowed.length === 0) continue;
      const outside = values.filter((v) => !(allowed as readonly string[]).includes(v));
      if (outside.length > 0) {
        throw deny(
          'restricted',
          new AppError('FORBIDDEN', `token ${principal.name} is restricted to ${axis} ${allowed.join(', ')}`, {
            details: { restriction: axis, outside, allowed },
          }),
        );
      }
    }
  }

  return {
    admit,
    admitAsync,
    requireScope,
    requireWithin,

    /** Express: admits every request below its mount except `publicPaths`, and keeps its principal. */
    middleware(publicPaths: readonly RegExp[]): RequestHandler {
      return (req: Request, res: Response, next: NextFunction) => {
        if (publicPaths.some((p) => p.test(req.path))) return next();
        const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
        const sources = { headers: req.headers };
        const done = (result: Principal | AppError): void => {
          if (result instanceof AppError) {
            if (result.code === 'UNAUTHORIZED') res.setHeader('WWW-Authenticate', 'Bearer');
            if (result.code === 'RATE_LIMITED')
              res.setHeader('Retry-After', String((result.details as { retryAfterSeconds: number }).retryAfterSeconds));
            return next(result);
          }
          res.locals[PRINCIPAL] = result;
          next();
        };
        const first = admit(sources, address);
        if (!('miss' in first)) return done(first);
        admitAsync(sources, address).then(done, next);
      };
    },

    /** The typed router's check of one route: its scope, before the input is parsed. */
    authorizeRoute(def: RouteDefinition, res: Response): void {
      const principal = principalOf(res);
      if (def.auth && principal) requireScope(principal, def.scope);
    },
  };
}

export type AccessGuard = ReturnType<typeof createAccessGuard>;
