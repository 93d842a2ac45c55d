import { OrderSide, OrderStatus, TimeInForce } from '@barfinex/enums';
import { spotAsset } from './accounts';
import { currentBook } from './book';
import { Dec, ZERO, floorToStep, isPositive, maxDec, minDec } from './decimal';
import { applyFill, closeOrder } from './ledger';
import { reducibleQty } from './positions';
import type { PriceLevels } from './price-levels';
import { touchOrder } from './state';
import type { Engine, OrderState } from './state';
import { futuresAvailable, remainingQty } from './views';

/** Why a live order ended without filling completely. */
export const ExpireReason = {
  IOC: 'IOC_REMAINDER',
  FOK: 'FOK_NOT_FILLABLE',
  BOOK_EXHAUSTED: 'BOOK_EXHAUSTED',
  INSUFFICIENT_BALANCE: 'INSUFFICIENT_BALANCE',
  REDUCE_ONLY: 'REDUCE_ONLY',
} as const;

/** What an order may still take: its remainder, capped by the position it reduces when reduce-only. */
export function takeable(order: OrderState): Dec {
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
    if (!isPositive(left)) break;
    if (limitTicks !== null && (order.side === OrderSide.BUY ? r.ticks > limitTicks : r.ticks < limitTicks)) break;
    const qty = minDec(left, r.size);
    if (!coversGrowth(order, qty, r.price)) return true;
    const unit = r.price.mul(ms.takerFactor);
    if (budgeted) {
      const affordable = floorToStep(budget.div(unit), ms.spec.stepSize);
      if (affordable.lt(qty)) {
        if (isPositive(affordable)) applyFill(engine, order, r.price, affordable, false);
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
    rest(
      engine,
      order,
      order.side === OrderSide.BUY ? order.ms.bids : order.ms.asks,
      order.side === OrderSide.BUY ? 'bids' : 'asks',
      order.priceTicks,
    );
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
  return (
    order.status === OrderStatus.NEW ||
    order.status === OrderStatus.PARTIALLY_FILLED ||
    order.status === OrderStatus.PENDING_TRIGGER
  );
}

export function rest(
  engine: Engine,
  order: OrderState,
  side: PriceLevels<OrderState>,
  place: 'bids' | 'asks' | 'stopsUp' | 'stopsDown',
  key: number,
): void {
  order.place = place;
  order.handle = side.add(key, order);
  order.restingSeq = ++engine.seq.resting;
  touchOrder(engine, order);
}

/**
 * A futures LIMIT reserves margin only for the part that would grow the position as it stood at
 * placement. When the position has shrunk since (another order closed it), a fill can grow it by
 * more than that reservation covers: the uncovered part's margin must then be available, or the
 * order cannot fill (Binance never lets a fill open a position the margin does not cover).
 */
export function coversGrowth(order: OrderState, qty: Dec, price: Dec): boolean {
  if (order.ms.marketType !== 'futures' || order.reduceOnly || order.exec !== 'LIMIT') return true;
  const growth = qty.minus(minDec(qty, reducibleQty(order.account, order.ms, order.side)));
  if (!isPositive(growth)) return true;
  const reserved = maxDec(ZERO, order.qty.minus(order.reducibleAtPlacement));
  const remaining = remainingQty(order);
  const covered = minDec(remaining, reserved).minus(minDec(maxDec(ZERO, remaining.minus(qty)), reserved));
  const uncovered = growth.minus(covered);
  if (!isPositive(uncovered)) return true;
  const needed = uncovered.mul(price).div(order.leverage ?? 1);
  return futuresAvailable(order.account, order.ms.spec.quoteAsset).gte(needed);
}

/**
 * Futures market execution: the margin (and taker fee) for the part that grows the position must
 * be available, priced along the walk it will make through the book: the reducing part takes the
 * best levels first, the growing part the levels after it. What the book cannot fill expires.
 */
export function marginCovers(engine: Engine, order: OrderState): boolean {
  const reducible = reducibleQty(order.account, order.ms, order.side);
  let left = remainingQty(order).minus(reducible);
  if (!isPositive(left)) return true;
  const book = currentBook(engine, order.ms);
  let skip = reducible;
  let cost = ZERO;
  for (const r of order.side === OrderSide.BUY ? book.asks : book.bids) {
    let size = r.size;
    if (isPositive(skip)) {
      const skipped = minDec(skip, size);
      skip = skip.minus(skipped);
      size = size.minus(skipped);
      if (!isPositive(size)) continue;
    }
    const qty = minDec(left, size);
    cost = cost.plus(qty.mul(r.price));
    left = left.minus(qty);
    if (!isPositive(left)) break;
  }
  const needed = cost.div(order.leverage ?? 1).plus(cost.mul(order.ms.takerRate));
  return futuresAvailable(order.account, order.ms.spec.quoteAsset).gte(needed);
}
