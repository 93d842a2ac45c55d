// Signed webhooks, both ways: the notifier signs what it sends, the provider's inbound hooks check
// what senders that can sign send. One header carries the time and the signature, so a receiver checks both at once and can refuse
// a replayed request: `X-Barfinex-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`
// (the scheme Stripe popularised; `v1` leaves room for another algorithm without breaking receivers).
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-barfinex-signature';

// "<t>." and the body go in as two updates: the same MAC as over their concatenation, without
// copying the body into a new string for every signature.
const hmac = (secret: string, unixSeconds: number, body: string | Uint8Array): string =>
  createHmac('sha256', secret).update(`${unixSeconds}.`).update(body).digest('hex');

/** The header value for `body` (a string is signed as its UTF-8 bytes) sent at `nowMs`. */
export function signBody(secret: string, body: string | Uint8Array, nowMs: number): string {
  const t = Math.floor(nowMs / 1000);
  return `t=${t},v1=${hmac(secret, t, body)}`;
}

export type SignatureVerdict =
  { ok: true; timestamp: number } | { ok: false; reason: 'malformed' | 'stale' | 'mismatch' };

/**
 * What a receiver does: parse the header, refuse a timestamp further than `toleranceMs` from its
 * clock (a replay), and compare every `v1` (a secret being rotated may sign twice) in constant time.
 */
export function verifySignature(
  header: string | undefined,
  secret: string,
  body: string,
  opts: { nowMs: number; toleranceMs?: number },
): SignatureVerdict {
  if (header === undefined) return { ok: false, reason: 'malformed' };
  const parts = header.split(',').map((p) => p.trim().split('='));
  const t = Number(parts.find(([k]) => k === 't')?.[1]);
  const candidates = parts
    .filter(([k, v]) => k === 'v1' && v !== undefined && /^[0-9a-f]{64}$/.test(v))
    .map(([, v]) => v as string);
  if (!Number.isSafeInteger(t) || candidates.length === 0) return { ok: false, reason: 'malformed' };
  if (Math.abs(opts.nowMs - t * 1000) > (opts.toleranceMs ?? 300_000)) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(hmac(secret, t, body), 'hex');
  const match = candidates.some((c) => timingSafeEqual(Buffer.from(c, 'hex'), expected));
  return match ? { ok: true, timestamp: t } : { ok: false, reason: 'mismatch' };
}
