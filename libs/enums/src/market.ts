/** Exchange connectors. `sim` is the built-in simulated exchange used by the embedded default. */
export const ConnectorType = {
  sim: 'sim',
  binance: 'binance',
  alpaca: 'alpaca',
  testnetBinanceFutures: 'testnetBinanceFutures',
  testnetBinanceSpot: 'testnetBinanceSpot',
  dex: 'dex',
  tinkoff: 'tinkoff',
} as const;
export type ConnectorType = (typeof ConnectorType)[keyof typeof ConnectorType];
export const CONNECTOR_TYPE_VALUES: readonly ConnectorType[] = Object.values(ConnectorType);

export const MarketType = { spot: 'spot', futures: 'futures', margin: 'margin' } as const;
export type MarketType = (typeof MarketType)[keyof typeof MarketType];
export const MARKET_TYPE_VALUES: readonly MarketType[] = Object.values(MarketType);

/** Lifecycle of one connector instance (connector type × market) in the exchange manager. */
export const ExchangeConnectorStatus = {
  INACTIVE: 'INACTIVE',
  CONNECTING: 'CONNECTING',
  ACTIVE: 'ACTIVE',
  /** Up, but a market cannot trade (its user-data stream or trading gate is not open); the reason is reported with it. */
  DEGRADED: 'DEGRADED',
  RECONNECTING: 'RECONNECTING',
  ERROR: 'ERROR',
  STOPPING: 'STOPPING',
} as const;
export type ExchangeConnectorStatus = (typeof ExchangeConnectorStatus)[keyof typeof ExchangeConnectorStatus];
export const EXCHANGE_CONNECTOR_STATUS_VALUES: readonly ExchangeConnectorStatus[] =
  Object.values(ExchangeConnectorStatus);

/** How much history a symbol has accumulated; detectors gate their rules on it. */
export const DataMaturity = {
  INSUFFICIENT: 'INSUFFICIENT',
  FAST: 'FAST',
  INTRADAY: 'INTRADAY',
  FULL: 'FULL',
} as const;
export type DataMaturity = (typeof DataMaturity)[keyof typeof DataMaturity];
export const DATA_MATURITY_VALUES: readonly DataMaturity[] = Object.values(DataMaturity);

export function isConnectorType(value: unknown): value is ConnectorType {
  return typeof value === 'string' && (CONNECTOR_TYPE_VALUES as readonly string[]).includes(value);
}

export function isMarketType(value: unknown): value is MarketType {
  return typeof value === 'string' && (MARKET_TYPE_VALUES as readonly string[]).includes(value);
}
