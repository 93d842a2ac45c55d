import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

function firstHeader(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  const trimmed = first?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

/**
 * The API token a request carries, from `Authorization: Bearer <t>`, a bare `Authorization: <t>`,
 * `x-api-token: <t>`, or — only when a query object is passed — `?token=<t>`, in that order.
 * An Authorization header with another scheme (e.g. Basic) is not a token.
 */
export function extractToken(
  headers: IncomingHttpHeaders,
  query?: Readonly<Record<string, unknown>>,
): string | undefined {
  const authorization = firstHeader(headers.authorization);
  if (authorization !== undefined) {
    const bearer = BEARER.exec(authorization);
    if (bearer) return bearer[1];
    if (!/\s/.test(authorization)) return authorization;
  }
  const apiToken = firstHeader(headers['x-api-token']);
  if (apiToken !== undefined) return apiToken;
  const fromQuery = query?.['token'];
  const queryToken = Array.isArray(fromQuery) ? fromQuery[0] : fromQuery;
  return typeof queryToken === 'string' && queryToken !== '' ? queryToken : undefined;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Constant-time comparison; hashing first makes the time independent of both lengths too. */
export function tokensMatch(provided: string, expected: string): boolean {
  return timingSafeEqual(digest(provided), digest(expected));
}
