import type { BacktestSource, Candle } from '@barfinex/contracts';
import { generateGbmCandles } from '@barfinex/detector-kit';
import type { Bar } from '@barfinex/detector-kit';
import { timeFrameMs } from '@barfinex/enums';
import type { ConnectorType, MarketType, TimeFrame } from '@barfinex/enums';
import type { CandlesRepository } from '../candles/candles.repository';

/** Bars per page read from the store: big enough to amortise the query, small enough to yield often. */
export const STORED_PAGE = 5_000;

export interface SeriesRef {
  symbol: string;
  interval: TimeFrame;
}

/** What the live path publishes for a closed bar: decimal strings, the series, closed. */
export function barToCandle(
  bar: Bar,
  series: SeriesRef & { connectorType?: ConnectorType; marketType?: MarketType },
  intervalMs: number,
): Candle {
  return {
    symbol: series.symbol,
    interval: series.interval,
    time: bar.time,
    closeTime: bar.time + intervalMs - 1,
    open: String(bar.open),
    high: String(bar.high),
    low: String(bar.low),
    close: String(bar.close),
    volume: String(bar.volume),
    closed: true,
    ...(series.connectorType ? { connectorType: series.connectorType } : {}),
    ...(series.marketType ? { marketType: series.marketType } : {}),
  };
}

type SyntheticSource = Extract<BacktestSource, { type: 'synthetic' }>;

/** Open time of a synthetic series' first bar when the source names none (the generator's default). */
export const DEFAULT_SYNTHETIC_START = Date.UTC(2024, 0, 1);

/** Bars [first, end) of a synthetic series that open inside its `from`/`to` window (the whole series without one). */
export function syntheticWindow(source: SyntheticSource, intervalMs: number): { first: number; end: number } {
  const start = source.start ?? DEFAULT_SYNTHETIC_START;
  const first = source.from === undefined ? 0 : Math.max(0, Math.ceil((source.from - start) / intervalMs));
  const end =
    source.to === undefined ? source.bars : Math.min(source.bars, Math.floor((source.to - start) / intervalMs) + 1);
  return { first: Math.min(first, end), end: Math.max(0, end) };
}

/**
 * The seeded bars of a synthetic source, as numbers: only its window, but generated from the
 * series' first bar, so a window holds exactly the bars the whole series has there.
 */
export function syntheticBars(source: SyntheticSource, interval: TimeFrame): Bar[] {
  const intervalMs = timeFrameMs(interval);
  if (interval === 'month' || intervalMs === undefined) return [];
  const { first, end } = syntheticWindow(source, intervalMs);
  const bars = generateGbmCandles({
    seed: source.seed,
    count: end,
    timeframe: interval,
    startPrice: source.startPrice,
    drift: source.drift,
    volatility: source.volatility,
    start: source.start ?? DEFAULT_SYNTHETIC_START,
    // Enough digits that cheap instruments still move, like a venue's tick.
    decimals: source.startPrice >= 100 ? 2 : 6,
  });
  return first > 0 ? bars.slice(first) : bars;
}

export function syntheticCandles(source: SyntheticSource, series: SeriesRef): Candle[] {
  const intervalMs = timeFrameMs(series.interval) ?? 0;
  return syntheticBars(source, series.interval).map((bar) => barToCandle(bar, series, intervalMs));
}

/** Bars a range can hold at most (both ends inclusive). */
export function barsInRange(from: number, to: number, interval: TimeFrame): number {
  return Math.floor((to - from) / (timeFrameMs(interval) ?? 86_400_000)) + 1;
}

/** Stored closed candles of one series, oldest first, page by page. */
export async function* storedCandles(
  candles: Pick<CandlesRepository, 'range'>,
  source: Extract<BacktestSource, { type: 'stored' }>,
  series: SeriesRef,
): AsyncGenerator<Candle[]> {
  const key = {
    connectorType: source.connectorType,
    marketType: source.marketType,
    symbol: series.symbol,
    interval: series.interval,
  };
  let from = source.from;
  for (;;) {
    const page = await candles.range(key, from, source.to, STORED_PAGE);
    const closed = page.filter((c) => c.closed !== false);
    if (closed.length > 0) yield closed;
    const lastTime = page[page.length - 1]?.time;
    if (page.length < STORED_PAGE || lastTime === undefined) return;
    from = lastTime + 1;
  }
}
