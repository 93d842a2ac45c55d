import { OrderSide, OrderStatus, OrderType } from '@barfinex/enums';
import { addTo, spotAsset } from './accounts';
import { Dec, ZERO, addDec, isPositive, minDec, money8Up, str, subDec } from './decimal';
import { emitFuturesBalance, emitOrder, emitPosition, emitSpotBalance, safeCall } from './emit';
import { applyPositionFill, dropIfFlat, refreshMargin } from './positions';
import { MAX_TRACKED_EVICTIONS, touchOrder } from './state';
import type { AccountState, Engine, MarketState, OrderState } from './state';
import type { SimFill } from './types';
import { futuresAvailable, remainingQty } from './views';

/**
 * Funds an order reserves for `remaining` unfilled quantity.
 *  spot BUY:  remaining × reference price × (1 + the higher fee rate) of the quote asset (covers the fee
 *             whether it fills as taker or maker)
 *  spot SELL: remaining of the base asset
 *  futures:   margin for the part that would grow the position, assuming the opposite position
 *             present at placement is reduced first: min(remaining, qty − reducible) × ref / leverage
 * Live MARKET orders reserve nothing: they settle within the call that executes them.
 */
export function lockFor(order: OrderState, remaining: Dec): Dec {
  if (remaining.isZero() || order.type === OrderType.MARKET || (order.triggered && order.exec === 'MARKET'))
    return ZERO;
  if (order.ms.marketType === 'spot') return order.side === OrderSide.BUY ? remaining.mul(order.lockUnit) : remaining;
  if (order.reduceOnly) return ZERO;
  const growing = order.qty.minus(order.reducibleAtPlacement);
  if (!isPositive(growing)) return ZERO;
  return money8Up(
    minDec(remaining, growing)
      .mul(order.lockRef)
      .div(order.leverage ?? 1),
  );
}

/** Moves the reservation to what `remaining` needs; returns true when a balance changed. */
export function relock(order: OrderState, remaining: Dec): boolean {
  const next = lockFor(order, remaining);
  const release = subDec(order.locked, next);
  if (release.isZero()) return false;
  order.locked = next;
  if (order.ms.marketType === 'spot') {
    const entry = spotAsset(order.account, order.lockAsset);
    entry.locked = entry.locked.minus(release);
    entry.free = entry.free.plus(release);
  } else {
    addTo(order.account.futures.orderMargin, order.lockAsset, release.neg());
  }
  return true;
}

/**
 * Sets an account's leverage on a futures symbol and re-margins, at the new leverage, both its
 * position and its open orders there (each order's reservation and the margin its fill will need
 * use one leverage, as on Binance). Returns false with nothing changed when the available balance
 * cannot cover the new margins.
 */
export function changeLeverage(engine: Engine, account: AccountState, ms: MarketState, leverage: number): boolean {
  const symbol = ms.spec.symbol;
  const previous = account.futures.leverage.get(symbol);
  const orders = [...account.open].filter((o) => o.ms === ms);
  const before = orders.map((o) => o.leverage);
  const position = account.futures.positions.get(symbol);
  const apply = (lev: number | undefined, orderLeverage: (i: number) => number | null): void => {
    if (lev === undefined) account.futures.leverage.delete(symbol);
    else account.futures.leverage.set(symbol, lev);
    orders.forEach((o, i) => {
      o.leverage = orderLeverage(i);
      relock(o, remainingQty(o));
    });
    if (position !== undefined) refreshMargin(engine, position);
  };
  apply(leverage, () => leverage);
  if (futuresAvailable(account, ms.spec.quoteAsset).isNegative()) {
    apply(previous, (i) => before[i] ?? null);
    return false;
  }
  for (const o of orders) touchOrder(engine, o);
  return true;
}

export function emitLockBalance(engine: Engine, order: OrderState): void {
  if (order.ms.marketType === 'spot') emitSpotBalance(engine, order.account, order.lockAsset);
  else emitFuturesBalance(engine, order.account, order.lockAsset);
}

/** Takes an order out of whichever index holds it. */
export function detach(order: OrderState): void {
  const ms = order.ms;
  const handle = order.handle;
  switch (order.place) {
    case 'bids':
      if (handle !== null) ms.bids.remove(handle);
      break;
    case 'asks':
      if (handle !== null) ms.asks.remove(handle);
      break;
    case 'stopsUp':
      if (handle !== null) ms.stopsUp.remove(handle);
      break;
    case 'stopsDown':
      if (handle !== null) ms.stopsDown.remove(handle);
      break;
    case 'trailing':
      ms.trailing.delete(order);
      break;
    case null:
      break;
  }
  order.place = null;
  order.handle = null;
}

