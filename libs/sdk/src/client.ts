import { configRoutes, providerRoutes, registryRoutes } from '@barfinex/contracts';
import type { z } from 'zod';
import type {
  AppHeartbeatRequestSchema,
  AppRegisterRequestSchema,
  AppRegistryListQuerySchema,
  AppUnregisterRequestSchema,
} from '@barfinex/contracts';
import { createRequester } from './request';
import type { Requester, RequesterOptions } from './request';
import type { AnyRoute, RouteInput, RouteResult } from './route-types';

type P = typeof providerRoutes;
type R = typeof registryRoutes;
type C = typeof configRoutes;
type Params<D> = RouteInput<D> extends { params: infer X } ? X : never;
type Query<D> = RouteInput<D> extends { query?: infer X } ? NonNullable<X> : never;
type Body<D> = RouteInput<D> extends { body: infer X } ? X : never;
type ConnectorMarket = Params<P['account']>;

export type ProviderClientOptions = RequesterOptions;
export type ProviderClient = ReturnType<typeof createProviderClient>;

const unwrap = <T extends { data: unknown }>(reply: T): T['data'] => reply.data;

/**
 * A typed client for the provider's REST API: one method per route, arguments and results typed
 * by the route definitions in `@barfinex/contracts`, errors as `AppError` (code, status, details).
 */
export function createProviderClient(options: ProviderClientOptions) {
  const call: Requester = createRequester(options);
  const pick = <K extends string>(input: Record<string, unknown>, keys: readonly K[]) =>
    Object.fromEntries(keys.filter((k) => input[k] !== undefined).map((k) => [k, input[k]])) as Record<K, unknown>;
  const pathKeys = ['connectorType', 'marketType', 'symbol', 'interval'] as const;

  return {
    baseUrl: call.baseUrl,
    /** Any route definition, e.g. one added after this client was written. */
    request: <D extends AnyRoute>(route: D, input?: RouteInput<D>): Promise<RouteResult<D>> => call(route, input),
    options: () => call(providerRoutes.options),
    catalog: () => call(providerRoutes.eventCatalog),

    orders: {
      create: (order: Body<P['placeOrder']>) => call(providerRoutes.placeOrder, { body: order }),
      /** By id or clientOrderId; a miss is an AppError with code NOT_FOUND. */
      get: (orderId: string) => call(providerRoutes.getOrder, { params: { orderId } }),
      list: (query: Query<P['listOrders']> = {}) => call(providerRoutes.listOrders, { query }),
      open: (market: ConnectorMarket, query: Query<P['marketOrders']> = {}) =>
        call(providerRoutes.marketOrders, { params: market, query }),
      close: (id: string) => call(providerRoutes.closeOrder, { body: { id } }),
      replace: (orderId: string, terms: Body<P['replaceOrder']>) =>
        call(providerRoutes.replaceOrder, { params: { orderId }, body: terms }),
      ofDetector: (sysname: string) => call(providerRoutes.detectorOrders, { params: { sysname } }),
      countOfDetector: (sysname: string) => call(providerRoutes.detectorOrderCount, { params: { sysname } }),
      cancelOfDetector: (sysname: string) => call(providerRoutes.cancelDetectorOrders, { params: { sysname } }),
    },

    candles: {
      list: (q: Params<P['candles']> & Query<P['candles']>) =>
        call(providerRoutes.candles, {
          params: pick(q, pathKeys) as Params<P['candles']>,
          query: pick(q, ['from', 'to', 'days'] as const) as Query<P['candles']>,
        }),
    },

    market: {
      symbols: (market: ConnectorMarket) => call(providerRoutes.symbols, { params: market }),
      orderBook: (q: Params<P['orderBook']> & Query<P['orderBook']>) =>
        call(providerRoutes.orderBook, {
          params: pick(q, pathKeys) as Params<P['orderBook']>,
          query: pick(q, ['depth'] as const) as Query<P['orderBook']>,
        }),
      ticker: (q: Params<P['ticker']>) => call(providerRoutes.ticker, { params: q }),
    },

    accounts: {
      list: () => call(providerRoutes.accounts),
      get: (market: ConnectorMarket) => call(providerRoutes.account, { params: market }),
      assets: (market: ConnectorMarket) => call(providerRoutes.assets, { params: market }),
      setLeverage: (body: Body<P['leverage']>) => call(providerRoutes.leverage, { body }),
    },

    connectors: {
      list: () => call(providerRoutes.connectors),
      get: (market: ConnectorMarket) => call(providerRoutes.connector, { params: market }),
      updateSubscriptions: (body: Body<P['updateSubscriptions']>) => call(providerRoutes.updateSubscriptions, { body }),
      subscriptions: () => call(providerRoutes.subscriptions),
    },

    sim: {
      status: () => call(providerRoutes.simStatus),
      setPrice: (body: Body<P['simPrice']>) => call(providerRoutes.simPrice, { body }),
      path: (body: Body<P['simPath']>) => call(providerRoutes.simPath, { body }),
      pause: () => call(providerRoutes.simPause),
      resume: () => call(providerRoutes.simResume),
      step: (ms: number) => call(providerRoutes.simStep, { body: { ms } }),
    },

    registry: {
      register: async (app: z.input<typeof AppRegisterRequestSchema>) =>
        unwrap(await call(registryRoutes.registerApp, { body: app })),
      heartbeat: async (app: z.input<typeof AppHeartbeatRequestSchema>) =>
        unwrap(await call(registryRoutes.heartbeatApp, { body: app })),
      unregister: async (app: z.input<typeof AppUnregisterRequestSchema>) =>
        unwrap(await call(registryRoutes.unregisterApp, { body: app })),
      list: async (query: z.input<typeof AppRegistryListQuerySchema> = {}) =>
        unwrap(await call(registryRoutes.listApps, { query })),
      get: async (appType: Params<R['getApp']>['appType'], appKey: string) =>
        unwrap(await call(registryRoutes.getApp, { params: { appType, appKey } })),
      proxyTargets: () => call(registryRoutes.proxyTargets),
    },

    detectors: {
      list: () => call(configRoutes.listDetectors),
      get: (key: string) => call(configRoutes.getDetector, { params: { key } }),
      create: (config: Body<C['createDetector']>) => call(configRoutes.createDetector, { body: config }),
      update: (key: string, patch: Body<C['updateDetector']>) =>
        call(configRoutes.updateDetector, { params: { key }, body: patch }),
      remove: (key: string) => call(configRoutes.deleteDetector, { params: { key } }),
    },

    inspectors: {
      list: () => call(configRoutes.listInspectors),
      get: (sysname: string) => call(configRoutes.getInspector, { params: { sysname } }),
      create: (config: Body<C['createInspector']>) => call(configRoutes.createInspector, { body: config }),
      update: (sysname: string, patch: Body<C['updateInspector']>) =>
        call(configRoutes.updateInspector, { params: { sysname }, body: patch }),
      remove: (sysname: string) => call(configRoutes.deleteInspector, { params: { sysname } }),
    },

    /** Releases pooled sockets. */
    close: () => call.close(),
  };
}
