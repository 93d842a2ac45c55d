import type { ConnectorType } from '@barfinex/enums';

export type BinanceMarket = 'spot' | 'futures';
export type BinanceConnectorType = Extract<ConnectorType, 'binance' | 'testnetBinanceSpot' | 'testnetBinanceFutures'>;

export interface BinanceEndpoints {
  rest: string;
  /** Market-data WebSocket base (`/stream` for combined streams, `/ws/<listenKey>` for user data). */
  ws: string;
}

/** Documented production and testnet hosts; every one can be overridden (tests point them at a fake). */
export const BINANCE_HOSTS: Record<BinanceConnectorType, Partial<Record<BinanceMarket, BinanceEndpoints>>> = {
  binance: {
    spot: { rest: 'https://api.binance.com', ws: 'wss://stream.binance.com:9443' },
    futures: { rest: 'https://fapi.binance.com', ws: 'wss://fstream.binance.com' },
  },
  testnetBinanceSpot: { spot: { rest: 'https://testnet.binance.vision', ws: 'wss://stream.testnet.binance.vision' } },
  testnetBinanceFutures: { futures: { rest: 'https://testnet.binancefuture.com', ws: 'wss://fstream.binancefuture.com' } },
};

/** REST paths that differ between spot (`/api/v3`) and USD-M futures (`/fapi`). */
export const BINANCE_PATHS = {
  spot: {
    time: '/api/v3/time',
    exchangeInfo: '/api/v3/exchangeInfo',
    klines: '/api/v3/klines',
    depth: '/api/v3/depth',
    order: '/api/v3/order',
    openOrders: '/api/v3/openOrders',
    trades: '/api/v3/myTrades',
    account: '/api/v3/account',
    listenKey: '/api/v3/userDataStream',
    klineLimit: 1000,
  },
  futures: {
    time: '/fapi/v1/time',
    exchangeInfo: '/fapi/v1/exchangeInfo',
    klines: '/fapi/v1/klines',
    depth: '/fapi/v1/depth',
    order: '/fapi/v1/order',
    openOrders: '/fapi/v1/openOrders',
    trades: '/fapi/v1/userTrades',
    account: '/fapi/v2/account',
    listenKey: '/fapi/v1/listenKey',
    klineLimit: 1500,
  },
} as const;

export const BINANCE_INTERVALS = {
  min1: '1m',
  min5: '5m',
  min15: '15m',
  min30: '30m',
  h1: '1h',
  h2: '2h',
  h4: '4h',
  day: '1d',
  week: '1w',
  month: '1M',
} as const;
