import { z } from 'zod';
import { AccountSchema, AssetSchema, PositionSchema } from '../account';
import { ConnectorTypeSchema, Id, MarketTypeSchema, SymbolName, TimestampInput } from '../common';
import { DecimalString, PositiveDecimalString } from '../decimal';
import { createPaginationQuery, paginated } from '../http';
import { CandleSchema, InstrumentSchema, OrderBookSchema, SymbolPriceSchema } from '../market-data';
import { defineRoute, defineRoutes, withOpenApiSchema } from '../openapi';
import { OrderCloseRequestSchema, OrderCreateFieldsSchema, OrderCreateRequestSchema, OrderSchema } from '../order';
import { ReconciliationSchema } from '../platform';
import { ConnectorMarketParams, MarketTypeParam, SymbolParam, TimeFrameParam } from './params';

const tags = (t: string) => [t];

export const ConnectorInfoSchema = z
  .object({
    connectorType: ConnectorTypeSchema,
    marketType: MarketTypeSchema,
    status: z.string(),
    /** Why the market is `DEGRADED` (cannot trade: user-data stream or trading gate not open). */
    statusReason: z.string().optional(),
    isActive: z.boolean(),
    symbols: z.array(SymbolName),
    instruments: z.number().int().nonnegative(),
    subscriptions: z.array(z.string()),
  })
  .meta({ id: 'ConnectorInfo' });

export const OptionsSchema = z
  .object({
    key: z.string(),
    version: z.string(),
    isAvailable: z.boolean(),
    connectors: z.array(ConnectorInfoSchema),
    accounts: z.array(z.object({ connectorType: ConnectorTypeSchema, marketType: MarketTypeSchema })),
    detectors: z.array(z.unknown()),
    restApiUrl: z.string(),
    socketPath: z.string(),
  })
  .meta({ id: 'ProviderOptions' });

export const SubscriptionSchema = z
  .object({
    type: z.string(),
    connectorType: ConnectorTypeSchema,
    marketType: MarketTypeSchema,
    symbols: z.array(SymbolName),
    intervals: z.array(z.string()),
    active: z.boolean(),
    updateMoment: z.number().int().optional(),
  })
  .meta({ id: 'Subscription' });

export const SubscriptionUpdateSchema = z
  .object({
    connectorType: ConnectorTypeSchema,
    marketType: MarketTypeParam,
    symbols: z.array(SymbolParam).min(1).max(500),
  })
  .meta({ id: 'SubscriptionUpdate' });

export const LeverageRequestSchema = z
  .object({
    connectorType: ConnectorTypeSchema,
    marketType: MarketTypeParam.default('futures'),
    symbol: z.union([
      SymbolParam,
      z.object({ name: SymbolParam }).transform((s) => s.name),
      z.object({ symbol: SymbolParam }).transform((s) => s.symbol),
    ]),
    leverage: z.coerce.number().int().min(1).max(125),
  })
  .meta({ id: 'LeverageRequest' });

export const CandlesQuerySchema = z.object({
  from: TimestampInput.optional(),
  to: TimestampInput.optional(),
  days: z.coerce
    .number({ message: 'days must be a non-negative number' })
    .nonnegative('days must be a non-negative number')
    .max(3660)
    .optional(),
});

export const OrderListQuerySchema = createPaginationQuery(1000).extend({ search: z.string().max(100).optional() });

