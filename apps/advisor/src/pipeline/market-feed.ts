import type { Bus, Subscription } from '@barfinex/bus';
import type { Candle, OrderBook } from '@barfinex/contracts';
import { timeFrameMs } from '@barfinex/enums';
import type { ConnectorType, MarketType } from '@barfinex/enums';
import type { EventEnvelope } from '@barfinex/events';
import type { ProviderClient } from '@barfinex/sdk';
import type { MarketContextConfig } from './stages/market-context';
import type { MarketData, TradeIdea } from './types';

export interface MarketFeedDeps {
  bus: Pick<Bus, 'subscribe' | 'watchConnection'>;
  provider: Pick<ProviderClient, 'candles' | 'market'>;
  now: () => number;
}

type Venue = { connectorType: ConnectorType; marketType: MarketType; symbol: string };

interface Series {
  /** Bars by open time, oldest first; the newest may still be forming. */
  bars: Candle[];
  /** Bars the warm-up asked for: a later decision that wants more warms up again. */
  depth: number;
  /** Set once the stored history has been merged in; cleared by a gap. */
  warm?: Promise<void>;
}

const venueKey = (v: {
  connectorType?: string | undefined;
  marketType?: string | undefined;
  symbol?: string | undefined;
}) => `${v.connectorType}|${v.marketType}|${v.symbol}`;

function describe(part: string, err: unknown): string {
  const code =
    typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : 'ERROR';
  return `${part}: ${code} ${err instanceof Error ? err.message : String(err)}`;
}

/** Of two copies of one bar, the later: a closed bar beats a forming one, then the larger volume (it only grows while a bar forms). */
function newer(a: Candle, b: Candle): Candle {
  if (a.closed !== b.closed) return a.closed ? a : b;
  return Number(b.volume) > Number(a.volume) ? b : a;
}

/** Puts a bar into a series sorted by time (usually at the end), keeping the later copy of a bar seen twice. */
function upsert(bars: Candle[], bar: Candle): void {
  let i = bars.length - 1;
  while (i >= 0 && (bars[i] as Candle).time > bar.time) i -= 1;
  const at = bars[i];
  if (at?.time === bar.time) bars[i] = newer(at, bar);
  else bars.splice(i + 1, 0, bar);
}

/** A series keeps the bars a decision reads and the one before them. */
function trim(s: Series): void {
  if (s.bars.length > s.depth + 1) s.bars.splice(0, s.bars.length - s.depth - 1);
}

/**
 * What the advisor knows of the market, fed by the bus: candles of the series it decides on, the
 * latest order book and ticker of every symbol. REST only warms a series up (the stored history
 * the bus never carried), fills a part the bus has not delivered yet, and re-warms after a gap (a
 * lost bus connection, or bars that should have arrived and did not).
 */
export function createMarketFeed(deps: MarketFeedDeps) {
  const series = new Map<string, Series>();
  const books = new Map<string, OrderBook>();
  const prices = new Map<string, string>();
  let subscription: Subscription | undefined;
  let unwatch: (() => void) | undefined;

  /** Whatever was learnt before a lost connection may be missing events: start again from REST. */
  function forget(): void {
    books.clear();
    prices.clear();
    for (const s of series.values()) delete s.warm;
  }

  function onEvent(
    env: EventEnvelope<'PROVIDER_MARKETDATA_CANDLE' | 'PROVIDER_MARKETDATA_ORDERBOOK' | 'PROVIDER_SYMBOL_PRICES'>,
  ): void {
    const venue = { connectorType: env.connectorType, marketType: env.marketType, symbol: env.symbol };
    if (env.type === 'PROVIDER_MARKETDATA_ORDERBOOK') books.set(venueKey(venue), env.payload as OrderBook);
    else if (env.type === 'PROVIDER_SYMBOL_PRICES') prices.set(venueKey(venue), (env.payload as { c: string }).c);
    else {
      const bar = env.payload as Candle;
      const s = series.get(
        `${venueKey({ connectorType: bar.connectorType ?? venue.connectorType, marketType: bar.marketType ?? venue.marketType, symbol: bar.symbol })}|${bar.interval}`,
      );
      if (!s) return;
      upsert(s.bars, bar);
      trim(s);
    }
  }

  async function warmUp(s: Series, venue: Venue, interval: MarketContextConfig['interval']): Promise<void> {
    const from = deps.now() - (s.depth + 1) * timeFrameMs(interval);
    const stored = await deps.provider.candles.list({ ...venue, interval, from });
    // Bars the bus delivered meanwhile are merged, not overwritten: of two copies the later one stays.
    for (const bar of stored) upsert(s.bars, bar);
    trim(s);
  }

  async function candles(venue: Venue, config: MarketContextConfig): Promise<Candle[]> {
    const key = `${venueKey(venue)}|${config.interval}`;
    let s = series.get(key);
    if (!s) series.set(key, (s = { bars: [], depth: config.candles }));
    const last = s.bars.at(-1);
    // A bar that should have come and did not means a gap: the bus cannot be trusted for this series.
    const gap = last !== undefined && deps.now() - last.time > 2 * timeFrameMs(config.interval);
    if (gap || s.depth < config.candles) {
      delete s.warm;
      s.depth = Math.max(s.depth, config.candles);
    }
    const current = s;
    if (!current.warm) {
      current.warm = warmUp(current, venue, config.interval);
      current.warm.catch(() => delete current.warm);
    }
    await current.warm;
    return current.bars.slice(-config.candles);
  }

  return {
    async start(): Promise<void> {
      unwatch = deps.bus.watchConnection(({ connected }) => {
        if (!connected) forget();
      });
      subscription = await deps.bus.subscribe(
        ['PROVIDER_MARKETDATA_CANDLE', 'PROVIDER_MARKETDATA_ORDERBOOK', 'PROVIDER_SYMBOL_PRICES'],
        onEvent,
      );
    },
    async stop(): Promise<void> {
      unwatch?.();
      await subscription?.unsubscribe();
      subscription = undefined;
    },
    /**
     * Candles, order book and last price for one decision. A part that cannot be had is reported
     * in `errors` rather than thrown: the stages decide whether the rest is enough.
     */
    async load(idea: TradeIdea, config: MarketContextConfig): Promise<MarketData> {
      const venue: Venue = { connectorType: idea.connectorType, marketType: idea.marketType, symbol: idea.symbol };
      const key = venueKey(venue);
      const book = books.get(key);
      const price = prices.get(key);
      const [bars, fetchedBook, ticker] = await Promise.allSettled([
        candles(venue, config),
        book ?? deps.provider.market.orderBook({ ...venue, depth: config.orderBookDepth }),
        price ?? deps.provider.market.ticker(venue).then((t) => t.c),
      ]);
      const data: MarketData = { interval: config.interval, candles: [], fetchedAt: deps.now(), errors: [] };
      if (bars.status === 'fulfilled') data.candles = bars.value;
      else data.errors.push(describe('candles', bars.reason));
      if (fetchedBook.status === 'fulfilled') {
        const b = fetchedBook.value;
        data.orderBook = {
          ...b,
          bids: b.bids.slice(0, config.orderBookDepth),
          asks: b.asks.slice(0, config.orderBookDepth),
        };
      } else data.errors.push(describe('order book', fetchedBook.reason));
      if (ticker.status === 'fulfilled') data.lastPrice = ticker.value;
      else data.errors.push(describe('ticker', ticker.reason));
      return data;
    },
  };
}

export type MarketFeed = ReturnType<typeof createMarketFeed>;
