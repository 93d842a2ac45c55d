import { z } from 'zod';
import { ConnectorTypeSchema, MarketTypeSchema, SymbolName, TradeSideSchema, UnixMs } from './common';
import { DecimalString, NonNegativeDecimalString, PositiveDecimalString } from './decimal';
import { OrderSchema } from './order';

export const PositionSchema = z
  .object({
    connectorType: ConnectorTypeSchema,
    marketType: MarketTypeSchema,
    symbol: SymbolName,
    side: TradeSideSchema,
    quantity: NonNegativeDecimalString,
    entryPrice: PositiveDecimalString,
    lastPrice: PositiveDecimalString.optional(),
    markPrice: PositiveDecimalString.optional(),
    unrealizedPnl: DecimalString.optional(),
    realizedPnl: DecimalString.optional(),
    initialMargin: NonNegativeDecimalString.optional(),
    liquidationPrice: NonNegativeDecimalString.optional(),
    leverage: z.number().int().positive().optional(),
    entryTime: UnixMs.optional(),
    updatedAt: UnixMs.optional(),
  })
  .meta({ id: 'Position' });
export type Position = z.output<typeof PositionSchema>;

/** Balance of one asset (`symbol` is the asset code, e.g. USDT). */
export const AssetSchema = z
  .object({
    connectorType: ConnectorTypeSchema,
    marketType: MarketTypeSchema,
    symbol: z.string().min(1),
    walletBalance: DecimalString,
    availableBalance: DecimalString,
    lockedBalance: NonNegativeDecimalString.optional(),
    price: z.array(z.object({ currency: z.string().min(1), value: NonNegativeDecimalString })).optional(),
  })
  .meta({ id: 'Asset' });
export type Asset = z.output<typeof AssetSchema>;

export const DailyProfitSchema = z.object({
  value: DecimalString,
  startTime: UnixMs,
  endTime: UnixMs,
  details: z
    .array(
      z.object({
        symbol: z.string(),
        incomeType: z.string(),
        income: DecimalString,
        asset: z.string(),
        info: z.string().optional(),
        time: UnixMs,
      }),
    )
    .default([]),
});

/** One account per connector × market. `symbols` lists the instrument symbols it trades. */
export const AccountSchema = z
  .object({
    connectorType: ConnectorTypeSchema,
    marketType: MarketTypeSchema,
    isActive: z.boolean(),
    assets: z.array(AssetSchema),
    positions: z.array(PositionSchema),
    orders: z.array(OrderSchema),
    symbols: z.array(SymbolName),
    dailyProfit: DailyProfitSchema.optional(),
  })
  .meta({ id: 'Account' });
export type Account = z.output<typeof AccountSchema>;

/**
 * Raw user-stream notification (ORDER_TRADE_UPDATE, ACCOUNT_UPDATE, BALANCE_UPDATE...). The
 * `options` bag is exchange-specific, so it is passed through as sent.
 */
export const AccountEventSchema = z
  .object({
    eventType: z.string().min(1),
    eventTime: UnixMs,
    connectorType: ConnectorTypeSchema.optional(),
    marketType: MarketTypeSchema.optional(),
    options: z.record(z.string(), z.unknown()).default({}),
  })
  .meta({ id: 'AccountEvent' });
export type AccountEvent = z.output<typeof AccountEventSchema>;
