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

/**
 * Whether the token holds `scope`: write controls are disabled without it (and while it is not
 * known yet), so a read-only token sees the page but no button that would answer 403.
 */
export function useCan(scope: ApiScope): boolean {
  const who = useWhoAmI();
  return who ? scopeGranted(who.scopes, scope) : false;
}

/** Why a control is disabled, for its title. */
export const needsScope = (scope: ApiScope): string => `needs a token with the "${scope}" scope`;
