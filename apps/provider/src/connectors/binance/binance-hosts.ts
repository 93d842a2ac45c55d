import type { ConnectorType } from '@barfinex/enums';

export type BinanceMarket = 'spot' | 'futures';
export type BinanceConnectorType = Extract<ConnectorType, 'binance' | 'testnetBinanceSpot' | 'testnetBinanceFutures'>;

export interface BinanceEndpoints {
  rest: string;
  /** Market-data WebSocket base (combined streams at `<ws>/stream`); futures: the `/market` endpoint. */
  ws: string;
  /** Futures only: the `/public` endpoint that carries depth streams. */
  publicWs?: string;
  /** Spot: the WebSocket API (user data by `userDataStream.subscribe.signature`); futures: the `/private` base. */
  user: string;
}

/**
 * Documented production and testnet hosts (spot docs "General API Information" of the REST API,
 * WebSocket Streams and WebSocket API, read at CHANGELOG "Last Updated: 2026-07-17"; USD-M: the 2026
 * WebSocket URL architecture with `/public`, `/market` and `/private`). Every one can be replaced
 * by environment (regional hosts, a proxy, a local fake).
 */
export const BINANCE_HOSTS: Record<BinanceConnectorType, Partial<Record<BinanceMarket, BinanceEndpoints>>> = {
  binance: {
    spot: {
      rest: 'https://api.binance.com',
      ws: 'wss://stream.binance.com:9443',
      user: 'wss://ws-api.binance.com:443/ws-api/v3',
    },
    futures: {
      rest: 'https://fapi.binance.com',
      ws: 'wss://fstream.binance.com/market',
      publicWs: 'wss://fstream.binance.com/public',
      user: 'wss://fstream.binance.com/private',
    },
  },
  testnetBinanceSpot: {
    spot: {
      rest: 'https://testnet.binance.vision',
      ws: 'wss://stream.testnet.binance.vision',
      user: 'wss://ws-api.testnet.binance.vision/ws-api/v3',
    },
  },
  testnetBinanceFutures: {
    futures: {
      rest: 'https://testnet.binancefuture.com',
      ws: 'wss://fstream.binancefuture.com/market',
      publicWs: 'wss://fstream.binancefuture.com/public',
      user: 'wss://fstream.binancefuture.com/private',
    },
  },
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
