import type { Bus, Subscription } from '@barfinex/bus';
import type { Candle, SymbolPrice } from '@barfinex/contracts';
import type { ConnectorType, MarketType } from '@barfinex/enums';
import type { ProviderClient } from '@barfinex/sdk';

type Market = { connectorType: ConnectorType; marketType: MarketType; symbol: string };

const keyOf = (m: {
  connectorType?: string | undefined;
  marketType?: string | undefined;
  symbol?: string | undefined;
}) => `${m.connectorType}|${m.marketType}|${m.symbol}`;

/**
 * The last price of every symbol, as the bus tells it (tickers, and minute bars for venues that
 * publish no ticker), so sizing an entry asks the provider nothing. A symbol the bus has not priced
 * yet is read once over REST; a lost bus connection forgets every price (some may be stale).
 */
export function createPriceFeed(deps: {
  bus: Pick<Bus, 'subscribe' | 'watchConnection'>;
  provider: Pick<ProviderClient, 'market'>;
}) {
  const prices = new Map<string, string>();
  let subscription: Subscription | undefined;
  let unwatch: (() => void) | undefined;

  return {
    async start(): Promise<void> {
      unwatch = deps.bus.watchConnection(({ connected }) => {
        if (!connected) prices.clear();
      });
      subscription = await deps.bus.subscribe(['PROVIDER_SYMBOL_PRICES', 'PROVIDER_MARKETDATA_CANDLE'], (env) => {
        const m = { connectorType: env.connectorType, marketType: env.marketType, symbol: env.symbol };
        if (env.type === 'PROVIDER_SYMBOL_PRICES') prices.set(keyOf(m), (env.payload as SymbolPrice).c);
        else if ((env.payload as Candle).interval === 'min1') prices.set(keyOf(m), (env.payload as Candle).close);
      });
    },
    async stop(): Promise<void> {
      unwatch?.();
      await subscription?.unsubscribe();
      subscription = undefined;
    },
    /** Last traded price, or undefined when neither the bus nor the provider has one. */
    async price(m: Market): Promise<string | undefined> {
      return prices.get(keyOf(m)) ?? (await deps.provider.market.ticker(m)).c;
    },
  };
}

export type PriceFeed = ReturnType<typeof createPriceFeed>;