/** A final order leaves the live set and joins the bounded history of answerable closed orders. */
function retire(engine: Engine, order: OrderState): void {
  order.account.open.delete(order);
  engine.closed.push(order);
  while (engine.closed.length - engine.closedHead > engine.cfg.closedOrderRetention) {
    const old = engine.closed[engine.closedHead++] as OrderState;
    if (engine.orders.get(old.id) === old) engine.orders.delete(old.id);
    const { changes } = engine;
    if (changes.tracking) {
      changes.orders.delete(old);
      if (changes.evicted.size >= MAX_TRACKED_EVICTIONS) {
        changes.evicted.clear();
        changes.overflow = true;
      }
      if (!changes.overflow) changes.evicted.add(old.id);
    }
    if (old.account.byClientId.get(old.clientOrderId) === old) old.account.byClientId.delete(old.clientOrderId);
  }
  if (engine.closedHead > 1024 && engine.closedHead * 2 > engine.closed.length) {
    engine.closed = engine.closed.slice(engine.closedHead);
    engine.closedHead = 0;
  }
}

/** Ends a live order without a fill (cancel, expiry): releases its reservation and reports it. */
export function closeOrder(engine: Engine, order: OrderState, status: OrderStatus, reason: string | null): void {
  detach(order);
  const released = relock(order, ZERO);
  order.status = status;
  order.reason = reason;
  order.updatedAt = engine.clock.now();
  retire(engine, order);
  emitOrder(engine, order);
  if (released) emitLockBalance(engine, order);
}

/**
 * Books one fill: releases the matching part of the reservation, moves spot balances or the
 * futures position and wallet, updates the order, then reports fill → order → balances → position.
 * Fees are charged in the quote asset on both markets.
 */
export function applyFill(engine: Engine, order: OrderState, price: Dec, qty: Dec, isMaker: boolean): SimFill | null {
  const ms = order.ms;
  const spec = ms.spec;
  const account = order.account;
  const now = engine.clock.now();
  const quote = price.mul(qty);
  const fee = quote.mul(isMaker ? ms.makerRate : ms.takerRate);
  const remainingAfter = remainingQty(order).minus(qty);
  relock(order, remainingAfter);
  let realized: Dec | null = null;
  let position = null;
  let closedSide;
  if (ms.marketType === 'spot') {
    const base = spotAsset(account, spec.baseAsset);
    const quoteAsset = spotAsset(account, spec.quoteAsset);
    if (order.side === OrderSide.BUY) {
      quoteAsset.free = quoteAsset.free.minus(quote).minus(fee);
      base.free = base.free.plus(qty);
    } else {
      base.free = base.free.minus(qty);
      quoteAsset.free = quoteAsset.free.plus(quote).minus(fee);
    }
  } else {
    const result = applyPositionFill(engine, account, ms, { side: order.side, qty, price, time: now });
    realized = result.realized;
    position = result.position;
    closedSide = result.closedSide;
    addTo(account.futures.wallet, spec.quoteAsset, realized.minus(fee));
  }
  order.executed = addDec(order.executed, qty);
  order.cumQuote = addDec(order.cumQuote, quote);
  order.commission = addDec(order.commission, fee);
  order.updatedAt = now;
  order.status = remainingAfter.isZero() ? OrderStatus.FILLED : OrderStatus.PARTIALLY_FILLED;
  if (order.status === OrderStatus.FILLED) {
    detach(order);
    retire(engine, order);
  }
  const fillId = ++engine.seq.fill;
  const { sink } = engine;
  let fill: SimFill | null = null;
  if (sink.onFill !== undefined || engine.collect !== null) {
    fill = {
      id: String(fillId),
      orderId: order.id,
      clientOrderId: order.clientOrderId,
      accountId: account.id,
      connectorType: 'sim',
      marketType: ms.marketType,
      symbol: spec.symbol,
      side: order.side,
      price: str(price),
      quantity: str(qty),
      quoteQty: str(quote),
      commission: str(fee),
      commissionAsset: spec.quoteAsset,
      isMaker,
      realizedPnl: realized === null ? null : str(realized),
      isLiquidation: false,
      time: now,
    };
    engine.collect?.push(fill);
    safeCall(sink, sink.onFill, fill);
  }
  emitOrder(engine, order);
  if (ms.marketType === 'spot') {
    emitSpotBalance(engine, account, spec.baseAsset);
    emitSpotBalance(engine, account, spec.quoteAsset);
  } else if (position !== null) {
    emitFuturesBalance(engine, account, spec.quoteAsset);
    emitPosition(engine, position, closedSide);
    dropIfFlat(position);
  }
  return fill;
}
