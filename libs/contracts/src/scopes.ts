import { z } from 'zod';

/**
 * What a token may do. A small fixed vocabulary that reads naturally on a token list; `admin`
 * implies every other scope. The others are orthogonal: a trading token that must also read its
 * orders holds `read` and `trade`.
 */
export const ApiScope = {
  /** Market data, accounts, orders, events, configs and registry listings. */
  READ: 'read',
  /** Place, cancel and replace orders, set leverage, trip or reset the kill switch. */
  TRADE: 'trade',
  /** Detectors, inspectors, risk policies, replay, backfill, backtests, subscriptions, the simulator. */
  CONFIGURE: 'configure',
  /** The app registry: register, heartbeat, unregister (what detector, advisor and inspector do). */
  APPS: 'apps',
  /** Tokens, the audit trail, and everything above. */
  ADMIN: 'admin',
} as const;
export type ApiScope = (typeof ApiScope)[keyof typeof ApiScope];
export const API_SCOPE_VALUES = Object.values(ApiScope) as [ApiScope, ...ApiScope[]];

export const ApiScopeSchema = z
  .enum(API_SCOPE_VALUES)
  .meta({ id: 'ApiScope', description: 'read, trade, configure, apps or admin (admin implies all)' });

export const SCOPE_DESCRIPTIONS: Readonly<Record<ApiScope, string>> = {
  read: 'Read market data, accounts, orders, events, configs and the registry',
  trade: 'Place, cancel and replace orders, set leverage, trip or reset the kill switch',
  configure:
    'Change detectors, inspectors, risk policies, subscriptions and the simulator; run replay, backfill and backtests',
  apps: 'Register apps and send their heartbeats',
  admin: 'Manage tokens, read the audit trail, and everything else',
};

/** Whether `held` grants `required`: held directly, or through `admin`. */
export function scopeGranted(held: ReadonlySet<ApiScope> | readonly ApiScope[], required: ApiScope): boolean {
  const has = (s: ApiScope) =>
    Array.isArray(held) ? (held as readonly ApiScope[]).includes(s) : (held as ReadonlySet<ApiScope>).has(s);
  return has(required) || has(ApiScope.ADMIN);
}

/** Every scope `held` amounts to, `admin` expanded: what `whoami` reports as allowed. */
export function effectiveScopes(held: readonly ApiScope[]): ApiScope[] {
  return held.includes(ApiScope.ADMIN) ? [...API_SCOPE_VALUES] : API_SCOPE_VALUES.filter((s) => held.includes(s));
}
