import { isAppError } from '@barfinex/contracts';

// The request never left, or was refused before the server read it: safe to send again.
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_BAD_PORT']);

function upstreamCode(details: unknown): string | undefined {
  if (typeof details !== 'object' || details === null) return undefined;
  const upstream = (details as { upstream?: { code?: unknown } }).upstream;
  return typeof upstream?.code === 'string' ? upstream.code : undefined;
}

/**
 * True when a failed call may still have taken effect on the server: a timeout, a connection
 * dropped after the request went out, or a 5xx reply. The caller must not blindly send a
 * state-changing request again; it reconciles (e.g. looks the order up by its clientOrderId).
 */
export function isAmbiguousFailure(err: unknown): boolean {
  if (!isAppError(err)) return true;
  if (err.code === 'GATEWAY_TIMEOUT') return true;
  if (err.code === 'BAD_GATEWAY') {
    const code = upstreamCode(err.details);
    return !(code && NEVER_SENT.has(code));
  }
  return err.status >= 500 && err.status !== 501;
}

/** True when the provider could not be reached at all (nothing was sent). */
export function isUnreachable(err: unknown): boolean {
  if (!isAppError(err) || err.code !== 'BAD_GATEWAY') return false;
  const code = upstreamCode(err.details);
  return code !== undefined && NEVER_SENT.has(code);
}
