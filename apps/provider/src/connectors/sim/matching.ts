import { OrderSide, OrderStatus, OrderType, TimeInForce } from '@barfinex/enums';
import { spotAsset } from './accounts';
import { currentBook } from './book';
import { Dec, ZERO, floorToStep, minDec } from './decimal';
import { emitOrder } from './emit';
import { applyFill, closeOrder, detach, emitLockBalance, relock } from './ledger';
import { liquidateIfCrossed } from './liquidation';
import { reducibleQty } from './positions';
import type { Engine, MarketState, OrderState } from './state';
import type { PriceLevels } from './price-levels';
import { futuresAvailable, remainingQty, trailingTrigger } from './views';

/** Why a live order ended without filling completely. */
export const ExpireReason = {
  IOC: 'IOC_REMAINDER',
  FOK: 'FOK_NOT_FILLABLE',
  BOOK_EXHAUSTED: 'BOOK_EXHAUSTED',
  INSUFFICIENT_BALANCE: 'INSUFFICIENT_BALANCE',
  REDUCE_ONLY: 'REDUCE_ONLY',
} as const;

const STOP_TYPES: ReadonlySet<string> = new Set([OrderType.STOP, OrderType.STOP_MARKET, OrderType.STOP_LOSS_LIMIT]);

/** What an order may still take: its remainder, capped by the position it reduces when reduce-only. */
function takeable(order: OrderState): Dec {
  const remaining = remainingQty(order);
  return order.reduceOnly ? minDec(remaining, reducibleQty(order.account, order.ms, order.side)) : remaining;
}

/** Book quantity on the opposite side within `limitTicks` (all levels when null). */
export function bookQtyWithin(engine: Engine, order: OrderState, limitTicks: number | null): Dec {
  const book = currentBook(engine, order.ms);
  const rows = order.side === OrderSide.BUY ? book.asks : book.bids;
  let total = ZERO;
  for (const r of rows) {
    if (limitTicks !== null && (order.side === OrderSide.BUY ? r.ticks > limitTicks : r.ticks < limitTicks)) break;
    total = total.plus(r.size);
  }
  return total;
}

/**
 * Walks the synthetic book as a taker, one fill per level at that level's price (the VWAP of the
 * walk is the order's average price), up to `limitTicks`. Spot market buys are also limited by
 * the free quote balance. Returns true when it stopped because the account ran out of funds.
 */
function takeLiquidity(engine: Engine, order: OrderState, limitTicks: number | null): boolean {
  const ms = order.ms;
  const book = currentBook(engine, ms);
  const rows = order.side === OrderSide.BUY ? book.asks : book.bids;
  const budgeted = ms.marketType === 'spot' && order.side === OrderSide.BUY && order.locked.isZero();
  let budget = budgeted ? spotAsset(order.account, ms.spec.quoteAsset).free : ZERO;
  let left = takeable(order);
  for (const r of rows) {
    if (!left.gt(0)) break;
    if (limitTicks !== null && (order.side === OrderSide.BUY ? r.ticks > limitTicks : r.ticks < limitTicks)) break;
    const qty = minDec(left, r.size);
    const unit = r.price.mul(ms.takerFactor);
    if (budgeted) {
      const affordable = floorToStep(budget.div(unit), ms.spec.stepSize);
      if (affordable.lt(qty)) {
        if (affordable.gt(0)) applyFill(engine, order, r.price, affordable, false);
        return true;
      }
      budget = budget.minus(qty.mul(unit));
    }
    applyFill(engine, order, r.price, qty, false);
    left = left.minus(qty);
  }
  return false;
}

/**
 * Runs a live order (new, or just triggered): MARKET takes what the book has and expires the
 * rest (IOC semantics); LIMIT takes the book up to its price, then rests (GTC) or expires
 * (IOC); FOK checks the whole quantity is available first and otherwise expires untouched.
 */
