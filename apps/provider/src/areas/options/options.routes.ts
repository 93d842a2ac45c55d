import { providerRoutes as r } from '@barfinex/contracts';
import type { ConnectorRegistry } from '../../connectors/connector-registry';
import { marketStatus } from '../../connectors/connector-status';
import type { TypedRouter } from '../../http/typed-router';

export function registerOptionsRoutes(
  t: TypedRouter,
  deps: {
    connectors: ConnectorRegistry;
    key: string;
    version: string;
    port: number;
    detectors: () => Promise<unknown[]>;
  },
): void {
  t.add(r.options, async () => {
    const pairs = deps.connectors.pairs();
    return {
      key: deps.key,
      version: deps.version,
      isAvailable: true,
      connectors: pairs.map(({ connector, market }) => ({
        connectorType: connector.type,
        marketType: market,
        ...marketStatus(connector, market),
        symbols: connector.subscriptions(market).symbols,
        instruments: connector.instruments(market).length,
        subscriptions: [
          'PROVIDER_MARKETDATA_TRADE',
          'PROVIDER_MARKETDATA_ORDERBOOK',
          'PROVIDER_MARKETDATA_CANDLE',
          'PROVIDER_SYMBOL_PRICES',
        ],
      })),
      accounts: pairs.map(({ connector, market }) => ({ connectorType: connector.type, marketType: market })),
      // The detector configs, as GET /api/detectors lists them (a running detector app adds its own).
      detectors: await deps.detectors(),
      restApiUrl: '/api',
      socketPath: '/ws',
    };
  });
}
