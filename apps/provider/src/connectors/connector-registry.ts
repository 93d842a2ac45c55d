import type { ConnectorType, MarketType } from '@barfinex/enums';
import { AppError } from '@barfinex/service-kit';
import type { ExchangeConnector } from './connector';

/** The connectors this provider runs, looked up by type and market. */
export interface ConnectorRegistry {
  all(): ExchangeConnector[];
  find(type: ConnectorType): ExchangeConnector | undefined;
  /** The connector for a type that also serves the market, or a 404 naming what is configured. */
  require(type: ConnectorType, market: MarketType): ExchangeConnector;
  pairs(): Array<{ connector: ExchangeConnector; market: MarketType }>;
}

export function createConnectorRegistry(connectors: readonly ExchangeConnector[]): ConnectorRegistry {
  const byType = new Map(connectors.map((c) => [c.type, c]));
  const configured = () => connectors.flatMap((c) => c.markets.map((m) => `${c.type}/${m}`)).join(', ') || 'none';
  return {
    all: () => [...connectors],
    find: (type) => byType.get(type),
    require(type, market) {
      const connector = byType.get(type);
      if (!connector || !connector.markets.includes(market)) {
        throw new AppError('NOT_FOUND', `connector ${type}/${market} is not configured (configured: ${configured()})`, {
          details: { connectorType: type, marketType: market },
        });
      }
      return connector;
    },
    pairs: () => connectors.flatMap((connector) => connector.markets.map((market) => ({ connector, market }))),
  };
}