export function executeLive(engine: Engine, order: OrderState): void {
  const limitTicks = order.exec === 'LIMIT' ? order.priceTicks : null;
  if (order.reduceOnly && takeable(order).isZero()) {
    closeOrder(engine, order, OrderStatus.EXPIRED, ExpireReason.REDUCE_ONLY);
    return;
  }
  if (order.tif === TimeInForce.FOK) {
    const need = remainingQty(order);
    if (takeable(order).lt(need) || bookQtyWithin(engine, order, limitTicks).lt(need)) {
      closeOrder(engine, order, OrderStatus.EXPIRED, ExpireReason.FOK);
      return;
    }
  }
  const brokeBudget = marketable(engine, order, limitTicks) && takeLiquidity(engine, order, limitTicks);
  if (!isLive(order)) return;
  if (order.exec === 'MARKET' || brokeBudget) {
    const reason = brokeBudget
      ? ExpireReason.INSUFFICIENT_BALANCE
      : order.reduceOnly && takeable(order).isZero()
        ? ExpireReason.REDUCE_ONLY
        : ExpireReason.BOOK_EXHAUSTED;
    closeOrder(engine, order, OrderStatus.EXPIRED, reason);
  } else if (order.tif !== TimeInForce.GTC) {
    closeOrder(engine, order, OrderStatus.EXPIRED, ExpireReason.IOC);
  } else {
    rest(engine, order, order.side === OrderSide.BUY ? order.ms.bids : order.ms.asks, order.side === OrderSide.BUY ? 'bids' : 'asks', order.priceTicks);
  }
}

/** Whether the best opposite level is within the order's limit (always, for market execution). */
function marketable(engine: Engine, order: OrderState, limitTicks: number | null): boolean {
  if (limitTicks === null) return true;
  const book = currentBook(engine, order.ms);
  const best = order.side === OrderSide.BUY ? book.asks[0] : book.bids[0];
  return best !== undefined && (order.side === OrderSide.BUY ? best.ticks <= limitTicks : best.ticks >= limitTicks);
}

export function isLive(order: OrderState): boolean {
  return order.status === OrderStatus.NEW || order.status === OrderStatus.PARTIALLY_FILLED || order.status === OrderStatus.PENDING_TRIGGER;
}

function rest(engine: Engine, order: OrderState, side: PriceLevels<OrderState>, place: 'bids' | 'asks' | 'stopsUp' | 'stopsDown', key: number): void {
  order.place = place;
  order.handle = side.add(key, order);
  order.restingSeq = ++engine.seq.resting;
}

/**
 * Conditional orders wait in an index keyed by trigger price:
 *   | type                                   | needs               | BUY fires when   | SELL fires when  | then     |
 *   | STOP_MARKET                            | stopPrice           | last >= stop     | last <= stop     | MARKET   |
 *   | STOP, STOP_LOSS_LIMIT                  | stopPrice, price    | last >= stop     | last <= stop     | LIMIT    |
 *   | TAKE_PROFIT_MARKET                     | stopPrice           | last <= stop     | last >= stop     | MARKET   |
 *   | TAKE_PROFIT, TAKE_PROFIT_LIMIT         | stopPrice, price    | last <= stop     | last >= stop     | LIMIT    |
 *   | TRAILING_STOP_MARKET                   | callbackRate (0.1–10 %), activationPrice? | last >= low × (1 + rate) | last <= high × (1 − rate) | MARKET |
 * (Binance futures semantics; "last" is the last trade price of that market. A trailing stop arms
 * when the price reaches activationPrice — SELL at or above, BUY at or below — or at once without
 * one, then tracks the best price since arming.)
 */
export function arm(engine: Engine, order: OrderState): void {
  const ms = order.ms;
  if (order.type === OrderType.TRAILING_STOP_MARKET) {
    order.place = 'trailing';
    order.restingSeq = ++engine.seq.resting;
    ms.trailing.add(order);
    updateTrail(order, ms.lastPrice);
    return;
  }
  const firesRising = STOP_TYPES.has(order.type) === (order.side === OrderSide.BUY);
  if (firesRising) rest(engine, order, ms.stopsUp, 'stopsUp', order.stopTicks);
  else rest(engine, order, ms.stopsDown, 'stopsDown', order.stopTicks);
}

/** True when the trigger of a conditional order is already reached at `ticks`. */
export function wouldTrigger(order: OrderState, ticks: number): boolean {
  const firesRising = STOP_TYPES.has(order.type) === (order.side === OrderSide.BUY);
  return firesRising ? ticks >= order.stopTicks : ticks <= order.stopTicks;
}

