/**
 * A random v4 UUID from the Web Crypto API, which Node (20+) and browsers both expose as
 * `globalThis.crypto`: no `node:crypto` import, so the catalog and the envelope bundle for a browser.
 * `randomUUID` exists only in secure contexts (https, localhost); elsewhere the 16 random bytes
 * come from `getRandomValues`, which every context has (RFC 9562 §5.4 layout).
 */
export function randomUUID(): string {
  const c = globalThis.crypto;
  if (typeof c.randomUUID === 'function') return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
