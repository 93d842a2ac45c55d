import { useQuery } from '@tanstack/react-query';
import { authRoutes, scopeGranted } from '@barfinex/contracts';
import type { ApiScope, WhoAmI } from '@barfinex/contracts';
import { useSession } from './session';

/** The signed-in token as the provider sees it (`GET /api/auth/whoami`), read once per session. */
export function useWhoAmI(): WhoAmI | undefined {
  const { client, token } = useSession();
  return useQuery({
    queryKey: ['whoami', token],
    queryFn: () => client.request(authRoutes.whoami, {}),
    staleTime: Infinity,
  }).data;
}

/** Why a control is disabled, for its title. */
export const needsScope = (scope: ApiScope): string => `needs a token with the "${scope}" scope`;

const CHECKING = 'checking what this token may do…';

/** What a write control needs: a scope, or the route definition it calls (which declares its scope). */
export type ScopeOf = ApiScope | { readonly scope: ApiScope };

/**
 * The gate of a write control. The provider refuses a call without its scope (403); the control
 * says so before it is pressed: disabled, with the missing scope as its title.
 */
export interface WriteGate {
  /** The token holds the scope (false while whoami is still loading). */
  allowed: boolean;
  /** Why the control is disabled: the missing scope, or that the token is still being checked. */
  reason: string | undefined;
  /** Props for the control: disabled without the scope or while `busy`, titled with the reason. */
  control(busy?: boolean): { disabled: boolean; title?: string };
}

/** The pure rule behind {@link useWriteGate}, for a token whose scopes are `held` (undefined: not known yet). */
export function writeGate(held: readonly ApiScope[] | undefined, what: ScopeOf): WriteGate {
  const scope = typeof what === 'string' ? what : what.scope;
  const allowed = held !== undefined && scopeGranted(held, scope);
  const reason = allowed ? undefined : held === undefined ? CHECKING : needsScope(scope);
  return {
    allowed,
    reason,
    control: (busy = false) => ({ disabled: !allowed || busy, ...(reason ? { title: reason } : {}) }),
  };
}

/**
 * The one scope check for write controls on every page. Pass the route the control calls, so the
 * scope comes from the contracts' route definition:
 *
 *   const cancel = useWriteGate(providerRoutes.closeOrder);
 *   <button {...cancel.control(mutation.isPending)} onClick={…}>Cancel</button>
 *
 * or a scope (`useWriteGate('configure')`); hide a control instead with `gate.allowed`.
 */
export function useWriteGate(what: ScopeOf): WriteGate {
  return writeGate(useWhoAmI()?.scopes, what);
}

/** Whether the token holds `scope` (false while it is not known yet). */
export function useCan(scope: ApiScope): boolean {
  return useWriteGate(scope).allowed;
}
