import type { IncomingHttpHeaders } from 'node:http';
import type { RequestHandler } from 'express';
import { AppError } from '@barfinex/contracts';
import { createTokenMatcher, presentedToken } from './token';
import type { PresentedToken } from './token';

export const AuthMessage = {
  notConfigured: 'the server has no API token configured',
  missing: 'missing API token: send Authorization: Bearer <token> or x-api-token',
  malformed:
    'malformed API token: send Authorization: Bearer <token> (scheme and token separated by spaces) or x-api-token: <token>',
  invalid: 'invalid API token',
} as const;

/**
 * The guard's decision for one expected token (hashed once): why a presented token is refused, or
 * undefined when it is accepted. Every reader of tokens (REST, Socket.IO, the provider's proxy fast
 * path, the apps) decides through this.
 */
export function createTokenCheck(expected: string | undefined): (presented: PresentedToken) => string | undefined {
  // An unset token must never mean open access.
  if (expected === undefined || expected === '') return () => AuthMessage.notConfigured;
  const matches = createTokenMatcher(expected);
  return (presented) => {
    if (presented === undefined) return AuthMessage.missing;
    if (!('token' in presented)) return AuthMessage.malformed;
    return matches(presented.token) ? undefined : AuthMessage.invalid;
  };
}

export interface TokenAuthOptions {
  token: string | undefined;
  /**
   * Paths served without a token, matched against `req.path` (relative to where the middleware is
   * mounted). A string matches itself and everything below it ('/docs' covers '/docs/x.css').
   */
  publicPaths?: readonly (string | RegExp)[];
  /** Also accept `?token=`; off by default because URLs end up in logs. */
  allowQueryToken?: boolean;
}

function isPublic(path: string, publicPaths: readonly (string | RegExp)[]): boolean {
  return publicPaths.some((p) =>
    typeof p === 'string' ? path === p || path.startsWith(p.endsWith('/') ? p : `${p}/`) : p.test(path),
  );
}

export function tokenAuth(options: TokenAuthOptions): RequestHandler {
  const publicPaths = options.publicPaths ?? [];
  const check = createTokenCheck(options.token);
  return (req, res, next) => {
    if (isPublic(req.path, publicPaths)) {
      next();
      return;
    }
    const refusal = check(
      presentedToken({
        headers: req.headers,
        query: options.allowQueryToken ? (req.query as Record<string, unknown>) : undefined,
      }),
    );
    if (refusal === undefined) {
      next();
      return;
    }
    res.setHeader('WWW-Authenticate', 'Bearer');
    next(new AppError('UNAUTHORIZED', refusal));
  };
}

/** The parts of a Socket.IO socket the guard reads; structural, so this lib needs no socket.io. */
export interface SocketHandshakeLike {
  handshake: {
    auth: Readonly<Record<string, unknown>>;
    headers: IncomingHttpHeaders;
    query: Readonly<Record<string, unknown>>;
  };
}

export type SocketAuthError = Error & { data: { code: 'UNAUTHORIZED'; message: string } };

/**
 * Socket.IO `io.use()` guard: the token may come as `auth.token`, in the Authorization or
 * x-api-token header, or as `?token=`, read by the same rule as REST's. Refused clients get
 * `connect_error` with `data.code`.
 */
export function socketTokenAuth(token: string | undefined) {
  const check = createTokenCheck(token);
  return (socket: SocketHandshakeLike, next: (err?: SocketAuthError) => void): void => {
    const { auth, headers, query } = socket.handshake;
    const refusal = check(presentedToken({ auth: auth['token'], headers, query }));
    if (refusal === undefined) {
      next();
      return;
    }
    next(Object.assign(new Error(refusal), { data: { code: 'UNAUTHORIZED' as const, message: refusal } }));
  };
}
