export { createSimClock } from './clock';
export type { SimClock, SimClockOptions } from './clock';
export {
  DEFAULT_SIM_SYMBOLS,
  SIM_MARKET_TYPES,
  SimConfigSchema,
  SimMarketType,
  SimMarketTypeSchema,
  SimSymbolConfigSchema,
} from './config';
export type { SimConfig, SimConfigInput, SimSymbolConfig, SimSymbolConfigInput } from './config';
export { SimErrorCode, SimRejectError } from './errors';
export { createSimExchange } from './exchange';
export type { SimExchange, SimExchangeDeps, SimExchangeOptions } from './exchange';
export type { SimAccountBalances } from './accounts';
export type { PricePathOptions, PricePathPoint, ScriptedPrintOptions } from './market';
export type { PlaceOrderResult } from './orders';
export { SimMarketPartSchema, SimSnapshotSchema } from './snapshot';
export type { SimOrderSnapshot, SimSnapshot } from './snapshot';
export { CORE_PART, assembleSnapshot, marketPartName, orderPartName, splitSnapshot } from './persist';
export type { SimChanges, SimCorePart, SimMarketPart, SimStoredParts } from './persist';
export {
  SimBalanceSchema,
  SimFillSchema,
  SimInstrumentSchema,
  SimOrderBookSchema,
  SimOrderRequestSchema,
  SimOrderSchema,
  SimPositionSchema,
  SimTickerSchema,
  SimTradeSchema,
} from './types';
export type {
  SimBalance,
  SimBookLevel,
  SimFill,
  SimInstrument,
  SimOrder,
  SimOrderBook,
  SimOrderRequest,
  SimPosition,
  SimSink,
  SimTicker,
  SimTrade,
} from './types';
