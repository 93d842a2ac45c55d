import type { Candle, OrderBook } from '@barfinex/contracts';
import type { ProviderClient } from '@barfinex/sdk';
import type { MarketData, TradeIdea } from '../pipeline/types';

export const MINUTE = 60_000;
/** A fixed clock origin for specs, on a minute boundary. */
export const T0 = 1_717_200_000_000;

export interface SeriesOptions {
  symbol?: string;
  count?: number;
  /** Open time of the first bar. */
  start?: number;
  intervalMs?: number;
  base?: number;
  /** Added to the close every bar. */
  drift?: number;
  /** Alternating up/down wobble around the drift, so indicators see a real path. */
  wiggle?: number;
}

/** A deterministic candle series: a straight drift with a zigzag on top. */
export function candleSeries(options: SeriesOptions = {}): Candle[] {
  const {
    symbol = 'BTCUSDT',
    count = 120,
    start = T0,
    intervalMs = MINUTE,
    base = 100,
    drift = 0.1,
    wiggle = 0.05,
  } = options;
  const candles: Candle[] = [];
  let prev = base;
  for (let i = 0; i < count; i += 1) {
    const close = base + drift * (i + 1) + (i % 2 === 0 ? wiggle : -wiggle);
    const high = Math.max(prev, close) + 0.02;
    const low = Math.min(prev, close) - 0.02;
    candles.push({
      symbol,
      interval: 'min1',
      time: start + i * intervalMs,
      open: prev.toFixed(4),
      high: high.toFixed(4),
      low: low.toFixed(4),
      close: close.toFixed(4),
      volume: '10',
    });
    prev = close;
  }
  return candles;
}

export function orderBook(bid: string, ask: string, symbol = 'BTCUSDT'): OrderBook {
  return { symbol, time: T0, bids: [{ price: bid, volume: '1' }], asks: [{ price: ask, volume: '1' }] };
}

export function marketData(overrides: Partial<MarketData> = {}): MarketData {
  return {
    interval: 'min1',
    candles: candleSeries(),
    orderBook: orderBook('111.99', '112.01'),
    fetchedAt: T0,
    errors: [],
    ...overrides,
  };
}

export function longIdea(overrides: Partial<TradeIdea> = {}): TradeIdea {
  return {
    origin: 'signal',
    symbol: 'BTCUSDT',
    connectorType: 'sim',
    marketType: 'futures',
    direction: 'LONG',
    signalId: 'sig-1',
    detectorKey: 'trend-1',
    detectorConfidence: 0.7,
    entry: '112',
    stop: '111',
    targets: ['114'],
    ...overrides,
  };
}

/** Serves the fixture market around 65,000 so the catalog's example signal (entry 65000) fits. */
export function fakeProvider() {
  const registered: unknown[] = [];
  const calls = { candles: 0 };
  const provider = {
    candles: { list: async () => (calls.candles++, candleSeries({ base: 64_988, drift: 0.1 })) },
    market: { orderBook: async () => orderBook('64999.5', '65000.5'), ticker: async () => ({ c: '65000' }) },
    registry: {
      register: async (app: unknown) => registered.push(app),
      heartbeat: async () => undefined,
      unregister: async () => undefined,
    },
  };
  return { provider: provider as unknown as ProviderClient, registered, calls };
}
