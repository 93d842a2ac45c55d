import { Money } from '@barfinex/contracts';
import { BinanceRefusal } from './binance-venue-orders';
import type { VenueOrder, VenueOrders } from './binance-venue-orders';

/**
 * The USD-M Algo Service of the conformance fake, written from the derivatives docs (trade/rest-api
 * "New Algo Order(TRADE)", "Cancel Algo Order (TRADE)", "Query Algo Order (USER_DATA)", "Current All
 * Algo Open Orders (USER_DATA)"; user-data-streams "Event: Algo Order Update"). Conditional orders
 * rest here, not in the matching engine: when the last price crosses the trigger the service
 * places the real order (`actualOrderId`) in the matching engine. That order carries the
 * conditional order's client id: the docs do not say which id it gets, and users' logs of Binance's
 * `ORDER_TRADE_UPDATE` for a triggered order show the `clientAlgoId`.
 */
export interface AlgoOrder {
  algoId: number;
  clientAlgoId: string;
  algoType: 'CONDITIONAL';
  orderType: string;
  symbol: string;
  side: 'BUY' | 'SELL';
  positionSide: string;
  timeInForce: string;
  quantity: string;
  algoStatus: string;
  actualOrderId: string;
  actualPrice: string;
  triggerPrice: string;
  price: string;
  icebergQuantity: null;
  selfTradePreventionMode: string;
  workingType: string;
  priceMatch: string;
  closePosition: boolean;
  priceProtect: boolean;
  reduceOnly: boolean;
  activatePrice?: string;
  callbackRate?: string;
  createTime: number;
  updateTime: number;
  triggerTime: number;
  goodTillDate: number;
  rejectReason?: string;
}

/** "New Algo Order": `type` for algoType CONDITIONAL. */
const CONDITIONAL_TYPES = new Set(['STOP_MARKET', 'TAKE_PROFIT_MARKET', 'STOP', 'TAKE_PROFIT', 'TRAILING_STOP_MARKET']);
/** "New Algo Order": timeInForce "IOC or GTC or FOK, default GTC". */
const ALGO_TIFS = new Set(['GTC', 'IOC', 'FOK']);
/** Statuses in which "Current All Algo Open Orders" still lists an order (not yet in the matching engine). */
const OPEN_ALGO = new Set(['NEW', 'TRIGGERING']);
/** Change log 2026-10-23: callbackRate of TRAILING_STOP_MARKET is at most 20 (was 10); the minimum stays 0.1. */
const CALLBACK_RATE = { min: new Money('0.1'), max: new Money('20') };

const missing = (name: string) =>
  new BinanceRefusal(400, -1102, `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`);

export interface AlgoServiceOptions {
  orders: VenueOrders;
  now: () => number;
  /** Every algo order change, as the `ALGO_UPDATE` event carries it. */
  onChange: (a: AlgoOrder) => void;
  /** The client id the real order gets: the clientAlgoId (default), or one of the venue's own. */
  realOrderIds?: 'clientAlgoId' | 'venue';
}

