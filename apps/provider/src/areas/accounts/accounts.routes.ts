import { providerRoutes as r } from '@barfinex/contracts';
import type { Account } from '@barfinex/contracts';
import type { ConnectorType, MarketType } from '@barfinex/enums';
import { badRequest } from '@barfinex/service-kit';
import type { ConnectorRegistry } from '../../connectors/connector-registry';
import { reply } from '../../http/typed-router';
import type { TypedRouter } from '../../http/typed-router';
import type { OrdersService } from '../orders/orders.service';
import { OPEN_STATUSES } from '../orders/orders.service';
import { marketStatus } from '../../connectors/connector-status';

export interface AccountsDeps {
  connectors: ConnectorRegistry;
  orders: Pick<OrdersService, 'list'>;
  /** Open orders one account carries at most (default 1,000); the rest are paged through GET /api/orders. */
  ordersLimit?: number;
}

/** An account and how many open orders it has in all (more than `account.orders` when capped). */
export interface AccountView {
  account: Account;
  openOrders: number;
}

export function accountView(deps: AccountsDeps) {
  const limit = deps.ordersLimit ?? 1_000;
  return async (connectorType: ConnectorType, marketType: MarketType): Promise<AccountView> => {
    const connector = deps.connectors.require(connectorType, marketType);
    const [snapshot, open] = await Promise.all([
      connector.account(marketType),
      deps.orders.list({ connectorType, marketType, statuses: OPEN_STATUSES }, { page: 1, limit }),
    ]);
    const account: Account = {
      connectorType,
      marketType,
      isActive: marketStatus(connector, marketType).isActive,
      assets: snapshot.assets,
      positions: snapshot.positions,
      orders: open.items,
      symbols: connector.subscriptions(marketType).symbols,
    };
    return { account, openOrders: open.total };
  };
}

const accountKey = (a: Account) => `${a.connectorType}/${a.marketType}`;

/**
 * The Account contract has no room to say its order list was cut, so, as /api/candles does with
 * X-Candles-Truncated, headers say so: which accounts, how many open orders in all, and the cap.
 * The newest open orders are the ones kept.
 */
function truncationHeaders(
  views: readonly AccountView[],
  limit: number,
  single: boolean,
): Record<string, string> | undefined {
  const cut = views.filter((v) => v.openOrders > v.account.orders.length);
  if (cut.length === 0) return undefined;
  return {
    'X-Orders-Truncated': 'true',
    'X-Orders-Limit': String(limit),
    ...(single
      ? { 'X-Orders-Total': String(cut[0]?.openOrders) }
      : { 'X-Orders-Truncated-Accounts': cut.map((v) => `${accountKey(v.account)}=${v.openOrders}`).join(',') }),
  };
}

/** Accounts and assets: the venue's balances and positions plus the provider's open orders. */
export function registerAccountRoutes(t: TypedRouter, deps: AccountsDeps): void {
  const view = accountView(deps);
  const limit = deps.ordersLimit ?? 1_000;
  t.add(r.accounts, async () => {
    const views = await Promise.all(
      deps.connectors.pairs().map(({ connector, market }) => view(connector.type, market)),
    );
    return reply(
      200,
      views.map((v) => v.account),
      truncationHeaders(views, limit, false),
    );
  });
  t.add(r.account, async ({ params }) => {
    const v = await view(params.connectorType, params.marketType);
    return reply(200, v.account, truncationHeaders([v], limit, true));
  });
  t.add(r.assets, async ({ params }) => {
    const snapshot = await deps.connectors.require(params.connectorType, params.marketType).account(params.marketType);
    return { assets: snapshot.assets, positions: snapshot.positions };
  });
  t.add(r.leverage, async ({ body }) => {
    if (body.marketType !== 'futures')
      throw badRequest('leverage applies to futures markets only', { marketType: body.marketType });
    const connector = deps.connectors.require(body.connectorType, body.marketType);
    if (!connector.instrument(body.marketType, body.symbol))
      throw badRequest(`unknown symbol ${body.symbol}`, { symbol: body.symbol });
    const leverage = await connector.setLeverage(body.marketType, body.symbol, body.leverage);
    return { symbol: body.symbol, leverage, connectorType: body.connectorType, marketType: body.marketType };
  });
}
