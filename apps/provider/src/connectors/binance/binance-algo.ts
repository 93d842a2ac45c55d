import { Money } from '@barfinex/contracts';
import { takesTimeInForce } from '@barfinex/enums';
import type { OrderStatus, TimeInForce } from '@barfinex/enums';
import { z } from 'zod';
import type { VenueOpenOrder, VenueOrderRequest, VenueOrderState } from '../connector';
import type { BinanceMarket } from './binance-hosts';
import { orderTypeOf, venueOrderTypeOf } from './binance-mappers';
import type { BinanceRest, Params } from './binance-rest';
import { AlgoUpdateSchema, BinanceAlgoCancelSchema, BinanceAlgoOrderSchema } from './binance-schemas';
import type { BinanceAlgoOrder } from './binance-schemas';

/**
 * USD-M conditional orders live in Binance's Algo Service since December 2025 (the classic
 * `POST /fapi/v1/order` answers -4120 for them). Derivatives docs, USDⓈ-M trade/rest-api:
 * "New Algo Order(TRADE)" `POST /fapi/v1/algoOrder`, "Cancel Algo Order (TRADE)"
 * `DELETE /fapi/v1/algoOrder`, "Query Algo Order (USER_DATA)" `GET /fapi/v1/algoOrder`, "Current All
 * Algo Open Orders (USER_DATA)" `GET /fapi/v1/openAlgoOrders`; user-data-streams "Event: Algo Order
 * Update" (`ALGO_UPDATE`).
 *
 * The platform order keeps its clientOrderId as the `clientAlgoId`. Until it triggers, its venue id
 * is `algo-<algoId>` (the Algo Service numbers orders apart from the matching engine); once
 * triggered it is the real order's id (`actualOrderId`), whose trades are the order's fills.
 */
const ALGO_VENUE_TYPES = new Set(['STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET']);
const ALGO_PREFIX = 'algo-';

/** Whether `req` goes to the Algo Service rather than the classic order endpoint. */
export function isAlgoRequest(market: BinanceMarket, req: Pick<VenueOrderRequest, 'type'>): boolean {
  const venue = venueOrderTypeOf(market, req.type);
  return market === 'futures' && venue !== undefined && ALGO_VENUE_TYPES.has(venue.type);
}

/** The algoId an `algo-<algoId>` venue id names, if it is one. */
export function algoIdOf(externalId: string): string | undefined {
  return externalId.startsWith(ALGO_PREFIX) ? externalId.slice(ALGO_PREFIX.length) : undefined;
}

/** "New Algo Order" parameters. The trigger follows the last price (workingType CONTRACT_PRICE), as our stops do. */
export function toAlgoParams(req: VenueOrderRequest): Params {
  const type = venueOrderTypeOf('futures', req.type)?.type ?? req.type;
  const trailing = type === 'TRAILING_STOP_MARKET';
  return {
    algoType: 'CONDITIONAL',
    symbol: req.symbol,
    side: req.side,
    type,
    quantity: req.quantity,
    clientAlgoId: req.clientOrderId,
    price: req.price,
    // A trailing stop has no trigger price: it is armed at activatePrice and fires on callbackRate.
    triggerPrice: trailing ? undefined : req.stopPrice,
    activatePrice: trailing ? req.stopPrice : undefined,
    callbackRate: trailing ? req.callbackRate : undefined,
    workingType: 'CONTRACT_PRICE',
    timeInForce: takesTimeInForce(req.type) ? (req.timeInForce ?? 'GTC') : undefined,
    reduceOnly: req.reduceOnly ? 'true' : undefined,
  };
}

/**
 * "Event: Algo Order Update", Algo Status: NEW (waiting for its trigger) and TRIGGERING are our
 * PENDING_TRIGGER; TRIGGERED is working in the matching engine; FINISHED is filled or canceled there.
 */
export function algoStatusOf(status: string, executed: string, quantity: string): OrderStatus {
  const done = new Money(executed);
  switch (status) {
    case 'NEW':
    case 'TRIGGERING':
      return 'PENDING_TRIGGER';
    case 'TRIGGERED':
      return done.gt(0) ? 'PARTIALLY_FILLED' : 'NEW';
    case 'FINISHED':
      // closePosition orders carry no quantity: any execution closed the position.
      return done.gt(0) && (new Money(quantity).isZero() || done.gte(quantity)) ? 'FILLED' : 'CANCELED';
    case 'REJECTED':
      return 'REJECTED';
    case 'EXPIRED':
      return 'EXPIRED';
    default:
      return 'CANCELED';
  }
}

