import {
  ORDER_TYPE_VALUES,
  OrderSide,
  OrderType,
  TIME_IN_FORCE_VALUES,
  TimeInForce,
  isLimitPricedOrderType,
  isStopPricedOrderType,
} from '@barfinex/enums';
import type { TimeInForce as Tif } from '@barfinex/enums';
import { Dec, cmp, isPositive, onGrid, parseDecimal, str } from './decimal';
import { SimErrorCode, reject } from './errors';
import type { ExecKind, InstrumentSpec, MarketState } from './state';
import type { SimOrderRequest } from './types';

export interface ValidRequest {
  side: OrderSide;
  type: OrderType;
  tif: Tif;
  exec: ExecKind;
  conditional: boolean;
  qty: Dec;
  price: Dec | null;
  /** price and stopPrice in ticks (0 when absent). */
  priceTicks: number;
  stopPrice: Dec | null;
  stopTicks: number;
  activationPrice: Dec | null;
  callbackRate: Dec | null;
  reduceOnly: boolean;
}

const MIN_CALLBACK = new Dec('0.1');
const MAX_CALLBACK = new Dec('10');

function positive(value: unknown, field: string): Dec {
  const parsed = parseDecimal(value);
  if (parsed === undefined || !isPositive(parsed)) {
    reject(SimErrorCode.INVALID_ORDER, `${field} must be a positive decimal, got ${JSON.stringify(value)}`);
  }
  return parsed;
}

/** The PRICE_FILTER of orders, also applied to scripted prices (a print no order could carry is refused). */
export function checkPrice(spec: InstrumentSpec, value: Dec, field: string): void {
  if (!onGrid(value, spec.tickSize, spec.tickPlaces)) {
    reject(
      SimErrorCode.PRICE_FILTER,
      `${field} ${str(value)} is not a multiple of the tick size ${str(spec.tickSize)}`,
      { field, tickSize: str(spec.tickSize) },
    );
  }
  if (cmp(value, spec.minPrice) < 0 || cmp(value, spec.maxPrice) > 0) {
    reject(
      SimErrorCode.PRICE_FILTER,
      `${field} ${str(value)} is outside [${str(spec.minPrice)}, ${str(spec.maxPrice)}]`,
      { field },
    );
  }
}

/**
 * A validated price (a plain decimal on the tick grid, or a finite number) in ticks. Number() of
 * the request's own text is the same double as the parsed Dec's toNumber() (both are the correctly
 * rounded value of one exact decimal), without decimal.js's string round trip; the division then
 * rounds to the exact integer since prices stay far below 2^53 ticks.
 */
function ticksOf(value: unknown, spec: InstrumentSpec): number {
  return Math.round(Number(value) / spec.tickNumber);
}

/**
 * Field presence and the exchange filters, in Binance's order: shape → PRICE_FILTER → LOT_SIZE →
 * MIN_NOTIONAL. STOP and TAKE_PROFIT given only `price` take it as their stop price too (the
 * reference's futures mapping, inventory §1.6), so they become a limit at their trigger price.
 */
