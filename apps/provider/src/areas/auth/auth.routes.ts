import { authRoutes as r, buildPage, effectiveScopes, scopeGranted } from '@barfinex/contracts';
import type { RouteDefinition } from '@barfinex/contracts';
import { AppError } from '@barfinex/service-kit';
import type { Response } from 'express';
import type { TypedRouter } from '../../http/typed-router';
import { reply } from '../../http/typed-router';
import { principalOf } from './access-guard';
import type { AuditRepository } from './audit.repository';
import type { AuditTrail } from './audit-trail';
import type { Principal, TokenStore } from './token-store';

export interface AuthRoutesDeps {
  store: TokenStore;
  audit: { trail: AuditTrail; repo: AuditRepository };
  /** Every operation the provider serves, for `whoami`'s list (read when asked: routes mount later). */
  operations: () => readonly RouteDefinition[];
}

function caller(res: Response): Principal {
  const principal = principalOf(res);
  // The guard runs before every route here; reaching one without a principal is a wiring fault.
  if (!principal) throw new AppError('UNAUTHORIZED', 'no API token on this request');
  return principal;
}

export function registerAuthRoutes(t: TypedRouter, deps: AuthRoutesDeps): void {
  t.add(r.createToken, async ({ body, res }) => reply(201, await deps.store.create(body, caller(res))));
  t.add(r.listTokens, () => deps.store.list());
  t.add(r.revokeToken, ({ params, res }) => deps.store.revoke(params.id, caller(res)));
  t.add(r.whoami, ({ res }) => {
    const p = caller(res);
    return {
      tokenId: p.tokenId,
      name: p.name,
      scopes: [...p.scopes],
      effectiveScopes: effectiveScopes(p.scopes),
      restrict: p.restrict,
      expiresAt: p.expiresAt,
      operations: deps
        .operations()
        .filter((def) => scopeGranted(p.scopes, def.scope))
        .map((def) => def.operationId ?? `${def.method} ${def.path}`),
    };
  });
  t.add(r.audit, async ({ query, req }) => {
    // What this instance still holds in memory is written first, so a caller sees its own requests.
    await deps.audit.trail.flush();
    const { items, total } = await deps.audit.repo.page(query);
    return buildPage(items, total, {
      path: req.baseUrl + req.path,
      page: query.page,
      limit: query.limit,
      query: {
        tokenId: query.tokenId,
        operationId: query.operationId,
        outcome: query.outcome,
        method: query.method,
        from: query.from,
        to: query.to,
      },
    });
  });
}