export function createAlgoService(options: AlgoServiceOptions) {
  const { orders } = options;
  const algos = new Map<string, AlgoOrder>();
  /** Trailing stops: the best price since activation, from which the callback is measured. */
  const peaks = new Map<string, Money>();
  let nextAlgoId = 3_000_000_000;

  function change(a: AlgoOrder, status: string, extra: Partial<AlgoOrder> = {}): void {
    Object.assign(a, { algoStatus: status, updateTime: options.now(), ...extra });
    options.onChange(a);
  }

  /** Whether the conditional order fires at `last` ("workingType" CONTRACT_PRICE: the last price). */
  function fires(a: AlgoOrder, last: Money): boolean {
    const trigger = new Money(a.triggerPrice);
    const buy = a.side === 'BUY';
    if (a.orderType === 'STOP_MARKET' || a.orderType === 'STOP') return buy ? last.gte(trigger) : last.lte(trigger);
    if (a.orderType === 'TAKE_PROFIT_MARKET' || a.orderType === 'TAKE_PROFIT')
      return buy ? last.lte(trigger) : last.gte(trigger);
    // TRAILING_STOP_MARKET: armed at activatePrice (or at once), fires after a callbackRate retreat from the best price.
    const activate = a.activatePrice ? new Money(a.activatePrice) : undefined;
    let peak = peaks.get(a.clientAlgoId);
    if (!peak) {
      if (activate && (buy ? last.gt(activate) : last.lt(activate))) return false;
      peak = last;
    }
    peak = buy ? Money.min(peak, last) : Money.max(peak, last);
    peaks.set(a.clientAlgoId, peak);
    const rate = new Money(a.callbackRate ?? '0').div(100);
    return buy ? last.gte(peak.times(rate.plus(1))) : last.lte(peak.times(new Money(1).minus(rate)));
  }

  /** The trigger hands the order to the matching engine: TRIGGERING, TRIGGERED, then FINISHED once it is done. */
  function trigger(a: AlgoOrder, last: string): void {
    change(a, 'TRIGGERING', { triggerTime: options.now() });
    const market = a.orderType.endsWith('_MARKET');
    let placed: VenueOrder;
    try {
      placed = orders.place({
        symbol: a.symbol,
        side: a.side,
        type: market ? 'MARKET' : 'LIMIT',
        quantity: a.quantity,
        ...(options.realOrderIds === 'venue' ? {} : { newClientOrderId: a.clientAlgoId }),
        ...(market ? {} : { price: a.price, timeInForce: a.timeInForce }),
      }).order;
    } catch (e) {
      // "REJECTED: denied by the matching engine, such as in scenarios of margin check failures".
      change(a, 'REJECTED', { rejectReason: e instanceof Error ? e.message : String(e) });
      return;
    }
    change(a, 'TRIGGERED', { actualOrderId: String(placed.orderId), actualPrice: market ? last : a.price });
    finishIfDone(placed);
  }

  /** "FINISHED: the triggered conditional order has been filled or canceled in the matching engine". */
  function finishIfDone(o: VenueOrder): void {
    const a = [...algos.values()].find((x) => x.actualOrderId === String(o.orderId));
    if (!a || a.algoStatus !== 'TRIGGERED') return;
    if (o.status === 'NEW' || o.status === 'PARTIALLY_FILLED') return;
    change(a, 'FINISHED');
  }

  function validate(q: URLSearchParams, last: Money | undefined): void {
    if (q.get('algoType') !== 'CONDITIONAL')
      throw new BinanceRefusal(400, -1130, 'Invalid data sent for a parameter: algoType.');
    const type = q.get('type') ?? '';
    if (!CONDITIONAL_TYPES.has(type)) throw new BinanceRefusal(400, -1116, 'Invalid orderType.');
    const side = q.get('side');
    if (side !== 'BUY' && side !== 'SELL') throw new BinanceRefusal(400, -1117, 'Invalid side.');
    const tif = q.get('timeInForce');
    if (tif !== null && !ALGO_TIFS.has(tif)) throw new BinanceRefusal(400, -1115, 'Invalid timeInForce.');
    const closePosition = q.get('closePosition') === 'true';
    // "quantity: Cannot be sent with closePosition=true(Close-All)"; "closePosition: used with STOP_MARKET or TAKE_PROFIT_MARKET".
    if (closePosition && q.get('quantity'))
      throw new BinanceRefusal(400, -1106, "Parameter 'quantity' sent when not required.");
    if (closePosition && !(type === 'STOP_MARKET' || type === 'TAKE_PROFIT_MARKET'))
      throw new BinanceRefusal(400, -1106, "Parameter 'closePosition' sent when not required.");
    if (!closePosition && !q.get('quantity')) throw missing('quantity');
    if ((type === 'STOP' || type === 'TAKE_PROFIT') && !q.get('price')) throw missing('price');
    if (type === 'TRAILING_STOP_MARKET') {
      const rate = q.get('callbackRate');
      if (!rate) throw missing('callbackRate');
      if (new Money(rate).lt(CALLBACK_RATE.min) || new Money(rate).gt(CALLBACK_RATE.max))
        throw new BinanceRefusal(400, -2007, 'Invalid callBack rate.');
      return;
    }
    const trigger = q.get('triggerPrice');
    if (!trigger) throw missing('triggerPrice');
    // errors.md -2021 ORDER_WOULD_IMMEDIATELY_TRIGGER: a stop whose trigger the price has already passed.
    const probe = { orderType: type, side, triggerPrice: trigger } as AlgoOrder;
    if (last && fires(probe, last)) throw new BinanceRefusal(400, -2021, 'Order would immediately trigger.');
  }

  /** "Query Algo Order" / "Cancel Algo Order": either algoId or clientAlgoId (the cancel table spells them lower case). */
  function find(q: URLSearchParams): AlgoOrder | undefined {
    const cid = q.get('clientAlgoId') ?? q.get('clientalgoid');
    const id = q.get('algoId') ?? q.get('algoid');
    if (!cid && !id)
      throw new BinanceRefusal(400, -1102, "Param 'algoId' or 'clientAlgoId' must be sent, but both were empty/null!");
    return cid ? algos.get(cid) : [...algos.values()].find((a) => String(a.algoId) === id);
  }

  return {
    algos,
    place(q: URLSearchParams): AlgoOrder {
      const symbol = q.get('symbol') ?? '';
      const lastText = orders.prices.get(symbol);
      validate(q, lastText ? new Money(lastText) : undefined);
      // The same symbol filters as the matching engine: PRICE_FILTER for price and triggerPrice, LOT_SIZE for quantity.
      for (const price of [q.get('price'), q.get('triggerPrice'), q.get('activatePrice')])
        orders.checkFilters(symbol, { ...(price ? { price } : {}) });
      orders.checkFilters(symbol, { ...(q.get('quantity') ? { quantity: q.get('quantity') as string } : {}) });
      const clientAlgoId = q.get('clientAlgoId') ?? `algo-${nextAlgoId}`;
      const same = algos.get(clientAlgoId);
      if (same && OPEN_ALGO.has(same.algoStatus)) throw new BinanceRefusal(400, -4116, 'ClientOrderId is duplicated.');
      const t = options.now();
      const a: AlgoOrder = {
        algoId: nextAlgoId++,
        clientAlgoId,
        algoType: 'CONDITIONAL',
        orderType: q.get('type') ?? '',
        symbol,
        side: q.get('side') === 'BUY' ? 'BUY' : 'SELL',
        positionSide: q.get('positionSide') ?? 'BOTH',
        timeInForce: q.get('timeInForce') ?? 'GTC',
        quantity: q.get('quantity') ?? '0',
        algoStatus: 'NEW',
        actualOrderId: '',
        actualPrice: '0.00000',
        triggerPrice: q.get('triggerPrice') ?? '0',
        price: q.get('price') ?? '0',
        icebergQuantity: null,
        selfTradePreventionMode: 'EXPIRE_MAKER',
        workingType: q.get('workingType') ?? 'CONTRACT_PRICE',
        priceMatch: q.get('priceMatch') ?? 'NONE',
        closePosition: q.get('closePosition') === 'true',
        priceProtect: q.get('priceProtect') === 'TRUE' || q.get('priceProtect') === 'true',
        reduceOnly: q.get('reduceOnly') === 'true',
        ...(q.get('activatePrice') ? { activatePrice: q.get('activatePrice') as string } : {}),
        ...(q.get('callbackRate') ? { callbackRate: q.get('callbackRate') as string } : {}),
        createTime: t,
        updateTime: t,
        triggerTime: 0,
        goodTillDate: 0,
      };
      algos.set(clientAlgoId, a);
      options.onChange(a);
      return a;
    },
    query(q: URLSearchParams): AlgoOrder {
      const a = find(q);
      if (!a) throw new BinanceRefusal(400, -2013, 'Order does not exist.');
      return a;
    },
    /** "Cancel an active algo order": only one not yet handed to the matching engine. */
    cancel(q: URLSearchParams): { algoId: number; clientAlgoId: string; code: string; msg: string } {
      const a = find(q);
      if (!a || !OPEN_ALGO.has(a.algoStatus)) throw new BinanceRefusal(400, -2011, 'Unknown order sent.');
      change(a, 'CANCELED');
      return { algoId: a.algoId, clientAlgoId: a.clientAlgoId, code: '200', msg: 'success' };
    },
    open(symbol: string | null): AlgoOrder[] {
      return [...algos.values()].filter((a) => OPEN_ALGO.has(a.algoStatus) && (!symbol || a.symbol === symbol));
    },
    /** The last price of `symbol` moves: conditional orders whose condition now holds fire. */
    priceMoved(symbol: string, last: string): void {
      for (const a of [...algos.values()])
        if (a.symbol === symbol && a.algoStatus === 'NEW' && fires(a, new Money(last))) trigger(a, last);
    },
    /** A matching-engine order changed: a triggered conditional order whose real order is done finishes. */
    orderChanged: finishIfDone,
  };
}

