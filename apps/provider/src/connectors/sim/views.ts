import { OrderSide, TradeSide } from '@barfinex/enums';
import { Dec, HUNDRED, ONE, ZERO, money8, str } from './decimal';
import type { AccountState, Engine, OrderState, PositionState } from './state';
import type { SimMarketType } from './config';
import type { SimBalance, SimOrder, SimPosition } from './types';

export function remainingQty(order: OrderState): Dec {
  return order.executed === ZERO ? order.qty : order.qty.minus(order.executed);
}

/** Trailing stops: the price that fires the order now, or null while unarmed. */
export function trailingTrigger(order: OrderState): Dec | null {
  if (!order.trailArmed || order.trailExtreme === null || order.callbackRate === null) return null;
  const rate = order.callbackRate.div(HUNDRED);
  const factor = order.side === OrderSide.SELL ? ONE.minus(rate) : ONE.plus(rate);
  return order.trailExtreme.mul(factor);
}

export function orderView(order: OrderState): SimOrder {
  const trigger = trailingTrigger(order);
  return {
    id: order.id,
    clientOrderId: order.clientOrderId,
    accountId: order.account.id,
    connectorType: 'sim',
    marketType: order.ms.marketType,
    symbol: order.ms.spec.symbol,
    side: order.side,
    type: order.type,
    timeInForce: order.tif,
    status: order.status,
    quantity: str(order.qty),
    price: order.price === null ? null : str(order.price),
    stopPrice: order.stopPrice === null ? null : str(order.stopPrice),
    activationPrice: order.activationPrice === null ? null : str(order.activationPrice),
    callbackRate: order.callbackRate === null ? null : str(order.callbackRate),
    reduceOnly: order.reduceOnly,
    triggered: order.triggered,
    trailingTriggerPrice: trigger === null ? null : str(money8(trigger)),
    executedQty: str(order.executed),
    cumulativeQuoteQty: str(order.cumQuote),
    avgPrice: order.executed.isZero() ? null : str(money8(order.cumQuote.div(order.executed))),
    commission: str(order.commission),
    commissionAsset: order.ms.spec.quoteAsset,
    leverage: order.leverage,
    reason: order.reason,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
  };
}

export function spotBalanceView(account: AccountState, asset: string): SimBalance {
  const entry = account.spot.get(asset);
  const free = entry?.free ?? ZERO;
  const locked = entry?.locked ?? ZERO;
  return view(account.id, 'spot', asset, free, locked, free.plus(locked));
}

/** Isolated-margin futures wallet: available = wallet − position margin − order margin. */
export function futuresAvailable(account: AccountState, asset: string): Dec {
  const f = account.futures;
  const wallet = f.wallet.get(asset) ?? ZERO;
  return wallet.minus(f.positionMargin.get(asset) ?? ZERO).minus(f.orderMargin.get(asset) ?? ZERO);
}

export function futuresBalanceView(account: AccountState, asset: string): SimBalance {
  const f = account.futures;
  const wallet = f.wallet.get(asset) ?? ZERO;
  const locked = (f.positionMargin.get(asset) ?? ZERO).plus(f.orderMargin.get(asset) ?? ZERO);
  return view(account.id, 'futures', asset, wallet.minus(locked), locked, wallet);
}

function view(
  accountId: string,
  marketType: SimMarketType,
  asset: string,
  free: Dec,
  locked: Dec,
  total: Dec,
): SimBalance {
  return {
    accountId,
    connectorType: 'sim',
    marketType,
    asset,
    free: str(free),
    locked: str(locked),
    total: str(total),
  };
}

export function entryPrice(position: PositionState): Dec {
  return position.qty.isZero() ? ZERO : position.cost.div(position.qty.abs());
}

export function positionLeverage(position: PositionState, engine: Engine): number {
  return position.account.futures.leverage.get(position.ms.spec.symbol) ?? engine.cfg.defaultLeverage;
}

/**
 * Isolated liquidation price, ignoring fees: the price at which the loss has eaten the initial
 * margin down to the maintenance margin (mmr × notional at entry).
 *   long:  entry × (1 − 1/leverage + mmr)      short: entry × (1 + 1/leverage − mmr)
 */
export function liquidationPrice(position: PositionState, engine: Engine): Dec {
  if (position.qty.isZero()) return ZERO;
  const inverse = ONE.div(positionLeverage(position, engine));
  const mmr = engine.maintenanceMarginRate;
  const entry = entryPrice(position);
  const factor = position.qty.isPositive() ? ONE.minus(inverse).plus(mmr) : ONE.plus(inverse).minus(mmr);
  // Rounded to the tick towards the entry, so the engine liquidates no later than the formula says.
  const tick = position.ms.spec.tickSize;
  const price = entry.mul(factor).toNearest(tick, position.qty.isPositive() ? Dec.ROUND_UP : Dec.ROUND_DOWN);
  return price.isNegative() ? ZERO : price;
}

export function unrealizedPnl(position: PositionState): Dec {
  const mark = position.qty.abs().mul(position.ms.lastPrice);
  return position.qty.isPositive() ? mark.minus(position.cost) : position.cost.minus(mark);
}

export function positionView(position: PositionState, engine: Engine, lastSide?: TradeSide): SimPosition {
  const side = position.qty.isZero()
    ? (lastSide ?? TradeSide.LONG)
    : position.qty.isPositive()
      ? TradeSide.LONG
      : TradeSide.SHORT;
  return {
    accountId: position.account.id,
    connectorType: 'sim',
    marketType: 'futures',
    symbol: position.ms.spec.symbol,
    side,
    quantity: str(position.qty.abs()),
    entryPrice: str(money8(entryPrice(position))),
    lastPrice: str(position.ms.lastPrice),
    leverage: positionLeverage(position, engine),
    initialMargin: str(position.margin),
    unrealizedPnl: str(unrealizedPnl(position)),
    realizedPnl: str(position.realized),
    liquidationPrice: str(liquidationPrice(position, engine)),
    entryTime: position.entryTime,
    updateTime: position.updateTime,
  };
}
