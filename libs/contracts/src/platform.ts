import { APP_TYPE_VALUES } from '@barfinex/enums';
import { z } from 'zod';
import { ConnectorTypeSchema, Id, MarketTypeSchema, SymbolName, TimeFrameSchema, UnixMs, enumOf } from './common';
import { InstrumentSchema } from './market-data';

export const AppTypeSchema = enumOf(APP_TYPE_VALUES);

/** Instrument list refresh for one connector × market. */
export const SymbolsUpdateSchema = z
  .object({
    connectorType: ConnectorTypeSchema,
    marketType: MarketTypeSchema,
    symbols: z.array(InstrumentSchema),
  })
  .meta({ id: 'SymbolsUpdate' });
export type SymbolsUpdate = z.output<typeof SymbolsUpdateSchema>;

export const AppRegisteredSchema = z
  .object({
    appType: AppTypeSchema,
    appKey: Id,
    instanceId: z.string().min(1).optional(),
    baseUrl: z.string().min(1),
    version: z.string().optional(),
    registeredAt: UnixMs,
    meta: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'AppRegistered' });
export type AppRegistered = z.output<typeof AppRegisteredSchema>;

export const AppHeartbeatSchema = z
  .object({ appType: AppTypeSchema, appKey: Id, instanceId: z.string().min(1).optional(), at: UnixMs })
  .meta({ id: 'AppHeartbeat' });
export type AppHeartbeat = z.output<typeof AppHeartbeatSchema>;

export const AppUnregisteredSchema = z
  .object({
    appType: AppTypeSchema,
    appKey: Id,
    instanceId: z.string().min(1).optional(),
    reason: z.enum(['requested', 'expired']).default('requested'),
  })
  .meta({ id: 'AppUnregistered' });
export type AppUnregistered = z.output<typeof AppUnregisteredSchema>;

export const ReplayProgressSchema = z
  .object({
    replayId: Id,
    state: z.enum(['running', 'finished', 'stopped', 'failed']),
    from: UnixMs,
    to: UnixMs,
    cursor: UnixMs,
    /** `max`: as fast as the bus takes the events. */
    speed: z.union([z.number().positive(), z.literal('max')]),
    emitted: z.number().int().nonnegative(),
    total: z.number().int().nonnegative().optional(),
    symbols: z.array(SymbolName),
    error: z.string().optional(),
  })
  .meta({ id: 'ReplayProgress' });
export type ReplayProgress = z.output<typeof ReplayProgressSchema>;

export const BackfillProgressSchema = z
  .object({
    connectorType: ConnectorTypeSchema,
    marketType: MarketTypeSchema,
    symbol: SymbolName,
    interval: TimeFrameSchema,
    state: z.enum(['running', 'finished', 'failed']),
    from: UnixMs,
    to: UnixMs,
    cursor: UnixMs.optional(),
    fetched: z.number().int().nonnegative(),
    error: z.string().optional(),
  })
  .meta({ id: 'BackfillProgress' });
export type BackfillProgress = z.output<typeof BackfillProgressSchema>;

/** Result of comparing local orders/positions with the exchange after a restart or reconnect. */
export const ReconciliationSchema = z
  .object({
    connectorType: ConnectorTypeSchema,
    marketType: MarketTypeSchema,
    checkedAt: UnixMs,
    matched: z.number().int().nonnegative(),
    mismatches: z.array(
      z.object({
        kind: z.enum(['missingLocal', 'missingRemote', 'statusChanged', 'quantityChanged', 'positionChanged']),
        symbol: SymbolName.optional(),
        orderId: z.string().optional(),
        detail: z.string(),
      }),
    ),
  })
  .meta({ id: 'Reconciliation' });
export type Reconciliation = z.output<typeof ReconciliationSchema>;

export const BacktestProgressSchema = z
  .object({
    backtestId: Id,
    state: z.enum(['running', 'finished', 'failed']),
    detector: z.string(),
    symbol: SymbolName,
    interval: TimeFrameSchema,
    /** Bars fed to the detector so far, of `total`. */
    processed: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
    cursor: UnixMs.optional(),
    signals: z.number().int().nonnegative(),
    trades: z.number().int().nonnegative(),
    error: z.string().optional(),
  })
  .meta({ id: 'BacktestProgress' });
export type BacktestProgress = z.output<typeof BacktestProgressSchema>;