export type AlgoService = ReturnType<typeof createAlgoService>;

/** "Event: Algo Order Update" (`ALGO_UPDATE`), the order's fields under `o`. */
export function algoUpdateEvent(a: AlgoOrder, executed: VenueOrder | undefined): Record<string, unknown> {
  const avg =
    executed && !new Money(executed.executedQty).isZero()
      ? new Money(executed.cummulativeQuoteQty).div(executed.executedQty).toFixed()
      : '0.00000';
  return {
    e: 'ALGO_UPDATE',
    T: a.updateTime,
    E: a.updateTime,
    o: {
      caid: a.clientAlgoId,
      aid: a.algoId,
      at: a.algoType,
      o: a.orderType,
      s: a.symbol,
      S: a.side,
      ps: a.positionSide,
      f: a.timeInForce,
      q: a.quantity,
      X: a.algoStatus,
      ai: a.actualOrderId,
      ap: avg,
      aq: executed?.executedQty ?? '0.00000',
      act: a.actualOrderId ? (a.orderType.endsWith('_MARKET') ? 'MARKET' : 'LIMIT') : '0',
      tp: a.triggerPrice,
      p: a.price,
      V: a.selfTradePreventionMode,
      wt: a.workingType,
      pm: a.priceMatch,
      cp: a.closePosition,
      pP: a.priceProtect,
      R: a.reduceOnly,
      tt: a.triggerTime,
      gtd: a.goodTillDate,
      ...(a.rejectReason ? { rm: a.rejectReason } : {}),
    },
  };
}
