import { providerRoutes as r } from '@barfinex/contracts';
import type { Account } from '@barfinex/contracts';
import type { ConnectorType, MarketType } from '@barfinex/enums';
import { badRequest } from '@barfinex/service-kit';
import type { ConnectorRegistry } from '../connectors/connector-registry';
import type { TypedRouter } from '../http/typed-router';
import type { OrdersService } from '../orders/orders.service';
import { OPEN_STATUSES } from '../orders/orders.service';

export interface AccountsDeps {
  connectors: ConnectorRegistry;
  orders: OrdersService;
}

export function accountView(deps: AccountsDeps) {
  return async (connectorType: ConnectorType, marketType: MarketType): Promise<Account> => {
    const connector = deps.connectors.require(connectorType, marketType);
    const [snapshot, open] = await Promise.all([
      connector.account(marketType),
      deps.orders.list({ connectorType, marketType, statuses: OPEN_STATUSES }, { page: 1, limit: 1000 }),
    ]);
    return {
      connectorType,
      marketType,
      isActive: connector.status() === 'ACTIVE',
      assets: snapshot.assets,
      positions: snapshot.positions,
      orders: open.items,
      symbols: connector.subscriptions(marketType).symbols,
    };
  };
}

/** Accounts and assets: the venue's balances and positions plus the provider's open orders. */
export function registerAccountRoutes(t: TypedRouter, deps: AccountsDeps): void {
  const view = accountView(deps);
  t.add(r.accounts, async () => Promise.all(deps.connectors.pairs().map(({ connector, market }) => view(connector.type, market))));
  t.add(r.account, ({ params }) => view(params.connectorType, params.marketType));
  t.add(r.assets, async ({ params }) => {
    const snapshot = await deps.connectors.require(params.connectorType, params.marketType).account(params.marketType);
    return { assets: snapshot.assets, positions: snapshot.positions };
  });
  t.add(r.leverage, async ({ body }) => {
    if (body.marketType !== 'futures') throw badRequest('leverage applies to futures markets only', { marketType: body.marketType });
    const connector = deps.connectors.require(body.connectorType, body.marketType);
    if (!connector.instrument(body.marketType, body.symbol)) throw badRequest(`unknown symbol ${body.symbol}`, { symbol: body.symbol });
    const leverage = await connector.setLeverage(body.marketType, body.symbol, body.leverage);
    return { symbol: body.symbol, leverage, connectorType: body.connectorType, marketType: body.marketType };
  });
}
