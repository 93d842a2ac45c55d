import { z } from 'zod';
import {
  ConnectorTypeSchema,
  Id,
  MarketTypeSchema,
  SymbolName,
  TimeFrameSchema,
  TradeSideSchema,
  UnixMs,
} from './common';
import { DecimalString, PositiveDecimalString } from './decimal';

/** Probability-like score in [0, 1]. */
export const Confidence = z.number().min(0).max(1);

export const PriceLevelSchema = z.object({ price: PositiveDecimalString, reason: z.string().optional() });
export type PriceLevel = z.output<typeof PriceLevelSchema>;

/** A detector's trade idea; the advisor turns it into a decision. */
export const SignalSchema = z
  .object({
    signalId: Id,
    detectorKey: Id,
    symbol: SymbolName,
    direction: TradeSideSchema,
    confidence: Confidence,
    score: z.number().finite(),
    strategy: z.string().min(1),
    entry: z
      .object({
        price: PositiveDecimalString,
        type: z.enum(['limit', 'market']).default('market'),
        reason: z.string().optional(),
      })
      .optional(),
    stop: PriceLevelSchema.optional(),
    targets: z.array(PriceLevelSchema).default([]),
    rulesFired: z.array(z.string()).default([]),
    reason: z.string().optional(),
    timeframe: TimeFrameSchema.optional(),
    connectorType: ConnectorTypeSchema.optional(),
    marketType: MarketTypeSchema.optional(),
    createdAt: UnixMs.optional(),
    expiresAt: UnixMs.optional(),
  })
  .meta({ id: 'Signal' });
export type Signal = z.output<typeof SignalSchema>;

/**
 * Progress on a live signal or the detector's state around it (stops moved, confidence changed,
 * detector started). Open-ended by nature, so extra keys pass through.
 */
export const SignalUpdateSchema = z
  .looseObject({
    detectorKey: Id,
    signalId: Id.optional(),
    symbol: SymbolName.optional(),
    kind: z.string().min(1).default('signal'),
    confidence: Confidence.optional(),
    stop: PriceLevelSchema.optional(),
    targets: z.array(PriceLevelSchema).optional(),
    reason: z.string().optional(),
  })
  .meta({ id: 'SignalUpdate' });
export type SignalUpdate = z.output<typeof SignalUpdateSchema>;

export const SignalInvalidationSchema = z
  .object({
    detectorKey: Id,
    signalId: Id.optional(),
    symbol: SymbolName.optional(),
    reason: z.string().min(1),
  })
  .meta({ id: 'SignalInvalidation' });
export type SignalInvalidation = z.output<typeof SignalInvalidationSchema>;

/** A detector asking for a position change (open, close, reduce or flip). */
export const PositionRequestSchema = z
  .object({
    requestId: Id,
    detectorKey: Id,
    symbol: SymbolName,
    side: TradeSideSchema,
    connectorType: ConnectorTypeSchema,
    marketType: MarketTypeSchema,
    signalId: Id.optional(),
    quantity: PositiveDecimalString.optional(),
    notional: PositiveDecimalString.optional(),
    fraction: z.number().gt(0).max(1).optional(),
    price: PositiveDecimalString.optional(),
    stopLoss: PositiveDecimalString.optional(),
    takeProfit: PositiveDecimalString.optional(),
    pnl: DecimalString.optional(),
    reason: z.string().optional(),
  })
  .meta({ id: 'PositionRequest' });
export type PositionRequest = z.output<typeof PositionRequestSchema>;
