import { OrderSide, OrderStatus } from '@barfinex/enums';
import { addTo } from './accounts';
import { ZERO, maxDec, str } from './decimal';
import { emitFuturesBalance, emitPosition, safeCall } from './emit';
import { closeOrder } from './ledger';
import { applyPositionFill, dropIfFlat } from './positions';
import type { Engine, MarketState, PositionState } from './state';
import type { SimFill } from './types';
import { liquidationPrice } from './views';

/**
 * Isolated liquidation. When the last price reaches a position's liquidation price, the account's
 * open orders on that symbol are cancelled (as Binance does) and the position is closed at the
 * liquidation price; whatever isolated margin is left is charged as the clearance fee, so the
 * account loses exactly the position's initial margin, never more. The number of open positions
 * on a symbol is one per account, so a scan per print is cheap.
 */
export function liquidateIfCrossed(engine: Engine, ms: MarketState): void {
  let due: PositionState[] | null = null;
  for (const position of ms.positions) {
    const liq = liquidationPrice(position, engine);
    if (liq.isZero()) continue;
    const crossed = position.qty.isPositive() ? ms.lastPrice.lte(liq) : ms.lastPrice.gte(liq);
    if (crossed) (due ??= []).push(position);
  }
  if (due === null) return;
  for (const position of due) liquidate(engine, position);
}

function liquidate(engine: Engine, position: PositionState): void {
  const { account, ms } = position;
  for (const order of [...account.open]) {
    if (order.ms === ms) closeOrder(engine, order, OrderStatus.CANCELED, 'LIQUIDATION');
  }
  if (position.qty.isZero()) return;
  const price = liquidationPrice(position, engine);
  const margin = position.margin;
  const side = position.qty.isPositive() ? OrderSide.SELL : OrderSide.BUY;
  const qty = position.qty.abs();
  const now = engine.clock.now();
  const result = applyPositionFill(engine, account, ms, { side, qty, price, time: now });
  const fee = maxDec(ZERO, margin.plus(result.realized));
  addTo(account.futures.wallet, ms.spec.quoteAsset, result.realized.minus(fee));
  const id = String(++engine.seq.fill);
  const fill: SimFill = {
    id,
    orderId: `liquidation-${id}`,
    clientOrderId: `liquidation-${id}`,
    accountId: account.id,
    connectorType: 'sim',
    marketType: 'futures',
    symbol: ms.spec.symbol,
    side,
    price: str(price),
    quantity: str(qty),
    quoteQty: str(price.mul(qty)),
    commission: str(fee),
    commissionAsset: ms.spec.quoteAsset,
    isMaker: false,
    realizedPnl: str(result.realized),
    isLiquidation: true,
    time: now,
  };
  safeCall(engine.sink, engine.sink.onFill, fill);
  emitFuturesBalance(engine, account, ms.spec.quoteAsset);
  emitPosition(engine, result.position, result.closedSide);
  dropIfFlat(result.position);
}
