import { DATA_MATURITY_VALUES } from '@barfinex/enums';
import { z } from 'zod';
import {
  ConnectorTypeSchema,
  Id,
  MarketTypeSchema,
  SymbolName,
  TimeFrameSchema,
  TradeSideSchema,
  UnixMs,
  enumOf,
} from './common';
import { DecimalString, NonNegativeDecimalString, PositiveDecimalString, compareDecimalStrings } from './decimal';

export const RiskActionSchema = z.enum(['ALLOW', 'BLOCK', 'THROTTLE', 'STAND_DOWN', 'CLOSE_ALL']);
export type RiskAction = z.output<typeof RiskActionSchema>;

/** A policy limit crossed; `current` and `limit` are in the policy's own unit (%, USD, count). */
export const RiskBreachSchema = z
  .object({
    symbol: SymbolName.optional(),
    policy: z.string().min(1),
    current: DecimalString,
    limit: DecimalString,
    reason: z.string().min(1),
    action: RiskActionSchema.optional(),
    detectorKey: z.string().min(1).optional(),
    intentId: Id.optional(),
  })
  .meta({ id: 'RiskBreach' });
export type RiskBreach = z.output<typeof RiskBreachSchema>;

/** `detectorKey` targets one detector; without it the switch applies to all trading. */
export const KillSwitchSchema = z
  .object({
    active: z.boolean(),
    reason: z.string().min(1),
    detectorKey: z.string().min(1).optional(),
    actor: z.string().optional(),
  })
  .meta({ id: 'KillSwitch' });
export type KillSwitch = z.output<typeof KillSwitchSchema>;

export const MarginUpdateSchema = z
  .object({
    connectorType: ConnectorTypeSchema,
    marketType: MarketTypeSchema,
    marginBalance: DecimalString.optional(),
    availableBalance: DecimalString.optional(),
    maintenanceMargin: NonNegativeDecimalString.optional(),
    marginRatio: NonNegativeDecimalString.optional(),
    exposure: NonNegativeDecimalString.optional(),
  })
  .meta({ id: 'MarginUpdate' });
export type MarginUpdate = z.output<typeof MarginUpdateSchema>;

/** A closed trade, fed back to the advisor's calibration. */
export const TradeOutcomeSchema = z
  .object({
    symbol: SymbolName,
    side: TradeSideSchema,
    pnl: DecimalString,
    pnlPct: DecimalString.optional(),
    fees: NonNegativeDecimalString.optional(),
    quantity: PositiveDecimalString,
    entryPrice: PositiveDecimalString,
    exitPrice: PositiveDecimalString,
    openedAt: UnixMs,
    closedAt: UnixMs,
    isWin: z.boolean(),
    exitReason: z.string().optional(),
    /** pnl divided by the risk taken at entry (|entry − stop| × quantity); absent without a stop. */
    rMultiple: DecimalString.optional(),
    positionId: Id.optional(),
    intentId: Id.optional(),
    decisionId: Id.optional(),
    signalId: Id.optional(),
    detectorKey: z.string().optional(),
    strategy: z.string().optional(),
    connectorType: ConnectorTypeSchema.optional(),
    marketType: MarketTypeSchema.optional(),
  })
  .meta({ id: 'TradeOutcome' });
export type TradeOutcome = z.output<typeof TradeOutcomeSchema>;

export const RegimeSchema = z
  .object({
    symbol: SymbolName,
    regime: z.string().min(1),
    timeframe: TimeFrameSchema.optional(),
    strength: z.number().finite().optional(),
    direction: TradeSideSchema.optional(),
  })
  .meta({ id: 'Regime' });
export type Regime = z.output<typeof RegimeSchema>;

/** A market-condition measurement crossing its threshold (volatility, liquidity). */
export const MarketConditionSchema = z
  .object({
    symbol: SymbolName,
    metric: z.string().min(1),
    value: DecimalString,
    threshold: DecimalString,
    timeframe: TimeFrameSchema.optional(),
  })
  .meta({ id: 'MarketCondition' });
export type MarketCondition = z.output<typeof MarketConditionSchema>;

export const DataGapSchema = z
  .object({
    symbol: SymbolName,
    interval: TimeFrameSchema.optional(),
    from: UnixMs,
    to: UnixMs,
    missing: z.number().int().nonnegative().optional(),
    connectorType: ConnectorTypeSchema.optional(),
    marketType: MarketTypeSchema.optional(),
  })
  .meta({ id: 'DataGap' });
export type DataGap = z.output<typeof DataGapSchema>;

export const DataOutlierSchema = z
  .object({
    symbol: SymbolName,
    kind: z.enum(['trade', 'candle', 'orderbook']),
    time: UnixMs,
    value: DecimalString,
    expected: DecimalString.optional(),
    reason: z.string().min(1),
  })
  .meta({ id: 'DataOutlier' });
export type DataOutlier = z.output<typeof DataOutlierSchema>;

export const DataMaturityUpdateSchema = z
  .object({
    symbol: SymbolName,
    maturity: enumOf(DATA_MATURITY_VALUES),
    previous: enumOf(DATA_MATURITY_VALUES).optional(),
  })
  .meta({ id: 'DataMaturityUpdate' });
export type DataMaturityUpdate = z.output<typeof DataMaturityUpdateSchema>;

// The inspector's risk limits: what PUT /policies on the inspector takes, and what the provider's
// inspector config may carry under params.policies (checked here so both agree).
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

const Percent = NonNegativeDecimalString.refine((v) => compareDecimalStrings(v, '1000') <= 0, 'at most 1000 (%)');

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
    cooldownMs: z
      .number()
      .int()
      .min(0)
      .max(7 * 86_400_000)
      .default(30_000),
    maxTradesPerDay: z.number().int().min(0).max(100_000).default(10),
    noTradeWindows: z.array(NoTradeWindowSchema).max(50).default([]),
    /** Protective levels used when an intent or request carries no stop-loss / take-profit. */
    stopLossPercent: PositiveDecimalString.refine((v) => compareDecimalStrings(v, '100') < 0, 'below 100 (%)').default(
      '0.5',
    ),
    takeProfitPercent: PositiveDecimalString.default('2.5'),
  })
  .strict();
export type RiskPolicies = z.output<typeof RiskPoliciesSchema>;

/**
 * What a client may set: the stored shape, plus a take-profit below 100 % because the default
 * target of a short sits that far under the fill (100 % or more would put it at or below zero).
 * Kept off the stored shape so a state saved before this check still loads.
 */
export const RiskPoliciesInputSchema = RiskPoliciesSchema.refine(
  (p) => compareDecimalStrings(p.takeProfitPercent, '100') < 0,
  {
    message: "below 100 (%): a short position's default take-profit would be at or below zero",
    path: ['takeProfitPercent'],
  },
);
export type RiskPoliciesInput = z.input<typeof RiskPoliciesSchema>;
