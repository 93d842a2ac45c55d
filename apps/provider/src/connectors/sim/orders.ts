import { OrderSide, OrderStatus, OrderType } from '@barfinex/enums';
import { accountFor, addTo, spotAsset } from './accounts';
import { bestBidAsk, currentBook } from './book';
import { SIM_MARKET_TYPES } from './config';
import type { SimMarketType } from './config';
import { Dec, ZERO, cmp, isPositive, minDec, str } from './decimal';
import { emitOrder } from './emit';
import { SimErrorCode, reject } from './errors';
import { closeOrder, emitLockBalance, lockFor } from './ledger';
import { arm, fire, wouldTrigger } from './conditional';
import { executeLive, isLive, marginCovers } from './matching';
import { reducibleQty } from './positions';
import { marketKey } from './state';
import type { AccountState, Engine, MarketState, OrderState } from './state';
import { CLIENT_ORDER_ID_PATTERN } from './types';
import type { SimFill, SimOrder, SimOrderRequest } from './types';
import { validateRequest } from './validate';
import type { ValidRequest } from './validate';
import { futuresAvailable, orderView } from './views';

export interface PlaceOrderResult {
  order: SimOrder;
  /** Fills produced by this call (empty for a resting order or a duplicate). */
  fills: SimFill[];
  /** True when the clientOrderId was already known: `order` is the first order, nothing new was placed. */
  duplicate: boolean;
}

export function marketFor(engine: Engine, marketType: unknown, symbol: unknown): MarketState {
  if (!(SIM_MARKET_TYPES as readonly unknown[]).includes(marketType)) {
    reject(SimErrorCode.UNKNOWN_MARKET, `marketType must be spot or futures, got ${JSON.stringify(marketType)}`);
  }
  const ms =
    typeof symbol === 'string' ? engine.markets.get(marketKey(marketType as SimMarketType, symbol)) : undefined;
  if (ms === undefined)
    reject(
      SimErrorCode.UNKNOWN_SYMBOL,
      `symbol ${JSON.stringify(symbol)} is not traded on the sim ${String(marketType)} market`,
    );
  return ms;
}

function mintClientOrderId(engine: Engine, account: AccountState): string {
  for (;;) {
    const id = `sim-${(++engine.seq.client).toString(36)}`;
    if (!account.byClientId.has(id)) return id;
  }
}

/**
 * Validates, reserves funds and runs one order. Every check happens before anything changes, so a
 * SimRejectError leaves orders, balances and positions untouched. A known clientOrderId returns
 * the first order (idempotent retries never create a second one).
 */
export function placeOrder(engine: Engine, accountId: string, req: SimOrderRequest): PlaceOrderResult {
  if (req === null || typeof req !== 'object') reject(SimErrorCode.INVALID_ORDER, 'order request must be an object');
  if (req.clientOrderId !== undefined) {
    if (typeof req.clientOrderId !== 'string' || !CLIENT_ORDER_ID_PATTERN.test(req.clientOrderId)) {
      reject(SimErrorCode.INVALID_ORDER, 'clientOrderId must be 1–64 characters of [A-Za-z0-9._:-]');
    }
    const existing = engine.accounts.get(accountId)?.byClientId.get(req.clientOrderId);
    if (existing !== undefined) return { order: orderView(existing), fills: [], duplicate: true };
  }
  const ms = marketFor(engine, req.marketType, req.symbol);
  const valid = validateRequest(ms, req);
  const account = accountFor(engine, accountId);
  const order = draft(engine, account, ms, valid, req.clientOrderId);
  const immediate =
    valid.conditional && valid.type !== OrderType.TRAILING_STOP_MARKET && wouldTrigger(order, ms.lastTicks);
  const lock = precheck(engine, order, immediate);

  engine.collect = [];
  try {
    order.id = String(++engine.seq.order);
    order.clientOrderId = req.clientOrderId ?? mintClientOrderId(engine, account);
    engine.orders.set(order.id, order);
    account.byClientId.set(order.clientOrderId, order);
    account.open.add(order);
    order.locked = lock;
    if (isPositive(order.locked)) {
      if (ms.marketType === 'spot') {
        const entry = spotAsset(account, order.lockAsset);
        entry.free = entry.free.minus(order.locked);
        entry.locked = entry.locked.plus(order.locked);
      } else {
        addTo(account.futures.orderMargin, order.lockAsset, order.locked);
      }
    }
    emitOrder(engine, order);
    if (isPositive(order.locked)) emitLockBalance(engine, order);
    if (!valid.conditional) executeLive(engine, order);
    else if (immediate) fire(engine, order);
    else arm(engine, order);
    return { order: orderView(order), fills: engine.collect, duplicate: false };
  } finally {
    engine.collect = null;
  }
}

/** Prices are validated onto the tick grid, so a float division rounds to the exact integer (prices stay far below 2^53 ticks). */
export function toTicks(price: Dec, ms: MarketState): number {
  return Math.round(price.toNumber() / ms.spec.tickNumber);
}

