import { Money } from '@barfinex/contracts';

/**
 * Order book keeping of the Binance conformance fake: order records as the REST API returns them,
 * trades as `myTrades`/`userTrades` list them, and the filters of `exchangeInfo` enforced the way
 * Binance enforces them. Written from the docs, not from the connector:
 * - spot: rest-api.md "New order (TRADE)", "Cancel order (TRADE)", filters.md, errors.md
 *   (binance-spot-api-docs, CHANGELOG "Last Updated: 2026-07-17");
 * - USD-M futures: derivatives docs "New Order (TRADE)", "Cancel Order (TRADE)", "Account Trade List".
 */
export type BinanceMarketKind = 'spot' | 'futures';

export interface VenueOrder {
  symbol: string;
  orderId: number;
  clientOrderId: string;
  price: string;
  origQty: string;
  executedQty: string;
  cummulativeQuoteQty: string;
  status: string;
  timeInForce: string;
  type: string;
  side: 'BUY' | 'SELL';
  stopPrice: string;
  time: number;
  updateTime: number;
}

export interface VenueTrade {
  symbol: string;
  id: number;
  orderId: number;
  price: string;
  qty: string;
  quoteQty: string;
  commission: string;
  commissionAsset: string;
  time: number;
  isBuyer: boolean;
  buyer: boolean;
  isMaker: boolean;
  maker: boolean;
  realizedPnl: string;
}

export interface VenueFilter {
  filterType: string;
  [k: string]: unknown;
}

/** A refusal with Binance's own status, code and message (errors.md). */
export class BinanceRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const OPEN = new Set(['NEW', 'PARTIALLY_FILLED']);
export const isOpen = (o: VenueOrder) => OPEN.has(o.status);

/** filters.md: `(value - min) % step == 0`, `value >= min`, `value <= max` for the filter that applies. */
function checkStep(
  name: string,
  value: Money,
  f: VenueFilter | undefined,
  minKey: string,
  maxKey: string,
  stepKey: string,
): void {
  if (!f) return;
  const min = new Money(String(f[minKey] ?? '0'));
  const max = new Money(String(f[maxKey] ?? '0'));
  const step = new Money(String(f[stepKey] ?? '0'));
  if (min.gt(0) && value.lt(min)) throw new BinanceRefusal(400, -1013, `Filter failure: ${name}`);
  if (max.gt(0) && value.gt(max)) throw new BinanceRefusal(400, -1013, `Filter failure: ${name}`);
  if (step.gt(0) && !value.minus(min).mod(step).isZero())
    throw new BinanceRefusal(400, -1013, `Filter failure: ${name}`);
}

export interface PlaceParams {
  symbol: string;
  side: string;
  type: string;
  quantity?: string;
  price?: string;
  stopPrice?: string;
  timeInForce?: string;
  newClientOrderId?: string;
}

