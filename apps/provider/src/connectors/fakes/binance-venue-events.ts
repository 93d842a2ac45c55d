import { Money } from '@barfinex/contracts';
import type { BinanceMarketKind, VenueOrder, VenueTrade } from './binance-venue-orders';

/**
 * User-data events as Binance documents them.
 * - spot: user-data-stream.md "Order Update" (`executionReport`) and "Account Update"
 *   (`outboundAccountPosition`); on the WebSocket API each arrives wrapped as
 *   `{ subscriptionId, event }` (web-socket-api.md "Event format"). `C` is "the ID of the order
 *   being canceled" and `c` the cancel request's own id on a cancel.
 * - USD-M futures: "Event: Order Update" (`ORDER_TRADE_UPDATE`, order fields under `o`) and
 *   "Event: Balance and Position Update" (`ACCOUNT_UPDATE`), unwrapped.
 */
export function orderEvent(
  market: BinanceMarketKind,
  o: VenueOrder,
  execution: string,
  trade?: VenueTrade,
  cancelId?: string,
): Record<string, unknown> {
  const lastQty = trade?.qty ?? '0';
  const lastPrice = trade?.price ?? '0';
  if (market === 'futures') {
    const avg = new Money(o.executedQty).isZero() ? '0' : new Money(o.cummulativeQuoteQty).div(o.executedQty).toFixed();
    return {
      e: 'ORDER_TRADE_UPDATE',
      E: o.updateTime,
      T: o.updateTime,
      o: {
        s: o.symbol,
        c: o.clientOrderId,
        S: o.side,
        o: o.type,
        f: o.timeInForce,
        q: o.origQty,
        p: o.price,
        ap: avg,
        sp: o.stopPrice,
        x: execution,
        X: o.status,
        i: o.orderId,
        l: lastQty,
        z: o.executedQty,
        L: lastPrice,
        N: trade ? trade.commissionAsset : 'USDT',
        n: trade ? trade.commission : '0',
        T: o.updateTime,
        t: trade ? trade.id : 0,
        b: '0',
        a: '0',
        m: trade?.maker ?? false,
        R: false,
        wt: 'CONTRACT_PRICE',
        ot: o.type,
        ps: 'BOTH',
        cp: false,
        rp: trade?.realizedPnl ?? '0',
        pP: false,
        si: 0,
        ss: 0,
        V: 'NONE',
        pm: 'NONE',
        gtd: 0,
      },
    };
  }
  const canceled = execution === 'CANCELED';
  return {
    e: 'executionReport',
    E: o.updateTime,
    s: o.symbol,
    c: canceled && cancelId ? cancelId : o.clientOrderId,
    S: o.side,
    o: o.type,
    f: o.timeInForce,
    q: o.origQty,
    p: o.price,
    P: o.stopPrice,
    F: '0.00000000',
    g: -1,
    C: canceled ? o.clientOrderId : '',
    x: execution,
    X: o.status,
    r: 'NONE',
    i: o.orderId,
    l: lastQty,
    z: o.executedQty,
    L: lastPrice,
    n: trade ? trade.commission : '0',
    N: trade ? trade.commissionAsset : null,
    T: o.updateTime,
    t: trade ? trade.id : -1,
    I: o.orderId * 10,
    w: o.status === 'NEW',
    m: trade?.maker ?? false,
    M: false,
    O: o.time,
    Z: o.cummulativeQuoteQty,
    Y: trade?.quoteQty ?? '0',
    Q: '0.00000000',
    W: o.time,
    V: 'NONE',
  };
}

/** The balance event that follows a trade (spot `outboundAccountPosition`, futures `ACCOUNT_UPDATE`). */
export function accountEvent(market: BinanceMarketKind, time: number): Record<string, unknown> {
  if (market === 'futures')
    return {
      e: 'ACCOUNT_UPDATE',
      E: time,
      T: time,
      a: { m: 'ORDER', B: [{ a: 'USDT', wb: '10000.00000000', cw: '10000.00000000', bc: '0' }], P: [] },
    };
  return { e: 'outboundAccountPosition', E: time, u: time, B: [{ a: 'USDT', f: '10000.00000000', l: '0.00000000' }] };
}

/** Exchange information trimmed to two symbols (spot `GET /api/v3/exchangeInfo`, futures `GET /fapi/v1/exchangeInfo`). */
export function exchangeInfo(market: BinanceMarketKind) {
  if (market === 'futures') {
    return {
      timezone: 'UTC',
      serverTime: 0,
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
          orderTypes: [
            'LIMIT',
            'MARKET',
            'STOP',
            'STOP_MARKET',
            'TAKE_PROFIT',
            'TAKE_PROFIT_MARKET',
            'TRAILING_STOP_MARKET',
          ],
          timeInForce: ['GTC', 'IOC', 'FOK', 'GTX'],
        },
      ],
    };
  }
  const spot = (symbol: string, base: string, step: string, marketMax: string) => ({
    symbol,
    status: 'TRADING',
    baseAsset: base,
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
      { filterType: 'LOT_SIZE', minQty: step, maxQty: '9000.00000000', stepSize: step },
      { filterType: 'MARKET_LOT_SIZE', minQty: '0.00000000', maxQty: marketMax, stepSize: '0.00000000' },
      {
        filterType: 'NOTIONAL',
        minNotional: '5.00000000',
        applyMinToMarket: true,
        maxNotional: '9000000.00000000',
        applyMaxToMarket: false,
        avgPriceMins: 5,
      },
    ],
    permissions: [],
    permissionSets: [['SPOT', 'MARGIN']],
  });
  return {
    timezone: 'UTC',
    serverTime: 0,
    rateLimits: [
      { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100 },
    ],
    exchangeFilters: [],
    symbols: [
      spot('BTCUSDT', 'BTC', '0.00001000', '120.00000000'),
      spot('ETHUSDT', 'ETH', '0.00010000', '2500.00000000'),
    ],
  };
}
