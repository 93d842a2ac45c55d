import { Dec as Decimal } from '../decimal';
import { RiskPoliciesSchema } from '@barfinex/contracts';
import type { RiskAction, RiskPolicies } from '@barfinex/contracts';

// The schemas live in the contracts, so the provider checks an inspector config's params.policies
// exactly as PUT /policies does here.
export { NoTradeWindowSchema, RiskPoliciesSchema, RiskPoliciesInputSchema } from '@barfinex/contracts';
export type { NoTradeWindow, RiskPolicies, RiskPoliciesInput } from '@barfinex/contracts';

export const DEFAULT_POLICIES: RiskPolicies = RiskPoliciesSchema.parse({});

/** What the policies measure, in the quote asset; built fresh for every decision. */
export interface RiskSnapshot {
  now: number;
  equity: Decimal;
  peakEquity: Decimal;
  /** Realised PnL of positions closed since 00:00 UTC. */
  dailyPnl: Decimal;
  exposureBySymbol: Readonly<Record<string, Decimal>>;
  totalExposure: Decimal;
  /** Losing trades in a row, newest first, since the day began or the last reset. */
  consecutiveLosses: number;
  lastLossAt?: number;
  tradesToday: number;
}

/** The entry being judged: its value in the quote asset. */
export interface RiskCandidate {
  symbol: string;
  notional: Decimal;
}

/** One policy's verdict with the numbers that decided it, in the policy's unit (%, quote, count, ms). */
export interface PolicyCheck {
  policy: string;
  passed: boolean;
  /** What a breach of this policy does. */
  action: Exclude<RiskAction, 'ALLOW'>;
  current: string;
  limit: string;
  reason: string;
}

export const pct = (part: Decimal, whole: Decimal): Decimal =>
  whole.lte(0) ? new Decimal(0) : part.div(whole).times(100);
/** Percentages in reasons and audit rows: exact up to 8 places, no float noise. */
export const fmt = (d: Decimal): string => d.toDecimalPlaces(8, Decimal.ROUND_HALF_UP).toFixed();

/** A count against a whole-number cap (0 = off): breached once the count reaches the cap. */
export function countCheck(
  policy: string,
  action: PolicyCheck['action'],
  count: number,
  max: number,
  describe: (breached: boolean) => string,
): PolicyCheck {
  const passed = max === 0 || count < max;
  return { policy, passed, action, current: String(count), limit: String(max), reason: describe(!passed) };
}