function draft(
  engine: Engine,
  account: AccountState,
  ms: MarketState,
  v: ValidRequest,
  clientOrderId: string | undefined,
): OrderState {
  const now = engine.clock.now();
  const spot = ms.marketType === 'spot';
  const futures = !spot;
  const lockRef = v.price ?? v.stopPrice ?? v.activationPrice ?? ms.lastPrice;
  return {
    id: '',
    clientOrderId: clientOrderId ?? '',
    account,
    ms,
    side: v.side,
    type: v.type,
    tif: v.tif,
    qty: v.qty,
    price: v.price,
    priceTicks: v.priceTicks,
    stopPrice: v.stopPrice,
    stopTicks: v.stopTicks,
    activationPrice: v.activationPrice,
    callbackRate: v.callbackRate,
    reduceOnly: v.reduceOnly,
    status: v.conditional ? OrderStatus.PENDING_TRIGGER : OrderStatus.NEW,
    executed: ZERO,
    cumQuote: ZERO,
    commission: ZERO,
    exec: v.exec,
    triggered: false,
    trailArmed: false,
    trailExtreme: null,
    locked: ZERO,
    lockAsset: spot && v.side === OrderSide.SELL ? ms.spec.baseAsset : ms.spec.quoteAsset,
    lockRef,
    // Only a spot BUY reserves per unit of quantity (see lockFor).
    lockUnit: spot && v.side === OrderSide.BUY ? lockRef.mul(ms.lockFactor) : ZERO,
    reducibleAtPlacement: futures ? reducibleQty(account, ms, v.side) : ZERO,
    leverage: futures ? (account.futures.leverage.get(ms.spec.symbol) ?? engine.cfg.defaultLeverage) : null,
    reason: null,
    createdAt: now,
    updatedAt: now,
    place: null,
    handle: null,
    restingSeq: 0,
  };
}

/**
 * Conditions that depend on the market and the account, checked before anything is reserved.
 * Returns what the order reserves at placement (lockFor of its whole quantity).
 */
function precheck(engine: Engine, order: OrderState, immediate: boolean): Dec {
  const ms = order.ms;
  if (order.type === OrderType.LIMIT_MAKER) {
    const { bidTicks, askTicks } = bestBidAsk(engine, ms);
    const takes =
      order.side === OrderSide.BUY
        ? askTicks !== null && order.priceTicks >= askTicks
        : bidTicks !== null && order.priceTicks <= bidTicks;
    if (takes)
      reject(
        SimErrorCode.WOULD_TAKE,
        `LIMIT_MAKER ${order.side} at ${str(order.price as Dec)} would immediately match and take`,
      );
  }
  if (immediate && engine.cfg.immediateTrigger === 'reject') {
    reject(
      SimErrorCode.WOULD_TRIGGER_IMMEDIATELY,
      `${order.type} ${order.side} stopPrice ${str(order.stopPrice as Dec)} is already reached (last ${str(ms.lastPrice)})`,
    );
  }
  if (order.reduceOnly && order.reducibleAtPlacement.isZero()) {
    reject(SimErrorCode.REDUCE_ONLY, `reduce-only ${order.side} would open or increase the ${ms.spec.symbol} position`);
  }
  const account = order.account;
  if (ms.marketType === 'spot') {
    if (order.side === OrderSide.SELL) {
      const free = account.spot.get(ms.spec.baseAsset)?.free ?? ZERO;
      if (cmp(free, order.qty) < 0) insufficient(`${str(order.qty)} ${ms.spec.baseAsset} needed, ${str(free)} free`);
      return lockFor(order, order.qty);
    }
    const free = account.spot.get(ms.spec.quoteAsset)?.free ?? ZERO;
    const lock = lockFor(order, order.qty);
    const needed = order.type === OrderType.MARKET ? marketBuyCost(engine, order) : lock;
    if (cmp(free, needed) < 0) insufficient(`${str(needed)} ${ms.spec.quoteAsset} needed, ${str(free)} free`);
    return lock;
  }
  if (order.reduceOnly || order.type === OrderType.MARKET) {
    if (!order.reduceOnly && !marginCovers(engine, order))
      insufficient(`not enough available ${ms.spec.quoteAsset} margin`);
    return lockFor(order, order.qty);
  }
  const needed = lockFor(order, order.qty);
  const available = futuresAvailable(account, ms.spec.quoteAsset);
  if (cmp(available, needed) < 0)
    insufficient(`${str(needed)} ${ms.spec.quoteAsset} margin needed, ${str(available)} available`);
  return needed;
}

function insufficient(message: string): never {
  reject(SimErrorCode.INSUFFICIENT_BALANCE, message);
}

/** Quote needed (fee included) to fill a market buy as far as the book goes. */
function marketBuyCost(engine: Engine, order: OrderState): Dec {
  const rows = currentBook(engine, order.ms).asks;
  let left = order.qty;
  let cost = ZERO;
  for (const r of rows) {
    if (!isPositive(left)) break;
    const qty = minDec(left, r.size);
    cost = cost.plus(qty.mul(r.price));
    left = left.minus(qty);
  }
  return cost.mul(order.ms.takerFactor);
}

export function cancelOrder(engine: Engine, accountId: string, marketType: SimMarketType, orderId: string): SimOrder {
  const order = engine.orders.get(orderId);
  if (order === undefined || order.account.id !== accountId || order.ms.marketType !== marketType) {
    reject(SimErrorCode.UNKNOWN_ORDER, `no ${marketType} order ${orderId} for account ${accountId}`);
  }
  if (!isLive(order)) reject(SimErrorCode.ORDER_NOT_OPEN, `order ${orderId} is already ${order.status}`);
  closeOrder(engine, order, OrderStatus.CANCELED, 'USER_CANCEL');
  return orderView(order);
}