/** What an algo order's two sources (REST replies, `ALGO_UPDATE`) both say about its progress. */
interface AlgoProgress {
  clientAlgoId: string;
  algoId: number;
  actualOrderId: string | undefined;
  symbol: string;
  algoStatus: string;
  quantity: string;
  executed: string;
  averagePrice: string | undefined;
  updatedAt: number;
}

function algoState(p: AlgoProgress): VenueOrderState {
  return {
    clientOrderId: p.clientAlgoId,
    externalId: p.actualOrderId ? p.actualOrderId : `${ALGO_PREFIX}${p.algoId}`,
    symbol: p.symbol,
    status: algoStatusOf(p.algoStatus, p.executed, p.quantity),
    quantityExecuted: new Money(p.executed).toFixed(),
    updatedAt: p.updatedAt,
    ...(p.averagePrice && new Money(p.averagePrice).gt(0) ? { averagePrice: new Money(p.averagePrice).toFixed() } : {}),
  };
}

const positive = (v: string | undefined) => (v && new Money(v).gt(0) ? new Money(v).toFixed() : undefined);

/** An algo order as a venue order; `executed` is its real order's progress once triggered. */
export function fromAlgoOrder(
  a: BinanceAlgoOrder,
  executed?: { quantityExecuted: string; averagePrice?: string },
): VenueOpenOrder {
  const type = orderTypeOf('futures', a.orderType);
  if (!type)
    throw new Error(`Binance algo order ${a.algoId} has type ${a.orderType}, which the platform does not model`);
  return {
    ...algoState({
      clientAlgoId: a.clientAlgoId,
      algoId: a.algoId,
      actualOrderId: a.actualOrderId,
      symbol: a.symbol,
      algoStatus: a.algoStatus,
      quantity: a.quantity,
      executed: executed?.quantityExecuted ?? '0',
      averagePrice: executed?.averagePrice,
      updatedAt: a.updateTime ?? a.createTime ?? 0,
    }),
    side: a.side,
    type,
    quantity: new Money(a.quantity).toFixed(),
    createdAt: a.createTime ?? a.updateTime ?? 0,
    ...(a.timeInForce && takesTimeInForce(type) ? { timeInForce: a.timeInForce as TimeInForce } : {}),
    ...(positive(a.price) ? { price: positive(a.price) as string } : {}),
    ...(positive(a.triggerPrice) ? { stopPrice: positive(a.triggerPrice) as string } : {}),
  };
}

export function fromAlgoUpdate(u: z.output<typeof AlgoUpdateSchema>): VenueOrderState {
  const o = u.o;
  return {
    ...algoState({
      clientAlgoId: o.caid,
      algoId: o.aid,
      actualOrderId: o.ai,
      symbol: o.s,
      algoStatus: o.X,
      quantity: o.q,
      executed: o.aq ?? '0',
      averagePrice: o.ap,
      updatedAt: u.T,
    }),
    ...(o.X === 'REJECTED' && o.rm ? { rejectReason: o.rm } : {}),
  };
}

/** The Algo Service over signed REST; errors are the caller's to map. */
export function createBinanceAlgoRest(rest: BinanceRest) {
  const path = '/fapi/v1/algoOrder';
  return {
    /** "New Algo Order": request weight 0 on the IP limit. */
    async place(req: VenueOrderRequest, sent: (ts: number) => void): Promise<BinanceAlgoOrder> {
      return BinanceAlgoOrderSchema.parse(
        await rest.signed('POST', path, toAlgoParams(req), 0, { unsafe: true, sent }),
      );
    },
    async query(by: { clientAlgoId: string } | { algoId: string }): Promise<BinanceAlgoOrder> {
      return BinanceAlgoOrderSchema.parse(await rest.signed('GET', path, by, 1));
    },
    async cancel(clientAlgoId: string): Promise<z.output<typeof BinanceAlgoCancelSchema>> {
      return BinanceAlgoCancelSchema.parse(await rest.signed('DELETE', path, { clientAlgoId }, 1));
    },
    /** Weight 40 without a symbol (1 with one). */
    async open(): Promise<BinanceAlgoOrder[]> {
      return z.array(BinanceAlgoOrderSchema).parse(await rest.signed('GET', '/fapi/v1/openAlgoOrders', {}, 40));
    },
  };
}

export type BinanceAlgoRest = ReturnType<typeof createBinanceAlgoRest>;
