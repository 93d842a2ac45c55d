import { providerRoutes as r } from '@barfinex/contracts';
import { authRoutes, buildPage } from '@barfinex/contracts';
import type { Order } from '@barfinex/contracts';
import type { OrderStatus } from '@barfinex/enums';
import { ORDER_STATUS_VALUES } from '@barfinex/enums';
import { badRequest } from '@barfinex/service-kit';
import type { TypedRouter } from '../../http/typed-router';
import { reply } from '../../http/typed-router';
import { principalOf } from '../auth/access-guard';
import { noteTargets } from '../auth/audit-hook';
import type { OrdersService } from './orders.service';
import { OPEN_STATUSES } from './orders.service';

const asItems = (orders: Order[]) => orders.map((order) => ({ id: order.id, order }));

export function registerOrderRoutes(t: TypedRouter, deps: { orders: OrdersService }): void {
  const { orders } = deps;
  t.add(r.placeOrder, async ({ body, res }) => {
    const result = await orders.place(body, { tokenId: principalOf(res)?.tokenId });
    return result.replayed ? reply(200, result.order, { 'Idempotent-Replayed': 'true' }) : reply(201, result.order);
  });
  t.add(authRoutes.validateOrder, ({ body }) => orders.validate(body));
  t.add(r.closeOrder, ({ body }) => orders.cancel(body.id));
  t.add(r.listOrders, async ({ query, req }) => {
    const statuses = query.status?.split(',').map((s) => s.trim().toUpperCase());
    const bad = statuses?.filter((s) => !(ORDER_STATUS_VALUES as readonly string[]).includes(s)) ?? [];
    if (bad.length > 0) throw badRequest(`unknown order status ${bad.join(', ')}`, { allowed: ORDER_STATUS_VALUES });
    const { items, total } = await orders.list(
      {
        ...(query.symbol ? { symbol: query.symbol } : {}),
        ...(statuses ? { statuses: statuses as OrderStatus[] } : {}),
        ...(query.search ? { search: query.search } : {}),
      },
      query,
    );
    return buildPage(items, total, {
      path: req.baseUrl + req.path,
      page: query.page,
      limit: query.limit,
      query: { symbol: query.symbol, status: query.status, search: query.search },
    });
  });
  t.add(r.detectorOrders, async ({ params }) =>
    asItems(
      (
        await orders.list(
          { sourceType: 'detector', sourceKey: params.sysname, statuses: OPEN_STATUSES },
          { page: 1, limit: 1000 },
        )
      ).items,
    ),
  );
  t.add(r.detectorOrderCount, ({ params }) =>
    orders.countBySymbol({ sourceType: 'detector', sourceKey: params.sysname, statuses: OPEN_STATUSES }),
  );
  t.add(r.detectorSymbolOrders, async ({ params }) =>
    asItems(
      (
        await orders.list(
          { sourceType: 'detector', sourceKey: params.sysname, symbol: params.symbol, statuses: OPEN_STATUSES },
          { page: 1, limit: 1000 },
        )
      ).items,
    ),
  );
  t.add(r.cancelDetectorOrders, async ({ params }) => {
    const canceled = await orders.cancelWhere({ sourceType: 'detector', sourceKey: params.sysname });
    return { canceled: canceled.length, orders: canceled };
  });
  t.add(r.cancelDetectorSymbolOrders, async ({ params }) => {
    const canceled = await orders.cancelWhere({
      sourceType: 'detector',
      sourceKey: params.sysname,
      symbol: params.symbol,
    });
    return { canceled: canceled.length, orders: canceled };
  });
  t.add(r.marketOrders, async ({ params, query, req }) => {
    const { items, total } = await orders.list(
      {
        connectorType: params.connectorType,
        marketType: params.marketType,
        statuses: OPEN_STATUSES,
        ...(query.search ? { search: query.search } : {}),
      },
      query,
    );
    return buildPage(items, total, {
      path: req.baseUrl + req.path,
      page: query.page,
      limit: query.limit,
      query: { search: query.search },
    });
  });
  t.add(r.getOrder, ({ params }) => orders.get(params.orderId));
  t.add(r.replaceOrder, async ({ params, body, res }) => {
    const result = await orders.replace(params.orderId, body, { tokenId: principalOf(res)?.tokenId });
    noteTargets(res, { replacementOrderId: result.order.id });
    return result;
  });
}
