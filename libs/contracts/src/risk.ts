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
import { DecimalString, NonNegativeDecimalString, PositiveDecimalString } from './decimal';

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
