import { z } from 'zod';

/**
 * What a token may do. A small fixed vocabulary that reads naturally on a token list; `admin`
 * implies every other scope and `trade` implies `killswitch`. The others are orthogonal: a trading
 * token that must also read its orders holds `read` and `trade`.
 */
export const ApiScope = {
  /** Market data, accounts, orders, events, configs and registry listings. */
  READ: 'read',
  /** Place, cancel and replace orders, set leverage; implies `killswitch`. */
  TRADE: 'trade',
  /** Detectors, inspectors, risk policies, replay, backfill, backtests, subscriptions, the simulator. */
  CONFIGURE: 'configure',
  /** The app registry: register, heartbeat, unregister (what detector, advisor and inspector do). */
  APPS: 'apps',
  /**
   * Trip or reset an inspector's kill switch and nothing else: a safety control, not trading (a trip
   * only ever stops entries), for what must be able to stop trading without being able to trade,
   * such as the notifier's Telegram `/killswitch` and `/resume`.
   */
  KILL_SWITCH: 'killswitch',
  /** Tokens, the audit trail, and everything above. */
  ADMIN: 'admin',
} as const;
export type ApiScope = (typeof ApiScope)[keyof typeof ApiScope];
export const API_SCOPE_VALUES = Object.values(ApiScope) as [ApiScope, ...ApiScope[]];

export const ApiScopeSchema = z.enum(API_SCOPE_VALUES).meta({
  id: 'ApiScope',
  description: 'read, trade, configure, apps, killswitch or admin (admin implies all, trade implies killswitch)',
});

export const SCOPE_DESCRIPTIONS: Readonly<Record<ApiScope, string>> = {
  read: 'Read market data, accounts, orders, events, configs and the registry',
  trade: 'Place, cancel and replace orders, set leverage, trip or reset the kill switch',
  killswitch: 'Trip or reset the kill switch, and nothing else: may stop trading, cannot trade',
  configure:
    'Change detectors, inspectors, risk policies, subscriptions and the simulator; run replay, backfill and backtests',
  apps: 'Register apps and send their heartbeats',
  admin: 'Manage tokens, read the audit trail, and everything else',
};

/** Scopes a held scope brings with it besides itself: whoever may trade may also stop trading. */
const IMPLIED: Readonly<Partial<Record<ApiScope, readonly ApiScope[]>>> = {
  [ApiScope.ADMIN]: API_SCOPE_VALUES,
  [ApiScope.TRADE]: [ApiScope.KILL_SWITCH],
};

/** Whether `held` grants `required`: held directly, or implied (`admin` implies all, `trade` the kill switch). */
export function scopeGranted(held: ReadonlySet<ApiScope> | readonly ApiScope[], required: ApiScope): boolean {
  for (const s of held) if (s === required || IMPLIED[s]?.includes(required)) return true;
  return false;
}

/** Every scope `held` amounts to, implied ones included: what `whoami` reports as allowed. */
export function effectiveScopes(held: readonly ApiScope[]): ApiScope[] {
  return API_SCOPE_VALUES.filter((s) => scopeGranted(held, s));
}