/** Venue types per market (spot enums.md "Order types"; futures "New Order" `type`). */
const TYPES: Record<BinanceMarketKind, ReadonlySet<string>> = {
  spot: new Set(['LIMIT', 'MARKET', 'STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT', 'LIMIT_MAKER']),
  futures: new Set([
    'LIMIT',
    'MARKET',
    'STOP',
    'STOP_MARKET',
    'TAKE_PROFIT',
    'TAKE_PROFIT_MARKET',
    'TRAILING_STOP_MARKET',
  ]),
};
/** Spot enums.md "Time in force": GTC, IOC, FOK; futures adds GTX (post only) and GTD. */
const TIFS: Record<BinanceMarketKind, ReadonlySet<string>> = {
  spot: new Set(['GTC', 'IOC', 'FOK']),
  futures: new Set(['GTC', 'IOC', 'FOK', 'GTX', 'GTD']),
};
const ALGO_ONLY = new Set(['STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET']);
/** Types that need timeInForce (rest-api.md "Other info" per type). */
const NEEDS_TIF = new Set(['LIMIT', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT_LIMIT', 'STOP', 'TAKE_PROFIT']);

export interface OrderBookOptions {
  market: BinanceMarketKind;
  now: () => number;
  symbols: () => Array<{ symbol: string; baseAsset: string; quoteAsset: string; filters: VenueFilter[] }>;
  /** Called for every order change with the execution type and, for a fill, the trade. */
  onChange: (
    o: VenueOrder,
    execution: 'NEW' | 'TRADE' | 'CANCELED' | 'EXPIRED',
    trade?: VenueTrade,
    cancelId?: string,
  ) => void;
}

/** Orders and trades of one account on one market, matched against a set last price. */
export function createVenueOrders(options: OrderBookOptions) {
  const orders = new Map<string, VenueOrder>();
  const trades: VenueTrade[] = [];
  const prices = new Map<string, string>([
    ['BTCUSDT', '95000.00'],
    ['ETHUSDT', '3500.00'],
  ]);
  let nextOrderId = 1000;
  let nextTradeId = 5000;

  function execute(o: VenueOrder, qty: Money, price: string, maker: boolean): VenueTrade {
    const t = options.now();
    const quote = qty.times(price);
    const trade: VenueTrade = {
      symbol: o.symbol,
      id: nextTradeId++,
      orderId: o.orderId,
      price,
      qty: qty.toFixed(),
      quoteQty: quote.toFixed(),
      commission: quote.times('0.001').toFixed(8),
      commissionAsset: options.market === 'spot' ? (o.side === 'BUY' ? o.symbol.replace(/USDT$/, '') : 'USDT') : 'USDT',
      time: t,
      isBuyer: o.side === 'BUY',
      buyer: o.side === 'BUY',
      isMaker: maker,
      maker,
      realizedPnl: '0',
    };
    trades.push(trade);
    const executed = new Money(o.executedQty).plus(qty);
    Object.assign(o, {
      executedQty: executed.toFixed(),
      cummulativeQuoteQty: new Money(o.cummulativeQuoteQty).plus(quote).toFixed(),
      status: executed.gte(o.origQty) ? 'FILLED' : 'PARTIALLY_FILLED',
      updateTime: t,
    });
    options.onChange(o, 'TRADE', trade);
    return trade;
  }

  function crosses(o: VenueOrder, last: string): boolean {
    return o.side === 'BUY' ? new Money(o.price).gte(last) : new Money(o.price).lte(last);
  }

  function validate(p: PlaceParams): void {
    const info = options.symbols().find((s) => s.symbol === p.symbol);
    if (!info) throw new BinanceRefusal(400, -1121, 'Invalid symbol.');
    if (!TYPES[options.market].has(p.type)) throw new BinanceRefusal(400, -1116, 'Invalid orderType.');
    // USD-M conditional orders moved to the Algo Service (`POST /fapi/v1/algoOrder`); the classic endpoint refuses them.
    if (options.market === 'futures' && ALGO_ONLY.has(p.type))
      throw new BinanceRefusal(
        400,
        -4120,
        'Order type not supported for this endpoint. Please use the Algo Order API endpoints instead.',
      );
    if (p.side !== 'BUY' && p.side !== 'SELL') throw new BinanceRefusal(400, -1117, 'Invalid side.');
    if (NEEDS_TIF.has(p.type) && !p.timeInForce)
      throw new BinanceRefusal(
        400,
        -1102,
        "Mandatory parameter 'timeInForce' was not sent, was empty/null, or malformed.",
      );
    if (p.timeInForce !== undefined && !TIFS[options.market].has(p.timeInForce))
      throw new BinanceRefusal(400, -1115, 'Invalid timeInForce.');
    if (!p.quantity)
      throw new BinanceRefusal(
        400,
        -1102,
        "Mandatory parameter 'quantity' was not sent, was empty/null, or malformed.",
      );
    const f = (t: string) => info.filters.find((x) => x.filterType === t);
    const qty = new Money(p.quantity);
    checkFilters(p.symbol, { quantity: p.quantity, ...(p.price !== undefined ? { price: p.price } : {}) });
    // filters.md MARKET_LOT_SIZE: the quantity rules for MARKET orders.
    if (p.type === 'MARKET') checkStep('MARKET_LOT_SIZE', qty, f('MARKET_LOT_SIZE'), 'minQty', 'maxQty', 'stepSize');
  }

  /** LOT_SIZE for a quantity and PRICE_FILTER for a price of `symbol` (filters.md). */
  function checkFilters(symbol: string, v: { quantity?: string; price?: string }): void {
    const info = options.symbols().find((s) => s.symbol === symbol);
    if (!info) throw new BinanceRefusal(400, -1121, 'Invalid symbol.');
    const f = (t: string) => info.filters.find((x) => x.filterType === t);
    if (v.quantity !== undefined)
      checkStep('LOT_SIZE', new Money(v.quantity), f('LOT_SIZE'), 'minQty', 'maxQty', 'stepSize');
    if (v.price !== undefined)
      checkStep('PRICE_FILTER', new Money(v.price), f('PRICE_FILTER'), 'minPrice', 'maxPrice', 'tickSize');
  }

  return {
    orders,
    trades,
    prices,
    checkFilters,
    place(p: PlaceParams): { order: VenueOrder; fills: VenueTrade[] } {
      validate(p);
      const clientOrderId = p.newClientOrderId ?? `venue-${nextOrderId}`;
      // rest-api.md: a newClientOrderId of an order that is still open is refused as a duplicate.
      const same = orders.get(clientOrderId);
      if (same && isOpen(same)) throw new BinanceRefusal(400, -2010, 'Duplicate order sent.');
      const t = options.now();
      const o: VenueOrder = {
        symbol: p.symbol,
        orderId: nextOrderId++,
        clientOrderId,
        price: p.price ?? '0',
        origQty: new Money(p.quantity ?? '0').toFixed(),
        executedQty: '0',
        cummulativeQuoteQty: '0',
        status: 'NEW',
        timeInForce: p.timeInForce ?? 'GTC',
        type: p.type,
        side: p.side === 'SELL' ? 'SELL' : 'BUY',
        stopPrice: p.stopPrice ?? '0',
        time: t,
        updateTime: t,
      };
      const last = prices.get(o.symbol) ?? '0';
      const takes = o.type === 'MARKET' || ((o.type === 'LIMIT' || o.type === 'LIMIT_MAKER') && crosses(o, last));
      // rest-api.md LIMIT_MAKER: "rejected if it would immediately match and trade as a taker".
      if (takes && o.type === 'LIMIT_MAKER')
        throw new BinanceRefusal(400, -2010, 'Order would immediately match and take.');
      orders.set(clientOrderId, o);
      if (takes && o.timeInForce === 'GTX') {
        // Futures post-only that would take is expired, not filled.
        Object.assign(o, { status: 'EXPIRED', updateTime: t });
        options.onChange(o, 'EXPIRED');
        return { order: o, fills: [] };
      }
      if (!takes) {
        if (o.timeInForce === 'IOC' || o.timeInForce === 'FOK') {
          Object.assign(o, { status: 'EXPIRED', updateTime: t });
          options.onChange(o, 'EXPIRED');
        } else options.onChange(o, 'NEW');
        return { order: o, fills: [] };
      }
      const price = o.type === 'MARKET' ? last : o.price;
      return { order: o, fills: [execute(o, new Money(o.origQty), price, false)] };
    },
    /** A resting order trades (at its limit price) for `qty` or the rest of it. */
    fill(clientOrderId: string, qty?: string): VenueTrade {
      const o = orders.get(clientOrderId);
      if (!o || !isOpen(o)) throw new Error(`no open order ${clientOrderId}`);
      const rest = new Money(o.origQty).minus(o.executedQty);
      return execute(o, qty ? Money.min(rest, qty) : rest, o.price, true);
    },
    cancel(clientOrderId: string, cancelId: string): VenueOrder {
      const o = orders.get(clientOrderId);
      if (!o) throw new BinanceRefusal(400, -2011, 'Unknown order sent.');
      if (!isOpen(o)) throw new BinanceRefusal(400, -2011, 'Unknown order sent.');
      Object.assign(o, { status: 'CANCELED', updateTime: options.now() });
      options.onChange(o, 'CANCELED', undefined, cancelId);
      return o;
    },
    /** An order placed elsewhere (web UI, another bot), as the venue would list it. */
    add(o: Omit<VenueOrder, 'orderId'>): VenueOrder {
      const order = { ...o, orderId: nextOrderId++ };
      orders.set(order.clientOrderId, order);
      return order;
    },
  };
}

export type VenueOrders = ReturnType<typeof createVenueOrders>;
