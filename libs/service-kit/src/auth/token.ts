import { hash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * What a request presented as its API token: a token, a credential that breaks the rule below
 * (`malformed`: refused with its own message rather than read some other way), or nothing.
 */
export type PresentedToken = { token: string } | { malformed: true } | undefined;

const MALFORMED = { malformed: true } as const;
/** Leading and trailing SP/HTAB are not part of a value (RFC 9110 §5.5), as for any header. */
const OWS = /^[ \t]+|[ \t]+$/g;
/** A token is one run of visible characters: no spaces, tabs or control characters. */
const TOKEN = /^[^\s\p{Cc}]+$/u;
/** `<scheme> 1*SP <rest>`: RFC 9110 §11.4 separates the scheme from its credentials by spaces only. */
const SCHEME = /^([^\s\p{Cc}]+)([ \t]+)(.*)$/su;

/**
 * The one rule for reading an API token, wherever it arrives (the Authorization and x-api-token
 * headers, Socket.IO's `auth.token`, `?token=`):
 *
 *   value = [ "Bearer" 1*SP ] token      (scheme case-insensitive, RFC 6750 §2.1 / RFC 9110 §11.1)
 *
 * so `Bearer t`, `bearer  t` and a bare `t` (the reference's clients send that) are the same token,
 * and `Bearer<TAB>t`, `Bearer`, `Bearer a b` are malformed. `kind: 'authorization'` lets another
 * scheme (e.g. `Basic …` from a proxy in front) pass as "not ours", so the next source is read;
 * anywhere else a second word is malformed.
 */
export function parseTokenValue(
  value: unknown,
  kind: 'authorization' | 'value' = 'value',
): PresentedToken | 'other-scheme' {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') return MALFORMED;
  const trimmed = value.replace(OWS, '');
  if (trimmed === '') return undefined;
  const parts = SCHEME.exec(trimmed);
  if (parts === null) {
    // One word: the token itself, unless it is only the scheme.
    return TOKEN.test(trimmed) && trimmed.toLowerCase() !== 'bearer' ? { token: trimmed } : MALFORMED;
  }
  const [, scheme = '', separator = '', rest = ''] = parts;
  if (scheme.toLowerCase() !== 'bearer') return kind === 'authorization' ? 'other-scheme' : MALFORMED;
  return !separator.includes('\t') && TOKEN.test(rest) ? { token: rest } : MALFORMED;
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Outside Authorization a second word is never another scheme, just a malformed value. */
const asValue = (read: PresentedToken | 'other-scheme'): PresentedToken => (read === 'other-scheme' ? MALFORMED : read);

/** Where a token may come from; the first source that presents anything decides. */
export interface TokenSources {
  /** Socket.IO's `handshake.auth.token` (read first: it is what the client set on purpose). */
  auth?: unknown;
  headers: Pick<IncomingHttpHeaders, 'authorization'> & { 'x-api-token'?: string | string[] | undefined };
  /** Only when `?token=` is accepted (Socket.IO, or REST with `allowQueryToken`). */
  query?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * The API token a request carries: `auth.token`, then `Authorization`, then `x-api-token`, then
 * `?token=` (only when a query is passed), each read by `parseTokenValue`. An Authorization header
 * with another scheme is not a token, and the next source is read.
 */
export function presentedToken(sources: TokenSources): PresentedToken {
  const fromAuth = asValue(parseTokenValue(sources.auth));
  if (fromAuth !== undefined) return fromAuth;
  const authorization = parseTokenValue(firstHeader(sources.headers.authorization), 'authorization');
  if (authorization !== undefined && authorization !== 'other-scheme') return authorization;
  const apiToken = asValue(parseTokenValue(firstHeader(sources.headers['x-api-token'])));
  if (apiToken !== undefined) return apiToken;
  const fromQuery = sources.query?.['token'];
  return asValue(parseTokenValue(Array.isArray(fromQuery) ? fromQuery[0] : fromQuery));
}

function digest(value: string): Buffer {
  return hash('sha256', value, 'buffer');
}

/** Constant-time comparison; hashing first makes the time independent of both lengths too. */
export function tokensMatch(provided: string, expected: string): boolean {
  return timingSafeEqual(digest(provided), digest(expected));
}

/** `tokensMatch` against one expected token, hashed once (for the per-request hot paths). */
export function createTokenMatcher(expected: string): (provided: string) => boolean {
  const expectedDigest = digest(expected);
  return (provided) => timingSafeEqual(digest(provided), expectedDigest);
}
