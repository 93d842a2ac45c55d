import { Dec as Decimal } from '../decimal';
import { NonNegativeDecimalString, PositiveDecimalString } from '@barfinex/contracts';
import type { RiskAction } from '@barfinex/contracts';
import { z } from 'zod';

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'use HH:MM (UTC, 00:00-23:59)');

/** A UTC window with no new entries, e.g. around a macro release; `end` before `start` wraps midnight. */
export const NoTradeWindowSchema = z
  .object({
    start: HHMM,
    end: HHMM,
    /** UTC weekdays (0 = Sunday) the window applies to; every day when absent. */
    days: z.array(z.number().int().min(0).max(6)).min(1).max(7).optional(),
    label: z.string().max(100).optional(),
  })
  .strict()
  .refine((w) => w.start !== w.end, { message: 'start and end must differ', path: ['end'] });
export type NoTradeWindow = z.output<typeof NoTradeWindowSchema>;

const Percent = NonNegativeDecimalString.refine((v) => new Decimal(v).lte(1000), 'at most 1000 (%)');

/**
 * The risk limits. Percentages are of current equity (drawdown: of peak equity; daily loss: of
 * the day's starting equity). A limit of 0 for a count or duration turns that policy off.
 */
export const RiskPoliciesSchema = z
  .object({
    /** Per-symbol position value cap in the quote asset; both caps apply when both are set. */
    maxPositionNotional: PositiveDecimalString.optional(),
    maxPositionPercent: Percent.default('20'),
    maxExposurePercent: Percent.default('100'),
    maxDrawdownPercent: Percent.default('15'),
    maxDailyLossPercent: Percent.default('5'),
    maxConsecutiveLosses: z.number().int().min(0).max(1000).default(2),
    cooldownMs: z.number().int().min(0).max(7 * 86_400_000).default(30_000),
    maxTradesPerDay: z.number().int().min(0).max(100_000).default(10),
    noTradeWindows: z.array(NoTradeWindowSchema).max(50).default([]),
    /** Protective levels used when an intent or request carries no stop-loss / take-profit. */
    stopLossPercent: PositiveDecimalString.refine((v) => new Decimal(v).lt(100), 'below 100 (%)').default('0.5'),
    takeProfitPercent: PositiveDecimalString.default('2.5'),
  })
  .strict();
export type RiskPolicies = z.output<typeof RiskPoliciesSchema>;

/**
 * What a client may set: the stored shape, plus a take-profit below 100 % because the default
 * target of a short sits that far under the fill (100 % or more would put it at or below zero).
 * Kept off the stored shape so a state saved before this check still loads.
 */
export const RiskPoliciesInputSchema = RiskPoliciesSchema.refine((p) => new Decimal(p.takeProfitPercent).lt(100), {
  message: 'below 100 (%): a short position\'s default take-profit would be at or below zero',
  path: ['takeProfitPercent'],
});
export type RiskPoliciesInput = z.input<typeof RiskPoliciesSchema>;

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

export const pct = (part: Decimal, whole: Decimal): Decimal => (whole.lte(0) ? new Decimal(0) : part.div(whole).times(100));
/** Percentages in reasons and audit rows: exact up to 8 places, no float noise. */
export const fmt = (d: Decimal): string => d.toDecimalPlaces(8, Decimal.ROUND_HALF_UP).toFixed();

/** A count against a whole-number cap (0 = off): breached once the count reaches the cap. */
export function countCheck(policy: string, action: PolicyCheck['action'], count: number, max: number, describe: (breached: boolean) => string): PolicyCheck {
  const passed = max === 0 || count < max;
  return { policy, passed, action, current: String(count), limit: String(max), reason: describe(!passed) };
}