export function validateRequest(ms: MarketState, req: SimOrderRequest): ValidRequest {
  const spec = ms.spec;
  if (req.side !== OrderSide.BUY && req.side !== OrderSide.SELL) {
    reject(SimErrorCode.INVALID_ORDER, `side must be BUY or SELL, got ${JSON.stringify(req.side)}`);
  }
  if (!(ORDER_TYPE_VALUES as readonly unknown[]).includes(req.type)) {
    reject(
      SimErrorCode.INVALID_ORDER,
      `type must be one of ${ORDER_TYPE_VALUES.join(', ')}, got ${JSON.stringify(req.type)}`,
    );
  }
  const type = req.type;
  const tif = req.timeInForce ?? TimeInForce.GTC;
  if (!(TIME_IN_FORCE_VALUES as readonly unknown[]).includes(tif)) {
    reject(SimErrorCode.INVALID_ORDER, `timeInForce must be GTC, IOC or FOK, got ${JSON.stringify(tif)}`);
  }
  const qty = positive(req.quantity, 'quantity');
  const price = isLimitPricedOrderType(type) ? (req.price === undefined ? null : positive(req.price, 'price')) : null;
  let stopPrice = isStopPricedOrderType(type)
    ? req.stopPrice === undefined
      ? null
      : positive(req.stopPrice, 'stopPrice')
    : null;
  let stopText = req.stopPrice;
  if ((type === OrderType.STOP || type === OrderType.TAKE_PROFIT) && stopPrice === null && price !== null) {
    stopPrice = price;
    stopText = req.price;
  }
  if (isLimitPricedOrderType(type) && price === null) reject(SimErrorCode.INVALID_ORDER, `${type} needs a price`);
  if (isStopPricedOrderType(type) && stopPrice === null)
    reject(SimErrorCode.INVALID_ORDER, `${type} needs a stopPrice`);
  let activationPrice: Dec | null = null;
  let callbackRate: Dec | null = null;
  if (type === OrderType.TRAILING_STOP_MARKET) {
    if (req.callbackRate === undefined)
      reject(SimErrorCode.INVALID_ORDER, 'TRAILING_STOP_MARKET needs a callbackRate (percent, 0.1–10)');
    callbackRate = positive(req.callbackRate, 'callbackRate');
    if (callbackRate.lt(MIN_CALLBACK) || callbackRate.gt(MAX_CALLBACK) || callbackRate.decimalPlaces() > 1) {
      reject(SimErrorCode.INVALID_ORDER, `callbackRate must be 0.1–10 in steps of 0.1, got ${str(callbackRate)}`);
    }
    if (req.activationPrice !== undefined) activationPrice = positive(req.activationPrice, 'activationPrice');
  }
  const reduceOnly = req.reduceOnly === true;
  if (reduceOnly && ms.marketType !== 'futures')
    reject(SimErrorCode.INVALID_ORDER, 'reduceOnly applies to futures orders only');
  if (price !== null) checkPrice(spec, price, 'price');
  if (stopPrice !== null) checkPrice(spec, stopPrice, 'stopPrice');
  if (activationPrice !== null) checkPrice(spec, activationPrice, 'activationPrice');
  if (!onGrid(qty, spec.stepSize, spec.stepPlaces)) {
    reject(SimErrorCode.LOT_SIZE, `quantity ${str(qty)} is not a multiple of the step size ${str(spec.stepSize)}`, {
      stepSize: str(spec.stepSize),
    });
  }
  if (cmp(qty, spec.minQty) < 0 || cmp(qty, spec.maxQty) > 0) {
    reject(SimErrorCode.LOT_SIZE, `quantity ${str(qty)} is outside [${str(spec.minQty)}, ${str(spec.maxQty)}]`, {
      minQty: str(spec.minQty),
      maxQty: str(spec.maxQty),
    });
  }
  const reference = price ?? stopPrice ?? activationPrice ?? ms.lastPrice;
  if (!reduceOnly && cmp(qty.mul(reference), spec.minNotional) < 0) {
    reject(
      SimErrorCode.MIN_NOTIONAL,
      `notional ${str(qty.mul(reference))} is below the minimum ${str(spec.minNotional)}`,
      { minNotional: str(spec.minNotional) },
    );
  }
  const exec: ExecKind = isLimitPricedOrderType(type) ? 'LIMIT' : 'MARKET';
  const conditional = isStopPricedOrderType(type) || type === OrderType.TRAILING_STOP_MARKET;
  // A maker-only order has no time in force on Binance; it rests or is refused.
  return {
    side: req.side,
    type,
    tif: type === OrderType.LIMIT_MAKER ? TimeInForce.GTC : tif,
    exec,
    conditional,
    qty,
    price,
    priceTicks: price === null ? 0 : ticksOf(req.price, spec),
    stopPrice,
    stopTicks: stopPrice === null ? 0 : ticksOf(stopText, spec),
    activationPrice,
    callbackRate,
    reduceOnly,
  };
}
