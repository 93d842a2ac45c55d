import { OrderSide, OrderStatus, OrderType } from '@barfinex/enums';
import type { Dec } from './decimal';
import { emitOrder } from './emit';
import { closeOrder, detach, emitLockBalance, relock } from './ledger';
import { ExpireReason, executeLive, marginCovers, rest } from './matching';
import { touchOrder } from './state';
import type { Engine, OrderState } from './state';
import { remainingQty, trailingTrigger } from './views';

const STOP_TYPES: ReadonlySet<string> = new Set([OrderType.STOP, OrderType.STOP_MARKET, OrderType.STOP_LOSS_LIMIT]);

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
    touchOrder(engine, order);
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
export function updateTrail(order: OrderState, price: Dec): boolean {
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
  if (
    order.exec === 'MARKET' &&
    order.ms.marketType === 'futures' &&
    !order.reduceOnly &&
    !marginCovers(engine, order)
  ) {
    closeOrder(engine, order, OrderStatus.EXPIRED, ExpireReason.INSUFFICIENT_BALANCE);
    return;
  }
  executeLive(engine, order);
}
