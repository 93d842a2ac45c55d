import type { ApiScope } from '@barfinex/contracts';
import type { Principal, TokenStore } from './token-store';

/**
 * What each app of the platform needs from the provider, and nothing more: all register and send
 * heartbeats (`apps`) and read market data (`read`); the detector also fills candle gaps (backfill
 * and repair are `configure`); the inspector is the only one that trades. The notifier's Telegram
 * `/killswitch` and `/resume` trip and reset the inspector's kill switch through the proxy, which
 * needs `killswitch` only: it can stop trading, never place, cancel or replace an order.
 */
export const APP_SCOPES = {
  detector: ['read', 'apps', 'configure'],
  advisor: ['read', 'apps'],
  inspector: ['read', 'apps', 'trade'],
  notifier: ['read', 'apps', 'killswitch'],
} as const satisfies Record<string, readonly ApiScope[]>;

export type PlatformApp = keyof typeof APP_SCOPES;

/**
 * A fresh token per app, named `app:<name>`; the ones an earlier start created are revoked, so a
 * restart leaves exactly one live token per app.
 */
export async function provisionAppTokens(store: TokenStore, by: Principal): Promise<Record<PlatformApp, string>> {
  const existing = await store.list();
  const out = {} as Record<PlatformApp, string>;
  for (const [app, scopes] of Object.entries(APP_SCOPES) as Array<[PlatformApp, readonly ApiScope[]]>) {
    const name = `app:${app}`;
    for (const old of existing) if (old.name === name && old.revokedAt === null) await store.revoke(old.id, by);
    out[app] = (await store.create({ name, scopes: [...scopes] }, by)).secret;
  }
  return out;
}