/** Returns true when the trailing stop should fire at `price`. */
function updateTrail(order: OrderState, price: Dec): boolean {
  const sell = order.side === OrderSide.SELL;
  if (!order.trailArmed) {
    const activation = order.activationPrice;
    if (activation === null || (sell ? price.gte(activation) : price.lte(activation))) {
      order.trailArmed = true;
      order.trailExtreme = price;
    }
    return false;
  }
  const extreme = order.trailExtreme as Dec;
  if (sell ? price.gt(extreme) : price.lt(extreme)) {
    order.trailExtreme = price;
    return false;
  }
  const trigger = trailingTrigger(order) as Dec;
  return sell ? price.lte(trigger) : price.gte(trigger);
}

export function fire(engine: Engine, order: OrderState): void {
  detach(order);
  order.triggered = true;
  order.status = OrderStatus.NEW;
  order.updatedAt = engine.clock.now();
  const released = relock(order, remainingQty(order));
  emitOrder(engine, order);
  if (released) emitLockBalance(engine, order);
  if (order.exec === 'MARKET' && order.ms.marketType === 'futures' && !order.reduceOnly && !marginCovers(engine, order)) {
    closeOrder(engine, order, OrderStatus.EXPIRED, ExpireReason.INSUFFICIENT_BALANCE);
    return;
  }
  executeLive(engine, order);
}

/** Futures market execution: the margin for the part that grows the position, at the book's best price, must be available. */
export function marginCovers(engine: Engine, order: OrderState): boolean {
  const growing = remainingQty(order).minus(reducibleQty(order.account, order.ms, order.side));
  if (!growing.gt(0)) return true;
  const book = currentBook(engine, order.ms);
  const best = (order.side === OrderSide.BUY ? book.asks[0] : book.bids[0])?.price ?? order.ms.lastPrice;
  const needed = growing.mul(best).div(order.leverage ?? 1).plus(growing.mul(best).mul(order.ms.takerRate));
  return futuresAvailable(order.account, order.ms.spec.quoteAsset).gte(needed);
}

/**
 * A market print at `ticks`: resting limits it reaches fill as makers at their own price (BUY
 * limits at or above the print, SELL limits at or below, best price first, FIFO), sharing the
 * print's `liquidity` per side (null = a scripted sweep that fills everything it crosses). Then
 * stops and trailing stops fire on the new last price, then futures liquidations.
 */
export function onPrint(engine: Engine, ms: MarketState, ticks: number, liquidity: Dec | null): void {
  matchSide(engine, ms.bids, (key) => key >= ticks, liquidity);
  matchSide(engine, ms.asks, (key) => key <= ticks, liquidity);
  for (let level = ms.stopsUp.best(); level !== undefined && level.key <= ticks; level = ms.stopsUp.best()) {
    fire(engine, (level.head as NonNullable<typeof level.head>).item);
  }
  for (let level = ms.stopsDown.best(); level !== undefined && level.key >= ticks; level = ms.stopsDown.best()) {
    fire(engine, (level.head as NonNullable<typeof level.head>).item);
  }
  if (ms.trailing.size > 0) {
    const due: OrderState[] = [];
    for (const order of ms.trailing) if (updateTrail(order, ms.lastPrice)) due.push(order);
    for (const order of due) fire(engine, order);
  }
  if (ms.marketType === 'futures' && ms.positions.size > 0) liquidateIfCrossed(engine, ms);
}

function matchSide(engine: Engine, side: PriceLevels<OrderState>, crosses: (key: number) => boolean, liquidity: Dec | null): void {
  let left = liquidity;
  for (let level = side.best(); level !== undefined && crosses(level.key); level = side.best()) {
    const order = (level.head as NonNullable<typeof level.head>).item;
    let qty = takeable(order);
    if (qty.isZero()) {
      closeOrder(engine, order, OrderStatus.EXPIRED, ExpireReason.REDUCE_ONLY);
      continue;
    }
    if (left !== null) qty = minDec(qty, left);
    applyFill(engine, order, order.price as Dec, qty, true);
    if (left !== null) {
      left = left.minus(qty);
      if (left.isZero()) return;
    }
  }
}