export const OrderReplaceSchema = z
  .object({
    price: PositiveDecimalString.optional(),
    stopPrice: PositiveDecimalString.optional(),
    callbackRate: PositiveDecimalString.optional(),
    quantity: PositiveDecimalString.optional(),
    clientOrderId: z.string().min(1).max(64).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, {
    message: 'send at least one of price, stopPrice, callbackRate, quantity',
  })
  .meta({ id: 'OrderReplace' });

export const OrderPlacementSchema = OrderSchema;
export const OrderReplaceResultSchema = z
  .object({ canceled: OrderSchema, order: OrderSchema })
  .meta({ id: 'OrderReplaceResult' });
export const DetectorOrderItemSchema = z.object({ id: Id, order: OrderSchema });
export const DetectorParams = z.object({ sysname: Id });

export const SimPriceSchema = z
  .object({ marketType: MarketTypeParam.default('spot'), symbol: SymbolParam, price: PositiveDecimalString })
  .meta({ id: 'SimSetPrice' });
export const SimPathSchema = z
  .object({
    marketType: MarketTypeParam.default('spot'),
    symbol: SymbolParam,
    prices: z.array(PositiveDecimalString).min(1).max(100_000),
    intervalMs: z.coerce.number().int().min(1).max(86_400_000).default(1000),
  })
  .meta({ id: 'SimPricePath' });
/**
 * A step replays every tick on the way (86,400 per symbol per day at the default 1 s tick) and
 * publishes their trades, so its cost grows with `ms`; it runs in slices and the provider keeps
 * answering meanwhile, but one request stays within a day (the ticker's 24 h window).
 */
const SIM_STEP_MAX_MS = 86_400_000;
export const SimStepSchema = z
  .object({
    ms: z.coerce
      .number()
      .int()
      .min(1)
      .max(SIM_STEP_MAX_MS)
      .describe(
        'Simulated ms to play, at most one day; steps run one after another, and `GET /connectors/sim/status` shows the clock moving meanwhile.',
      ),
  })
  .meta({ id: 'SimStep' });
export const SimStatusSchema = z
  .object({
    paused: z.boolean(),
    time: z.number().int(),
    prices: z.record(z.string(), z.record(z.string(), DecimalString)),
  })
  .meta({ id: 'SimStatus' });

export const CatalogItemSchema = z.object({
  systemName: z.string(),
  namespace: z.string(),
  direction: z.enum(['server->client', 'client->server']),
  source: z.string(),
  category: z.string().optional(),
  durable: z.boolean().optional(),
  nameEn: z.string(),
  nameRu: z.string(),
  descriptionEn: z.string(),
  descriptionRu: z.string(),
});
export const CatalogSchema = z
  .object({ total: z.number().int(), namespaces: z.array(z.string()), items: z.array(CatalogItemSchema) })
  .meta({ id: 'EventCatalog' });

const cm = ConnectorMarketParams;
const ORDERS_CAP =
  "An account's `orders` holds at most its 1,000 newest open orders. When an account has more, headers say so: `X-Orders-Truncated: true`, `X-Orders-Limit`, and `X-Orders-Total` (one account) or `X-Orders-Truncated-Accounts: <connectorType>/<marketType>=<open orders>,...` (the list).";

export const providerRoutes = defineRoutes({
  options: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/options',
    summary: 'Provider metadata, connectors, detectors and accounts',
    tags: tags('Options'),
    responses: { 200: OptionsSchema },
  }),
  accounts: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/accounts',
    summary: 'Every account (one per connector and market)',
    description: ORDERS_CAP,
    tags: tags('Accounts'),
    responses: { 200: z.array(AccountSchema) },
  }),
  account: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/accounts/:connectorType/:marketType',
    summary: 'One account',
    description: ORDERS_CAP,
    tags: tags('Accounts'),
    request: { params: cm },
    responses: { 200: AccountSchema },
  }),
  leverage: defineRoute({
    method: 'put',
    scope: 'trade',
    path: '/accounts/leverage',
    summary: 'Set the leverage of a futures symbol',
    tags: tags('Accounts'),
    request: { body: LeverageRequestSchema },
    responses: {
      200: z.object({
        symbol: SymbolName,
        leverage: z.number().int(),
        connectorType: ConnectorTypeSchema,
        marketType: MarketTypeSchema,
      }),
    },
  }),
  assets: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/assets/:connectorType/:marketType',
    summary: 'Balances and positions',
    tags: tags('Assets'),
    request: { params: cm },
    responses: { 200: z.object({ assets: z.array(AssetSchema), positions: z.array(PositionSchema) }) },
  }),
  symbols: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/symbols/:connectorType/:marketType',
    summary: 'Tradable instruments with exchange filters',
    tags: tags('Symbols'),
    request: { params: cm },
    responses: { 200: z.array(InstrumentSchema) },
  }),
  orderBook: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/symbols/:connectorType/:marketType/:symbol/orderbook',
    summary: 'Current order book of a symbol',
    tags: tags('Symbols'),
    request: {
      params: cm.extend({ symbol: SymbolParam }),
      query: z.object({ depth: z.coerce.number().int().min(1).max(500).default(20) }),
    },
    responses: { 200: OrderBookSchema },
  }),
  ticker: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/symbols/:connectorType/:marketType/:symbol/ticker',
    summary: '24 h ticker statistics of a symbol',
    tags: tags('Symbols'),
    request: { params: cm.extend({ symbol: SymbolParam }) },
    responses: { 200: SymbolPriceSchema },
  }),
  candles: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/candles/:connectorType/:marketType/:symbol/:interval',
    summary: 'Stored candles of one series',
    description:
      'Range: `to` (or the last stored bar) back to `from`, else `days`, else 6 h for min1 and 7 days otherwise. `from`/`to` are Unix ms or ISO-8601. At most 100,000 bars: a longer range returns its newest bars, with headers `X-Candles-Truncated: true` and `X-Candles-From` (Unix ms of the first bar returned). A `from` past the last stored bar returns `[]`.',
    tags: tags('Candles'),
    request: { params: cm.extend({ symbol: SymbolParam, interval: TimeFrameParam }), query: CandlesQuerySchema },
    responses: { 200: z.array(CandleSchema) },
  }),
  placeOrder: defineRoute({
    method: 'post',
    scope: 'trade',
    path: '/orders',
    summary: 'Place an order',
    description:
      'Fields at the top level or wrapped as `{ order }`; numbers or decimal strings. A repeated `clientOrderId` or `idempotencyKey` returns the first order (200, header `Idempotent-Replayed: true`).',
    tags: tags('Orders'),
    request: { body: withOpenApiSchema(OrderCreateRequestSchema, OrderCreateFieldsSchema) },
    responses: { 201: OrderPlacementSchema, 200: OrderPlacementSchema, 422: null },
  }),
  closeOrder: defineRoute({
    method: 'put',
    scope: 'trade',
    path: '/orders/close',
    summary: 'Cancel an open order',
    tags: tags('Orders'),
    request: { body: withOpenApiSchema(OrderCloseRequestSchema, z.object({ id: Id })) },
    responses: { 200: OrderSchema, 409: null },
  }),
  listOrders: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/orders',
    summary: 'Stored orders, newest first',
    tags: tags('Orders'),
    request: { query: OrderListQuerySchema.extend({ symbol: SymbolParam.optional(), status: z.string().optional() }) },
    responses: { 200: paginated(OrderSchema) },
  }),
  detectorOrders: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/orders/detector/:sysname',
    summary: 'Open orders placed by a detector',
    tags: tags('Orders'),
    request: { params: DetectorParams },
    responses: { 200: z.array(DetectorOrderItemSchema) },
  }),
  detectorOrderCount: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/orders/detector/:sysname/count',
    summary: 'Open orders of a detector per symbol',
    tags: tags('Orders'),
    request: { params: DetectorParams },
    responses: { 200: z.array(z.object({ symbol: SymbolName, ordersCount: z.number().int() })) },
  }),
  detectorSymbolOrders: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/orders/detector/:sysname/symbol/:symbol',
    summary: 'Open orders of a detector for one symbol',
    tags: tags('Orders'),
    request: { params: DetectorParams.extend({ symbol: SymbolParam }) },
    responses: { 200: z.array(DetectorOrderItemSchema) },
  }),
  cancelDetectorOrders: defineRoute({
    method: 'delete',
    scope: 'trade',
    path: '/orders/detector/:sysname',
    summary: 'Cancel every open order of a detector (history is kept)',
    tags: tags('Orders'),
    request: { params: DetectorParams },
    responses: { 200: z.object({ canceled: z.number().int(), orders: z.array(OrderSchema) }) },
  }),
  cancelDetectorSymbolOrders: defineRoute({
    method: 'delete',
    scope: 'trade',
    path: '/orders/detector/:sysname/symbol/:symbol',
    summary: 'Cancel the open orders of a detector for one symbol',
    tags: tags('Orders'),
    request: { params: DetectorParams.extend({ symbol: SymbolParam }) },
    responses: { 200: z.object({ canceled: z.number().int(), orders: z.array(OrderSchema) }) },
  }),
  marketOrders: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/orders/:connectorType/:marketType',
    summary: 'Open orders of one connector and market',
    tags: tags('Orders'),
    request: { params: cm, query: OrderListQuerySchema },
    responses: { 200: paginated(OrderSchema) },
  }),
  getOrder: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/orders/:orderId',
    summary: 'One order by id or clientOrderId',
    tags: tags('Orders'),
    request: { params: z.object({ orderId: Id }) },
    responses: { 200: OrderSchema },
  }),
  replaceOrder: defineRoute({
    method: 'put',
    scope: 'trade',
    path: '/orders/:orderId',
    summary: 'Cancel-replace an open order with new terms',
    tags: tags('Orders'),
    request: { params: z.object({ orderId: Id }), body: OrderReplaceSchema },
    responses: { 200: OrderReplaceResultSchema, 409: null },
  }),
  connectors: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/connectors',
    summary: 'Connectors with live state',
    tags: tags('Connectors'),
    responses: { 200: z.array(ConnectorInfoSchema) },
  }),
  connector: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/connectors/:connectorType/:marketType',
    summary: 'One connector',
    tags: tags('Connectors'),
    request: { params: cm },
    responses: { 200: ConnectorInfoSchema },
  }),
  reconciliation: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/connectors/:connectorType/:marketType/reconciliation',
    summary: 'Latest reconciliation of a venue connector with the database',
    description:
      'Runs on start and after every user-stream reconnect; orders for the connector wait until it succeeds. 404 until the first run finished.',
    tags: tags('Connectors'),
    request: { params: cm },
    responses: { 200: ReconciliationSchema },
  }),
  updateSubscriptions: defineRoute({
    method: 'post',
    scope: 'configure',
    path: '/connectors/subscribes/update',
    summary: 'Replace the streamed symbol set of a connector market',
    tags: tags('Connectors'),
    request: { body: SubscriptionUpdateSchema },
    responses: { 200: ConnectorInfoSchema },
  }),
  subscriptions: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/subscriptions',
    summary: 'Configured market-data subscriptions',
    tags: tags('Subscriptions'),
    responses: { 200: z.array(SubscriptionSchema) },
  }),
  eventCatalog: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/ws/events/catalog',
    summary: 'WebSocket event names with EN/RU descriptions',
    tags: tags('WebSocket'),
    responses: { 200: CatalogSchema },
  }),
  simStatus: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/connectors/sim/status',
    summary: 'Simulated exchange clock and prices',
    tags: tags('Simulator'),
    responses: { 200: SimStatusSchema },
  }),
  simPrice: defineRoute({
    method: 'post',
    scope: 'configure',
    path: '/connectors/sim/price',
    summary: 'Set a symbol price now (resting orders and stops react)',
    tags: tags('Simulator'),
    request: { body: SimPriceSchema },
    responses: { 200: SimStatusSchema },
  }),
  simPath: defineRoute({
    method: 'post',
    scope: 'configure',
    path: '/connectors/sim/path',
    summary: 'Queue a price path consumed by the next clock steps',
    tags: tags('Simulator'),
    request: { body: SimPathSchema },
    responses: { 200: SimStatusSchema },
  }),
  simPause: defineRoute({
    method: 'post',
    scope: 'configure',
    path: '/connectors/sim/pause',
    summary: 'Pause the simulated clock',
    tags: tags('Simulator'),
    responses: { 200: SimStatusSchema },
  }),
  simResume: defineRoute({
    method: 'post',
    scope: 'configure',
    path: '/connectors/sim/resume',
    summary: 'Resume the simulated clock',
    tags: tags('Simulator'),
    responses: { 200: SimStatusSchema },
  }),
  simStep: defineRoute({
    method: 'post',
    scope: 'configure',
    path: '/connectors/sim/step',
    summary: 'Advance the (paused) clock by ms',
    tags: tags('Simulator'),
    request: { body: SimStepSchema },
    responses: { 200: SimStatusSchema },
  }),
});
