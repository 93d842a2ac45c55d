import { OrderSide, TradeSide } from '@barfinex/enums';
import { addTo } from './accounts';
import { Dec, ZERO, isPositive, money8Up } from './decimal';
import type { AccountState, Engine, MarketState, PositionState } from './state';
import { positionLeverage } from './views';

/** How much of an order on `side` would only reduce the account's current position. */
export function reducibleQty(account: AccountState, ms: MarketState, side: OrderSide): Dec {
  const position = account.futures.positions.get(ms.spec.symbol);
  if (position === undefined) return ZERO;
  if (side === OrderSide.BUY) return position.qty.isNegative() ? position.qty.abs() : ZERO;
  return position.qty.isPositive() ? position.qty : ZERO;
}

export interface PositionFillResult {
  position: PositionState;
  realized: Dec;
  /** Side of the position a fill closed (or flipped away from), for the close report. */
  closedSide: TradeSide | undefined;
}

/**
 * One-way-mode position accounting on a cost basis: increases add qty × price to the basis (entry
 * = basis / size, the weighted average); reduces remove the proportional basis and realise
 * (exit − entry) × qty with the position's sign; a full close removes the whole basis, so a
 * round trip realises exactly proceeds − cost whatever the partial steps were. A fill larger
 * than the position closes it and opens the rest on the other side at the fill price (flip).
 */
export function applyPositionFill(
  engine: Engine,
  account: AccountState,
  ms: MarketState,
  fill: { side: OrderSide; qty: Dec; price: Dec; time: number },
): PositionFillResult {
  const symbol = ms.spec.symbol;
  let position = account.futures.positions.get(symbol);
  if (position === undefined) {
    position = {
      account,
      ms,
      qty: ZERO,
      cost: ZERO,
      realized: ZERO,
      margin: ZERO,
      entryTime: fill.time,
      updateTime: fill.time,
      openSeq: ++engine.seq.position,
    };
    account.futures.positions.set(symbol, position);
    ms.positions.add(position);
  }
  const sign = fill.side === OrderSide.BUY ? 1 : -1;
  const signedQty = sign > 0 ? fill.qty : fill.qty.neg();
  let realized = ZERO;
  let closedSide: TradeSide | undefined;
  const held = position.qty;
  if (held.isZero() || held.isPositive() === sign > 0) {
    position.cost = position.cost.plus(fill.qty.mul(fill.price));
    position.qty = held.plus(signedQty);
  } else {
    const size = held.abs();
    const direction = held.isPositive() ? 1 : -1;
    closedSide = direction > 0 ? TradeSide.LONG : TradeSide.SHORT;
    const closing = fill.qty.lte(size) ? fill.qty : size;
    const removed = closing.eq(size) ? position.cost : position.cost.mul(closing).div(size);
    const pnl = closing.mul(fill.price).minus(removed);
    realized = direction > 0 ? pnl : pnl.neg();
    position.cost = position.cost.minus(removed);
    position.qty = held.plus(sign > 0 ? closing : closing.neg());
    position.realized = position.realized.plus(realized);
    const opening = fill.qty.minus(closing);
    if (isPositive(opening)) {
      // The flip's new leg is a new position: fresh basis, entry time and realised total.
      position.cost = opening.mul(fill.price);
      position.qty = sign > 0 ? opening : opening.neg();
      position.realized = ZERO;
      position.entryTime = fill.time;
    }
  }
  position.updateTime = fill.time;
  refreshMargin(engine, position);
  return { position, realized, closedSide };
}

/** Keeps the account's position margin in step with cost / leverage (8 dp, rounded up). */
export function refreshMargin(engine: Engine, position: PositionState): void {
  const asset = position.ms.spec.quoteAsset;
  const margin = position.qty.isZero() ? ZERO : money8Up(position.cost.div(positionLeverage(position, engine)));
  addTo(position.account.futures.positionMargin, asset, margin.minus(position.margin));
  position.margin = margin;
}

/** Called after the close has been reported: a flat position leaves the account and the liquidation set. */
export function dropIfFlat(position: PositionState): void {
  if (!position.qty.isZero()) return;
  const symbol = position.ms.spec.symbol;
  if (position.account.futures.positions.get(symbol) === position) position.account.futures.positions.delete(symbol);
  position.ms.positions.delete(position);
}
