/**
 * Payloads shaped as Binance documents them (spot `/api/v3`, USD-M `/fapi`), trimmed to the
 * symbols the tests use. Values are realistic, not live.
 */
export const SPOT_EXCHANGE_INFO = {
  timezone: 'UTC',
  serverTime: 1_767_225_600_000,
  rateLimits: [
    { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
    { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100 },
  ],
  exchangeFilters: [],
  symbols: [
    {
      symbol: 'BTCUSDT',
      status: 'TRADING',
      baseAsset: 'BTC',
      baseAssetPrecision: 8,
      quoteAsset: 'USDT',
      quotePrecision: 8,
      quoteAssetPrecision: 8,
      orderTypes: ['LIMIT', 'LIMIT_MAKER', 'MARKET', 'STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT'],
      icebergAllowed: true,
      ocoAllowed: true,
      isSpotTradingAllowed: true,
      isMarginTradingAllowed: true,
      filters: [
        { filterType: 'PRICE_FILTER', minPrice: '0.01000000', maxPrice: '1000000.00000000', tickSize: '0.01000000' },
        { filterType: 'LOT_SIZE', minQty: '0.00001000', maxQty: '9000.00000000', stepSize: '0.00001000' },
        { filterType: 'NOTIONAL', minNotional: '5.00000000', applyMinToMarket: true, maxNotional: '9000000.00000000', applyMaxToMarket: false, avgPriceMins: 5 },
      ],
      permissions: [],
      permissionSets: [['SPOT', 'MARGIN']],
    },
    {
      symbol: 'ETHUSDT',
      status: 'TRADING',
      baseAsset: 'ETH',
      baseAssetPrecision: 8,
      quoteAsset: 'USDT',
      quotePrecision: 8,
      quoteAssetPrecision: 8,
      orderTypes: ['LIMIT', 'MARKET'],
      isSpotTradingAllowed: true,
      isMarginTradingAllowed: true,
      filters: [
        { filterType: 'PRICE_FILTER', minPrice: '0.01000000', maxPrice: '1000000.00000000', tickSize: '0.01000000' },
        { filterType: 'LOT_SIZE', minQty: '0.00010000', maxQty: '9000.00000000', stepSize: '0.00010000' },
        { filterType: 'NOTIONAL', minNotional: '5.00000000' },
      ],
    },
  ],
};

export const FUTURES_EXCHANGE_INFO = {
  timezone: 'UTC',
  serverTime: 1_767_225_600_000,
  rateLimits: [{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 2400 }],
  symbols: [
    {
      symbol: 'BTCUSDT',
      pair: 'BTCUSDT',
      contractType: 'PERPETUAL',
      status: 'TRADING',
      baseAsset: 'BTC',
      quoteAsset: 'USDT',
      marginAsset: 'USDT',
      pricePrecision: 2,
      quantityPrecision: 3,
      filters: [
        { filterType: 'PRICE_FILTER', minPrice: '556.80', maxPrice: '4529764', tickSize: '0.10' },
        { filterType: 'LOT_SIZE', minQty: '0.001', maxQty: '1000', stepSize: '0.001' },
        { filterType: 'MARKET_LOT_SIZE', minQty: '0.001', maxQty: '120', stepSize: '0.001' },
        { filterType: 'MIN_NOTIONAL', notional: '100' },
      ],
      orderTypes: ['LIMIT', 'MARKET', 'STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET'],
      timeInForce: ['GTC', 'IOC', 'FOK', 'GTX'],
    },
  ],
};

/** `GET /api/v3/depth?symbol=BTCUSDT&limit=5` */
export const DEPTH_SNAPSHOT = {
  lastUpdateId: 1027024,
  bids: [
    ['94999.99', '1.20000000'],
    ['94999.50', '0.50000000'],
  ],
  asks: [
    ['95000.01', '0.80000000'],
    ['95000.50', '2.00000000'],
  ],
};

export function depthUpdate(symbol: string, U: number, u: number, bids: Array<[string, string]>, asks: Array<[string, string]>, pu?: number) {
  return { e: 'depthUpdate' as const, E: 1_767_225_601_000 + u, s: symbol, U, u, ...(pu !== undefined ? { T: 1_767_225_601_000 + u, pu } : {}), b: bids, a: asks };
}

export function aggTrade(symbol: string, id: number, price: string, qty: string, buyerIsMaker: boolean) {
  return { e: 'aggTrade', E: 1_767_225_601_000 + id, s: symbol, a: id, p: price, q: qty, f: id * 10, l: id * 10 + 1, T: 1_767_225_601_000 + id, m: buyerIsMaker, M: true };
}

export function ticker(symbol: string, last: string) {
  return {
    e: '24hrTicker', E: 1_767_225_601_500, s: symbol, p: '250.00', P: '0.264', w: '94810.12', x: '94750.00', c: last, Q: '0.010', b: '94999.99', B: '1.2', a: '95000.01', A: '0.8',
    o: '94750.00', h: '95400.00', l: '94200.00', v: '18234.551', q: '1728801234.55', O: 1_767_139_201_500, C: 1_767_225_601_500, F: 4_100_000_000, L: 4_101_500_000, n: 1_500_001,
  };
}

/** A kline row: [openTime, o, h, l, c, volume, closeTime, quoteVolume, trades, takerBase, takerQuote, ignore]. */
export function kline(openTime: number, intervalMs: number, close: string) {
  return [openTime, close, close, close, close, '12.5', openTime + intervalMs - 1, '1187500.0', 42, '6.1', '579500.0', '0'];
}
