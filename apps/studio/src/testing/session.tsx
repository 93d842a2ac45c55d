import { render } from '@testing-library/react';
import type { RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ApiScope, WhoAmI } from '@barfinex/contracts';
import type { ProviderClient, ProviderSocket } from '@barfinex/sdk';
import { RouterProvider } from '../app/router';
import { ProvideSession } from '../app/session';
import type { Session } from '../app/session';
import { SettingsProvider } from '../app/settings';

const TOKEN = 'test-token';

/** A live socket that never emits: pages subscribe and unsubscribe as they would. */
const quietSocket = (): ProviderSocket =>
  ({
    socket: { connected: true, on: () => undefined, off: () => undefined },
    on: () => () => undefined,
    subscribe: async () => ({}),
    unsubscribe: async () => ({}),
    close: () => undefined,
  }) as unknown as ProviderSocket;

/**
 * Renders `ui` signed in with a token holding `scopes` (whoami already answered, as after the first
 * page), against `client`: only the methods the component calls need to exist.
 */
export function renderSignedIn(
  ui: ReactElement,
  {
    scopes,
    client = {},
    cached = [],
  }: {
    scopes: ApiScope[] | undefined;
    client?: Partial<Record<keyof ProviderClient, unknown>>;
    /** Query data already in the cache, as a page visited before left it. */
    cached?: [readonly unknown[], unknown][];
  },
): RenderResult & { queryClient: QueryClient } {
  // As in main.tsx: data stays fresh for 5 s, so a page mounted on cached data does not ask again unless it says so.
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false, staleTime: 5_000 }, mutations: { retry: false } },
  });
  for (const [key, data] of cached) queryClient.setQueryData(key, data);
  if (scopes) {
    const who: WhoAmI = {
      tokenId: 'tok-1',
      name: 'test',
      scopes,
      effectiveScopes: scopes,
      restrict: null,
      expiresAt: null,
      operations: [],
    };
    queryClient.setQueryData(['whoami', TOKEN], who);
  }
  const pending = new Promise<never>(() => undefined);
  const session: Session = {
    token: TOKEN,
    // whoami not answered yet: the request stays pending, as on a slow first load.
    client: { request: () => pending, ...client } as unknown as ProviderClient,
    live: quietSocket(),
    signOut: () => undefined,
  };
  const result = render(
    <SettingsProvider>
      <QueryClientProvider client={queryClient}>
        <RouterProvider>
          <ProvideSession value={session}>{ui}</ProvideSession>
        </RouterProvider>
      </QueryClientProvider>
    </SettingsProvider>,
  );
  return { ...result, queryClient };
}
