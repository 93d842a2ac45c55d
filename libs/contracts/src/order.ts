import {
  ORDER_SOURCE_TYPE_VALUES,
  ORDER_STATUS_VALUES,
  ORDER_TYPE_VALUES,
  OrderType,
  TIME_IN_FORCE_VALUES,
  isLimitPricedOrderType,
  isStopPricedOrderType,
} from '@barfinex/enums';
import { z } from 'zod';
import { ConnectorTypeSchema, Id, MarketTypeSchema, OrderSideSchema, SymbolName, UnixMs, enumOf } from './common';
import { DecimalString, NonNegativeDecimalString, PositiveDecimalString } from './decimal';
import { withOpenApiSchema } from './openapi';

export const OrderTypeSchema = enumOf(ORDER_TYPE_VALUES);
export const OrderStatusSchema = enumOf(ORDER_STATUS_VALUES);
export const TimeInForceSchema = enumOf(TIME_IN_FORCE_VALUES);
export const OrderSourceTypeSchema = enumOf(ORDER_SOURCE_TYPE_VALUES);

/** Who placed the order: `key` is the app key or detector sysname. */
export const OrderSourceSchema = z
  .object({
    type: OrderSourceTypeSchema,
    key: z.string().min(1).optional(),
    restApiUrl: z.string().optional(),
  })
  .meta({ id: 'OrderSource' });
export type OrderSource = z.output<typeof OrderSourceSchema>;

export const OrderSchema = z
  .object({
    id: Id,
    clientOrderId: Id,
    externalId: z.string().min(1).optional(),
    idempotencyKey: z.string().min(1).optional(),
    symbol: SymbolName,
    side: OrderSideSchema,
    type: OrderTypeSchema,
    status: OrderStatusSchema,
    timeInForce: TimeInForceSchema.optional(),
    price: PositiveDecimalString.optional(),
    stopPrice: PositiveDecimalString.optional(),
    callbackRate: PositiveDecimalString.optional(),
    quantity: PositiveDecimalString,
    quantityExecuted: NonNegativeDecimalString,
    averagePrice: PositiveDecimalString.optional(),
    leverage: z.number().int().positive().optional(),
    reduceOnly: z.boolean().optional(),
    connectorType: ConnectorTypeSchema,
    marketType: MarketTypeSchema,
    source: OrderSourceSchema,
    createdAt: UnixMs,
    updatedAt: UnixMs,
    closedAt: UnixMs.optional(),
    rejectReason: z.string().optional(),
    correlationId: z.string().optional(),
    tokenId: z
      .string()
      .optional()
      .meta({ description: 'The API token that placed the order (`bootstrap` for PROVIDER_API_TOKEN)' }),
  })
  .meta({ id: 'Order' });
export type Order = z.output<typeof OrderSchema>;

/** The order fields a client sends (DESIGN §9); ids are minted by the provider when absent. */
export const OrderCreateFieldsSchema = z
  .object({
    symbol: SymbolName,
    side: OrderSideSchema,
    type: OrderTypeSchema,
    quantity: PositiveDecimalString,
    price: PositiveDecimalString.optional(),
    stopPrice: PositiveDecimalString.optional(),
    callbackRate: PositiveDecimalString.optional(),
    timeInForce: TimeInForceSchema.optional(),
    /** Futures only: the symbol's leverage is set to this before the order goes out (PUT /accounts/leverage's range). */
    leverage: z.number().int().min(1).max(125).optional(),
    reduceOnly: z.boolean().optional(),
    connectorType: ConnectorTypeSchema,
    marketType: MarketTypeSchema,
    clientOrderId: z.string().min(1).max(64).optional(),
    idempotencyKey: z.string().min(1).max(200).optional(),
    source: OrderSourceSchema.optional(),
    /** Carried on this order's events (create, fills, close), so a strategy's chain keeps one id. Defaults to the clientOrderId. */
    correlationId: z.string().min(1).max(200).optional(),
  })
  .superRefine((order, ctx) => {
    if (isLimitPricedOrderType(order.type) && order.price === undefined) {
      ctx.addIssue({ code: 'custom', path: ['price'], message: `price is required for ${order.type} orders` });
    }
    if (isStopPricedOrderType(order.type) && order.stopPrice === undefined) {
      ctx.addIssue({ code: 'custom', path: ['stopPrice'], message: `stopPrice is required for ${order.type} orders` });
    }
    if (order.type === OrderType.TRAILING_STOP_MARKET && order.callbackRate === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['callbackRate'],
        message: 'callbackRate is required for TRAILING_STOP_MARKET orders',
      });
    }
  })
  .meta({ id: 'OrderCreate' });
export type OrderCreate = z.output<typeof OrderCreateFieldsSchema>;
export type OrderCreateInput = z.input<typeof OrderCreateFieldsSchema>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reference clients wrap the body as `{ order: {...} }`; unwrap it before validating. */
function unwrapOrder(raw: unknown): unknown {
  return isRecord(raw) && isRecord(raw['order']) && !('symbol' in raw) ? raw['order'] : raw;
}

/**
 * Body of `POST /orders`: the order fields at the top level or wrapped as `{ order }`. Errors
 * point at the field (e.g. `quantity`) whichever shape was sent.
 */
export const OrderCreateRequestSchema = withOpenApiSchema(
  z.preprocess(unwrapOrder, OrderCreateFieldsSchema),
  z.union([OrderCreateFieldsSchema, z.object({ order: OrderCreateFieldsSchema }).meta({ id: 'WrappedOrderCreate' })]),
);

/** Body of `PUT /orders/close`: `{ id }` or `{ order: { id } }`. */
const OrderCloseFieldsSchema = z.object({ id: Id }).meta({ id: 'OrderClose' });
export const OrderCloseRequestSchema = withOpenApiSchema(
  z.preprocess(unwrapOrder, OrderCloseFieldsSchema),
  z.union([OrderCloseFieldsSchema, z.object({ order: OrderCloseFieldsSchema })]),
);
export type OrderCloseRequest = z.output<typeof OrderCloseRequestSchema>;

/**
 * One execution against an order. When the provider learns a fill together with its order's state
 * (a placement's reply, reconciliation), `PROVIDER_ORDER_FILL` also carries the order as that
 * update leaves it (`orderStatus`, `quantityExecuted`, `averagePrice`, this fill included), so a
 * consumer following its own orders needs no read of the order after a fill. A fill the venue
 * reports on its own comes without them; the order's next update follows it.
 */
export const FillSchema = z
  .object({
    fillId: Id,
    orderId: Id,
    clientOrderId: z.string().min(1).optional(),
    externalId: z.string().min(1).optional(),
    tradeId: z.string().min(1).optional(),
    symbol: SymbolName,
    side: OrderSideSchema,
    price: PositiveDecimalString,
    quantity: PositiveDecimalString,
    quantityExecuted: NonNegativeDecimalString.optional().meta({
      description: "the order's executed quantity after the update that brought this fill",
    }),
    orderStatus: OrderStatusSchema.optional().meta({
      description: "the order's status after the update that brought this fill",
    }),
    averagePrice: PositiveDecimalString.optional().meta({
      description: "the order's average fill price after the update that brought this fill",
    }),
    fee: NonNegativeDecimalString.optional(),
    feeAsset: z.string().min(1).optional(),
    realizedPnl: DecimalString.optional(),
    isMaker: z.boolean().optional(),
    time: UnixMs,
    connectorType: ConnectorTypeSchema,
    marketType: MarketTypeSchema,
    source: OrderSourceSchema.optional(),
  })
  .meta({ id: 'Fill' });
export type Fill = z.output<typeof FillSchema>;
