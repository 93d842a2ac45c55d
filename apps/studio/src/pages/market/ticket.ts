import { OrderType, isTriggeredOrderType, takesTimeInForce } from '@barfinex/enums';
import type { OrderCreateInput } from '@barfinex/contracts';
import type { ConnectorType, MarketType, OrderSide, TimeInForce } from '@barfinex/enums';

// Which fields an order type takes, from the type's own name and the enums' sets.
export const takesPrice = (type: OrderType) => !type.endsWith('MARKET');
export const takesStop = (type: OrderType) => isTriggeredOrderType(type) && type !== OrderType.TRAILING_STOP_MARKET;
export const takesCallback = (type: OrderType) => type === OrderType.TRAILING_STOP_MARKET;
export { takesTimeInForce };
/** Reduce-only exists on futures only: a spot order has no position to reduce. */
export const takesReduceOnly = (marketType: MarketType) => marketType === 'futures';

/** What the ticket's fields hold, as typed. */
export interface TicketState {
  type: OrderType;
  quantity: string;
  price: string;
  stopPrice: string;
  callbackRate: string;
  timeInForce: TimeInForce;
  reduceOnly: boolean;
  leverage: string;
}

export const INITIAL_TICKET: TicketState = {
  type: OrderType.LIMIT,
  quantity: '',
  price: '',
  stopPrice: '',
  callbackRate: '1',
  timeInForce: 'GTC',
  reduceOnly: false,
  leverage: '',
};

/**
 * The `POST /api/orders` body for the ticket: only the fields the type and market take, so a field
 * the form hides is never sent. An empty field is left out, so the provider names what is missing.
 */
export function ticketOrder(
  t: TicketState,
  where: {
    connectorType: ConnectorType;
    marketType: MarketType;
    symbol: string;
    side: OrderSide;
    clientOrderId: string;
  },
): OrderCreateInput {
  const futures = takesReduceOnly(where.marketType);
  return {
    symbol: where.symbol,
    side: where.side,
    type: t.type,
    quantity: t.quantity,
    connectorType: where.connectorType,
    marketType: where.marketType,
    clientOrderId: where.clientOrderId,
    ...(takesPrice(t.type) && t.price.trim() !== '' ? { price: t.price } : {}),
    ...(takesStop(t.type) && t.stopPrice.trim() !== '' ? { stopPrice: t.stopPrice } : {}),
    ...(takesCallback(t.type) ? { callbackRate: t.callbackRate } : {}),
    ...(takesTimeInForce(t.type) ? { timeInForce: t.timeInForce } : {}),
    ...(futures && t.reduceOnly ? { reduceOnly: true } : {}),
    ...(futures && t.leverage ? { leverage: Number(t.leverage) } : {}),
  } as OrderCreateInput;
}

/**
 * Venue refusals that name no field but concern one, shown beside it: the simulator refuses a
 * reduce-only order that would open or grow the position (REDUCE_ONLY), Binance and Alpaca a time
 * in force they do not offer for the type (UNSUPPORTED_TIME_IN_FORCE).
 */
export const TICKET_CODE_FIELDS: Readonly<Record<string, keyof TicketState>> = {
  REDUCE_ONLY: 'reduceOnly',
  UNSUPPORTED_TIME_IN_FORCE: 'timeInForce',
};
