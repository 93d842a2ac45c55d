import { timeFrameMs } from '@barfinex/enums';
import type { ProviderClient } from '@barfinex/sdk';
import type { MarketContextConfig } from './stages/market-context';
import type { MarketData, TradeIdea } from './types';

export interface MarketLoaderDeps {
  provider: Pick<ProviderClient, 'candles' | 'market'>;
  now: () => number;
}

function describe(part: string, err: unknown): string {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : 'ERROR';
  return `${part}: ${code} ${err instanceof Error ? err.message : String(err)}`;
}

/**
 * Fetches candles, the order book and the ticker in parallel. A part that fails is reported in
 * `errors` rather than thrown: the stages decide whether the rest is enough.
 */
export function createMarketLoader(deps: MarketLoaderDeps) {
  return async function loadMarket(idea: TradeIdea, config: MarketContextConfig): Promise<MarketData> {
    const venue = { connectorType: idea.connectorType, marketType: idea.marketType, symbol: idea.symbol };
    const from = deps.now() - (config.candles + 1) * timeFrameMs(config.interval);
    const [candles, book, ticker] = await Promise.allSettled([
      deps.provider.candles.list({ ...venue, interval: config.interval, from }),
      deps.provider.market.orderBook({ ...venue, depth: config.orderBookDepth }),
      deps.provider.market.ticker(venue),
    ]);
    const data: MarketData = { interval: config.interval, candles: [], fetchedAt: deps.now(), errors: [] };
    if (candles.status === 'fulfilled') data.candles = candles.value.slice(-config.candles);
    else data.errors.push(describe('candles', candles.reason));
    if (book.status === 'fulfilled') data.orderBook = book.value;
    else data.errors.push(describe('order book', book.reason));
    if (ticker.status === 'fulfilled') data.lastPrice = ticker.value.c;
    else data.errors.push(describe('ticker', ticker.reason));
    return data;
  };
}
