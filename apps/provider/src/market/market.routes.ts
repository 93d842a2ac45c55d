import { providerRoutes as r } from '@barfinex/contracts';
import { notFound } from '@barfinex/service-kit';
import type { ConnectorRegistry } from '../connectors/connector-registry';
import type { TypedRouter } from '../http/typed-router';
import type { MarketDataHub } from '../market-data/market-data.hub';

export interface MarketRoutesDeps {
  connectors: ConnectorRegistry;
  marketData: MarketDataHub;
  now: () => number;
}

/** Instruments, books and tickers; connectors and their stream subscriptions. */
export function registerMarketRoutes(t: TypedRouter, deps: MarketRoutesDeps): void {
  const info = (type: Parameters<ConnectorRegistry['require']>[0], market: Parameters<ConnectorRegistry['require']>[1]) => {
    const c = deps.connectors.require(type, market);
    const symbols = c.subscriptions(market).symbols;
    return {
      connectorType: c.type,
      marketType: market,
      status: c.status(),
      isActive: c.status() === 'ACTIVE',
      symbols,
      instruments: c.instruments(market).length,
      subscriptions: ['PROVIDER_MARKETDATA_TRADE', 'PROVIDER_MARKETDATA_ORDERBOOK', 'PROVIDER_MARKETDATA_CANDLE', 'PROVIDER_SYMBOL_PRICES'],
    };
  };

  t.add(r.symbols, ({ params }) => deps.connectors.require(params.connectorType, params.marketType).instruments(params.marketType));
  t.add(r.orderBook, ({ params, query }) => {
    const book = deps.connectors.require(params.connectorType, params.marketType).orderBook(params.marketType, params.symbol, query.depth);
    if (!book) throw notFound(`order book of ${params.symbol}`);
    return book;
  });
  t.add(r.ticker, ({ params }) => {
    deps.connectors.require(params.connectorType, params.marketType);
    const ticker = deps.marketData.ticker(params.connectorType, params.marketType, params.symbol);
    if (!ticker) throw notFound(`ticker of ${params.symbol}`);
    return ticker;
  });
  t.add(r.connectors, () => deps.connectors.pairs().map(({ connector, market }) => info(connector.type, market)));
  t.add(r.connector, ({ params }) => info(params.connectorType, params.marketType));
  t.add(r.updateSubscriptions, async ({ body }) => {
    const c = deps.connectors.require(body.connectorType, body.marketType);
    const unknown = body.symbols.filter((s) => !c.instrument(body.marketType, s));
    if (unknown.length > 0) throw notFound(`symbol(s) ${unknown.join(', ')} on ${body.connectorType}/${body.marketType}`, { unknown });
    await c.setSubscriptions(body.marketType, [...new Set(body.symbols)]);
    return info(body.connectorType, body.marketType);
  });
  t.add(r.subscriptions, () =>
    deps.connectors.pairs().flatMap(({ connector, market }) =>
      ['PROVIDER_MARKETDATA_TRADE', 'PROVIDER_MARKETDATA_ORDERBOOK', 'PROVIDER_MARKETDATA_CANDLE', 'PROVIDER_SYMBOL_PRICES'].map((type) => ({
        type,
        connectorType: connector.type,
        marketType: market,
        symbols: connector.subscriptions(market).symbols,
        intervals: type === 'PROVIDER_MARKETDATA_CANDLE' ? deps.marketData.intervals() : [],
        active: connector.status() === 'ACTIVE',
        updateMoment: deps.now(),
      })),
    ),
  );
}
