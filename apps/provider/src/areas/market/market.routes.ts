import { providerRoutes as r } from '@barfinex/contracts';
import { notFound, validationError } from '@barfinex/service-kit';
import type { ConnectorRegistry } from '../../connectors/connector-registry';
import { marketStatus } from '../../connectors/connector-status';
import type { TypedRouter } from '../../http/typed-router';
import type { MarketDataHub } from '../market-data/market-data.hub';

export interface MarketRoutesDeps {
  connectors: ConnectorRegistry;
  marketData: MarketDataHub;
  now: () => number;
}

/** Instruments, books and tickers; connectors and their stream subscriptions. */
export function registerMarketRoutes(t: TypedRouter, deps: MarketRoutesDeps): void {
  const info = (
    type: Parameters<ConnectorRegistry['require']>[0],
    market: Parameters<ConnectorRegistry['require']>[1],
  ) => {
    const c = deps.connectors.require(type, market);
    const symbols = c.subscriptions(market).symbols;
    return {
      connectorType: c.type,
      marketType: market,
      ...marketStatus(c, market),
      symbols,
      instruments: c.instruments(market).length,
      subscriptions: [
        'PROVIDER_MARKETDATA_TRADE',
        'PROVIDER_MARKETDATA_ORDERBOOK',
        'PROVIDER_MARKETDATA_CANDLE',
        'PROVIDER_SYMBOL_PRICES',
      ],
    };
  };

  t.add(r.symbols, ({ params }) =>
    deps.connectors.require(params.connectorType, params.marketType).instruments(params.marketType),
  );
  t.add(r.orderBook, ({ params, query }) => {
    const book = deps.connectors
      .require(params.connectorType, params.marketType)
      .orderBook(params.marketType, params.symbol, query.depth);
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
    // Everything named here comes from the body, so a name that matches nothing is a bad request
    // (400, naming the field), not a missing resource (404 is for the URL).
    if (
      !deps.connectors
        .pairs()
        .some(({ connector, market }) => connector.type === body.connectorType && market === body.marketType)
    ) {
      throw validationError(`connector ${body.connectorType}/${body.marketType} is not configured`, {
        issues: [
          {
            path: 'connectorType',
            message: `connector ${body.connectorType}/${body.marketType} is not configured`,
            code: 'UNKNOWN_CONNECTOR',
          },
        ],
      });
    }
    const c = deps.connectors.require(body.connectorType, body.marketType);
    const bad = body.symbols
      .map((symbol, index) => ({ symbol, index }))
      .filter(({ symbol }) => !c.instrument(body.marketType, symbol));
    if (bad.length > 0) {
      const unknown = [...new Set(bad.map((b) => b.symbol))];
      throw validationError(`unknown symbol(s) ${unknown.join(', ')} on ${body.connectorType}/${body.marketType}`, {
        issues: bad.map(({ symbol, index }) => ({
          path: `symbols.${index}`,
          message: `unknown symbol ${symbol}`,
          code: 'UNKNOWN_SYMBOL',
        })),
        unknown,
      });
    }
    await c.setSubscriptions(body.marketType, [...new Set(body.symbols)]);
    return info(body.connectorType, body.marketType);
  });
  t.add(r.subscriptions, () =>
    deps.connectors.pairs().flatMap(({ connector, market }) =>
      [
        'PROVIDER_MARKETDATA_TRADE',
        'PROVIDER_MARKETDATA_ORDERBOOK',
        'PROVIDER_MARKETDATA_CANDLE',
        'PROVIDER_SYMBOL_PRICES',
      ].map((type) => ({
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
