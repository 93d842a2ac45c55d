import type { IncomingHttpHeaders } from 'node:http';
import type { RequestHandler } from 'express';
import { AppError } from '../errors/app-error';
import { extractToken, tokensMatch } from './token';

export const AuthMessage = {
  notConfigured: 'the server has no API token configured',
  missing: 'missing API token: send Authorization: Bearer <token> or x-api-token',
  invalid: 'invalid API token',
} as const;

/** Why a presented token was refused, or undefined when it is accepted. */
export function checkToken(expected: string | undefined, provided: string | undefined): string | undefined {
  // An unset token must never mean open access.
  if (expected === undefined || expected === '') return AuthMessage.notConfigured;
  if (provided === undefined) return AuthMessage.missing;
  return tokensMatch(provided, expected) ? undefined : AuthMessage.invalid;
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
  return (req, res, next) => {
    if (isPublic(req.path, publicPaths)) {
      next();
      return;
    }
    const provided = extractToken(req.headers, options.allowQueryToken ? (req.query as Record<string, unknown>) : undefined);
    const refusal = checkToken(options.token, provided);
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
 * x-api-token header, or as `?token=`. Refused clients get `connect_error` with `data.code`.
 */
export function socketTokenAuth(token: string | undefined) {
  return (socket: SocketHandshakeLike, next: (err?: SocketAuthError) => void): void => {
    const { auth, headers, query } = socket.handshake;
    const fromAuth = typeof auth['token'] === 'string' && auth['token'] !== '' ? auth['token'] : undefined;
    const refusal = checkToken(token, fromAuth ?? extractToken(headers, query));
    if (refusal === undefined) {
      next();
      return;
    }
    next(Object.assign(new Error(refusal), { data: { code: 'UNAUTHORIZED' as const, message: refusal } }));
  };
}
