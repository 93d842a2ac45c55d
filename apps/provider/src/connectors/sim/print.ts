import { OrderStatus } from '@barfinex/enums';
import { Dec, minDec } from './decimal';
import { applyFill, closeOrder } from './ledger';
import { liquidateIfCrossed } from './liquidation';
import { ExpireReason, coversGrowth, takeable } from './matching';
import type { PriceLevels } from './price-levels';
import { touchOrder } from './state';
import type { Engine, MarketState, OrderState } from './state';
import { fire, updateTrail } from './conditional';

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
  // Trailing stops move their trigger with every new extreme, so no static price index fits them;
  // they are scanned per print, which stays cheap because there are one or two per position.
  if (ms.trailing.size > 0) {
    const due: OrderState[] = [];
    for (const order of ms.trailing) {
      touchOrder(engine, order);
      if (updateTrail(order, ms.lastPrice)) due.push(order);
    }
    for (const order of due) fire(engine, order);
  }
  if (ms.marketType === 'futures' && ms.positions.size > 0) liquidateIfCrossed(engine, ms);
}

function matchSide(
  engine: Engine,
  side: PriceLevels<OrderState>,
  crosses: (key: number) => boolean,
  liquidity: Dec | null,
): void {
  let left = liquidity;
  for (let level = side.best(); level !== undefined && crosses(level.key); level = side.best()) {
    const order = (level.head as NonNullable<typeof level.head>).item;
    let qty = takeable(order);
    if (qty.isZero()) {
      closeOrder(engine, order, OrderStatus.EXPIRED, ExpireReason.REDUCE_ONLY);
      continue;
    }
    if (left !== null) qty = minDec(qty, left);
    if (!coversGrowth(order, qty, order.price as Dec)) {
      closeOrder(engine, order, OrderStatus.EXPIRED, ExpireReason.INSUFFICIENT_BALANCE);
      continue;
    }
    applyFill(engine, order, order.price as Dec, qty, true);
    if (left !== null) {
      left = left.minus(qty);
      if (left.isZero()) return;
    }
  }
}
