import type { OrderBook } from '@barfinex/contracts';
import type { MarketType } from '@barfinex/enums';
import { VenueRejectError } from './connector';
import type { VenueFill, VenueOpenOrder, VenueOrderState } from './connector';
import { SimRejectError } from './sim';
import type { SimFill, SimMarketType, SimOrder, SimOrderBook } from './sim';

// The simulator's own types in the connector's terms: orders, fills, books, markets and refusals.

/** Rejections caused by the request itself: nothing about the account made them happen. */
const INVALID_REQUEST = new Set([
  'UNKNOWN_SYMBOL',
  'UNKNOWN_MARKET',
  'INVALID_ORDER',
  'PRICE_FILTER',
  'LOT_SIZE',
  'MIN_NOTIONAL',
  'INVALID_ARGUMENT',
  'INVALID_LEVERAGE',
]);

export function toVenueState(order: SimOrder): VenueOrderState {
  return {
    clientOrderId: order.clientOrderId,
    externalId: order.id,
    symbol: order.symbol,
    status: order.status,
    quantityExecuted: order.executedQty,
    ...(order.avgPrice !== null ? { averagePrice: order.avgPrice } : {}),
    ...(order.price !== null ? { price: order.price } : {}),
    ...(order.stopPrice !== null ? { stopPrice: order.stopPrice } : {}),
    ...(order.reason !== null && (order.status === 'REJECTED' || order.status === 'EXPIRED')
      ? { rejectReason: order.reason }
      : {}),
    fee: order.commission,
    feeAsset: order.commissionAsset,
    updatedAt: order.updatedAt,
  };
}

export function toVenueOpenOrder(order: SimOrder): VenueOpenOrder {
  return {
    ...toVenueState(order),
    side: order.side,
    type: order.type,
    quantity: order.quantity,
    timeInForce: order.timeInForce,
    createdAt: order.createdAt,
  };
}

export function toVenueFill(fill: SimFill): VenueFill {
  return {
    clientOrderId: fill.clientOrderId,
    externalId: fill.orderId,
    tradeId: fill.id,
    symbol: fill.symbol,
    side: fill.side,
    price: fill.price,
    quantity: fill.quantity,
    fee: fill.commission,
    feeAsset: fill.commissionAsset,
    isMaker: fill.isMaker,
    ...(fill.realizedPnl !== null ? { realizedPnl: fill.realizedPnl } : {}),
    time: fill.time,
  };
}

export function toBook(book: SimOrderBook): OrderBook {
  return { symbol: book.symbol, time: book.time, lastUpdateId: book.lastUpdateId, bids: book.bids, asks: book.asks };
}

export function asSimMarket(market: MarketType): SimMarketType {
  if (market === 'spot' || market === 'futures') return market;
  throw new VenueRejectError('UNKNOWN_MARKET', `the simulator has no ${market} market`, true);
}

/** A refusal of the simulator as the connector reports one (other errors pass through). */
export function toVenueError(err: unknown): unknown {
  return err instanceof SimRejectError
    ? new VenueRejectError(err.code, err.message, INVALID_REQUEST.has(err.code))
    : err;
}
