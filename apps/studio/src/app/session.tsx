import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { isAppError } from '@barfinex/contracts';
import { connectProviderSocket, createProviderClient } from '@barfinex/sdk';
import type { ProviderClient, ProviderSocket } from '@barfinex/sdk';

const TOKEN_KEY = 'barfinex.studio.token';
const REASON_KEY = 'barfinex.studio.signout';

export interface Session {
  token: string;
  client: ProviderClient;
  live: ProviderSocket;
  signOut(reason?: string): void;
}

const SessionContext = createContext<Session | null>(null);

/** The provider is the page's own origin: no CORS, no second port. */
export const providerOrigin = (): string => window.location.origin;

export function makeClient(token: string): ProviderClient {
  return createProviderClient({ baseUrl: providerOrigin(), token, timeoutMs: 15_000 });
}

/** A 401 from any call, or a refused socket handshake, ends the session with the reason. */
type Listener = (reason: string) => void;
const unauthorizedListeners = new Set<Listener>();
export function reportIfUnauthorized(err: unknown): void {
  if (isAppError(err) && err.status === 401) {
    for (const l of unauthorizedListeners) l(`The provider refused the token (401): ${err.message}`);
  }
}

export function readToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function takeSignOutReason(): string | null {
  const reason = sessionStorage.getItem(REASON_KEY);
  sessionStorage.removeItem(REASON_KEY);
  return reason;
}

function setWsState(state: string): void {
  document.documentElement.dataset['ws'] = state;
}

export function SessionProvider({
  children,
  signIn,
}: {
  children: ReactNode;
  signIn: (done: (token: string) => void) => ReactNode;
}) {
  const [token, setToken] = useState<string | null>(readToken);
  const signOut = useCallback((reason?: string) => {
    sessionStorage.removeItem(TOKEN_KEY);
    if (reason) sessionStorage.setItem(REASON_KEY, reason);
    setToken(null);
  }, []);

  useEffect(() => {
    const l: Listener = (reason) => signOut(reason);
    unauthorizedListeners.add(l);
    return () => void unauthorizedListeners.delete(l);
  }, [signOut]);

  const session = useMemo<Session | null>(() => {
    if (!token) return null;
    const client = makeClient(token);
    const live = connectProviderSocket({ baseUrl: providerOrigin(), token, resume: false, timeoutMs: 15_000 });
    return { token, client, live, signOut };
  }, [token, signOut]);

  useEffect(() => {
    if (!session) return;
    const { socket } = session.live;
    setWsState('connecting');
    const onConnect = () => setWsState('connected');
    const onDisconnect = () => setWsState('disconnected');
    const onError = (err: Error) => {
      setWsState('disconnected');
      if (/unauthori[sz]ed|token/i.test(err.message))
        signOut(`The provider refused the token on the live connection: ${err.message}`);
    };
    socket.on('connect', onConnect);
    socket.on('disconnect', onDisconnect);
    socket.on('connect_error', onError);
    // On localhost the socket can be connected before this effect runs.
    if (socket.connected) onConnect();
    return () => {
      socket.off('connect', onConnect);
      socket.off('disconnect', onDisconnect);
      socket.off('connect_error', onError);
      session.live.close();
      session.client.close();
    };
  }, [session, signOut]);

  if (!session) {
    return (
      <>
        {signIn((t) => {
          sessionStorage.setItem(TOKEN_KEY, t);
          setToken(t);
        })}
      </>
    );
  }
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

/** Provides a session made elsewhere: component tests give pages a fake client and socket this way. */
export const ProvideSession = SessionContext.Provider;

export function useSession(): Session {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
