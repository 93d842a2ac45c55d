import { Money } from '@barfinex/contracts';
import type { Instrument, OrderCreate } from '@barfinex/contracts';

export interface FilterProblem {
  path: string;
  code: string;
  message: string;
}

function onGrid(value: Money, step: string | undefined, origin: string | undefined): boolean {
  if (!step) return true;
  const s = new Money(step);
  if (s.isZero()) return true;
  return value
    .minus(origin ?? 0)
    .mod(s)
    .isZero();
}

/**
 * The exchange filters a request can be checked against before anything is stored, so an order
 * that could never be valid is a 400 and leaves no trace. The venue still checks again.
 */
export function checkOrderAgainstInstrument(
  instrument: Instrument,
  order: OrderCreate,
  lastPrice: string | undefined,
): FilterProblem | undefined {
  if (instrument.status !== 'TRADING') {
    return { path: 'symbol', code: 'SYMBOL_NOT_TRADING', message: `${instrument.symbol} is ${instrument.status}` };
  }
  const qty = new Money(order.quantity);
  if (!onGrid(qty, instrument.stepSize, instrument.minQty)) {
    return {
      path: 'quantity',
      code: 'LOT_SIZE',
      message: `quantity ${order.quantity} is not a multiple of the step size ${instrument.stepSize}`,
    };
  }
  if (instrument.minQty && qty.lt(instrument.minQty)) {
    return {
      path: 'quantity',
      code: 'LOT_SIZE',
      message: `quantity ${order.quantity} is below the minimum ${instrument.minQty}`,
    };
  }
  if (instrument.maxQty && qty.gt(instrument.maxQty)) {
    return {
      path: 'quantity',
      code: 'LOT_SIZE',
      message: `quantity ${order.quantity} is above the maximum ${instrument.maxQty}`,
    };
  }
  // filters.md MARKET_LOT_SIZE: the quantity rules MARKET orders meet on top of LOT_SIZE.
  if (order.type === 'MARKET') {
    if (!onGrid(qty, instrument.marketStepSize, instrument.marketMinQty)) {
      return {
        path: 'quantity',
        code: 'MARKET_LOT_SIZE',
        message: `quantity ${order.quantity} of a MARKET order is not a multiple of the step size ${instrument.marketStepSize}`,
      };
    }
    if (instrument.marketMinQty && qty.lt(instrument.marketMinQty)) {
      return {
        path: 'quantity',
        code: 'MARKET_LOT_SIZE',
        message: `quantity ${order.quantity} of a MARKET order is below the minimum ${instrument.marketMinQty}`,
      };
    }
    if (instrument.marketMaxQty && qty.gt(instrument.marketMaxQty)) {
      return {
        path: 'quantity',
        code: 'MARKET_LOT_SIZE',
        message: `quantity ${order.quantity} of a MARKET order is above the maximum ${instrument.marketMaxQty}`,
      };
    }
  }
  for (const field of ['price', 'stopPrice'] as const) {
    const raw = order[field];
    if (raw === undefined) continue;
    const value = new Money(raw);
    if (!onGrid(value, instrument.tickSize, undefined)) {
      return {
        path: field,
        code: 'PRICE_FILTER',
        message: `${field} ${raw} is not a multiple of the tick size ${instrument.tickSize}`,
      };
    }
    if (instrument.minPrice && new Money(instrument.minPrice).gt(0) && value.lt(instrument.minPrice)) {
      return {
        path: field,
        code: 'PRICE_FILTER',
        message: `${field} ${raw} is below the minimum ${instrument.minPrice}`,
      };
    }
    if (instrument.maxPrice && value.gt(instrument.maxPrice)) {
      return {
        path: field,
        code: 'PRICE_FILTER',
        message: `${field} ${raw} is above the maximum ${instrument.maxPrice}`,
      };
    }
  }
  if (order.callbackRate !== undefined) {
    const rate = new Money(order.callbackRate);
    if (rate.lt('0.1') || rate.gt(10)) {
      return {
        path: 'callbackRate',
        code: 'INVALID_ORDER',
        message: `callbackRate ${order.callbackRate} must be between 0.1 and 10 (percent)`,
      };
    }
  }
  const reference = order.price ?? order.stopPrice ?? lastPrice;
  if (instrument.minNotional && reference && !order.reduceOnly) {
    const notional = qty.mul(reference);
    if (notional.lt(instrument.minNotional)) {
      return {
        path: 'quantity',
        code: 'MIN_NOTIONAL',
        message: `order value ${notional.toFixed()} is below the minimum notional ${instrument.minNotional}`,
      };
    }
  }
  return undefined;
}
