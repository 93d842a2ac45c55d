import { badRequest } from '@barfinex/service-kit';

const MAX_DECODE_ROUNDS = 4;
// `http:`, `javascript:`, `C:` ... at the start of what would become the upstream path.
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
const CONTROL = /[\u0000-\u001f\u007f]/;

const refuse = (why: string, remainder: string) => badRequest(`proxy path refused: ${why}`, { path: remainder });

/**
 * Checks the part of a proxied path after `/:appKey/` and returns it as received (still
 * percent-encoded), so the app sees exactly what the caller sent. Every form the target could
 * resolve outside its own routes is refused — `..`/`.` segments, however often percent-encoded,
 * backslashes, empty segments (`//host`) and a leading scheme — rather than normalised, because
 * a normalisation that disagrees with the app's is how traversal gets through.
 */
export function checkProxyRemainder(raw: string): string {
  if (raw.length === 0) throw refuse('empty path', raw);
  let decoded = raw;
  for (let round = 0; ; round += 1) {
    if (decoded.includes('\\')) throw refuse('backslash', raw);
    let next: string;
    try {
      next = decodeURIComponent(decoded);
    } catch {
      throw refuse('malformed percent-encoding', raw);
    }
    if (next === decoded) break;
    if (round === MAX_DECODE_ROUNDS) throw refuse('too many levels of percent-encoding', raw);
    decoded = next;
  }
  if (CONTROL.test(decoded)) throw refuse('control character', raw);
  if (SCHEME.test(decoded)) throw refuse('a second scheme', raw);
  const segments = decoded.split('/');
  segments.forEach((segment, i) => {
    // A trailing slash is an ordinary path; an empty segment anywhere else is `//`.
    if (segment === '' && i !== segments.length - 1) throw refuse('empty path segment', raw);
    if (segment === '.' || segment === '..') throw refuse('dot segment', raw);
  });
  return raw;
}
