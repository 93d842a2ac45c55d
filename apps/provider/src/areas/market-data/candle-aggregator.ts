import { Money } from '@barfinex/contracts';
import type { SeriesCandle } from '@barfinex/contracts';
import { TIME_FRAME_VALUES, nextTimeFrameStart, timeFrameStart } from '@barfinex/enums';
import type { ConnectorType, MarketType, TimeFrame } from '@barfinex/enums';

/** One bar as the aggregator keeps it: the contracts' series bar with its money fields as Money until they leave. */
export type LiveCandle = SeriesCandle<Money>;

export interface AggregatedTrade {
  connectorType: ConnectorType;
  marketType: MarketType;
  symbol: string;
  time: number;
  price: string | Money;
  volume: string | Money;
}

export interface CandleAggregatorOptions {
  intervals?: readonly TimeFrame[];
  /** Called for every bar that was touched since the last flush, and for every bar that closed. */
  onCandles: (candles: LiveCandle[]) => void;
  /**
   * A silence longer than this many bars is not back-filled with flat bars (the series just
   * resumes), so a long pause or a clock jump cannot flood memory and storage.
   */
  maxFlatBars?: number;
}

export interface CandleAggregator {
  addTrade(trade: AggregatedTrade): void;
  /**
   * Closes every bar whose period ended at or before `now` (a quiet market still gets flat bars so
   * series have no holes) and hands the touched bars to `onCandles`. With `connectorType`, only
   * that connector's series are closed (each venue keeps its own market clock).
   */
  flush(now: number, connectorType?: ConnectorType): void;
  current(
    connectorType: ConnectorType,
    marketType: MarketType,
    symbol: string,
    interval: TimeFrame,
  ): LiveCandle | undefined;
  /** Trades older than the open bar of their series; kept for metrics. */
  lateTrades(): number;
}

function seriesKey(c: ConnectorType, m: MarketType, s: string, i: TimeFrame): string {
  return `${c}|${m}|${s}|${i}`;
}

function openBar(
  base: Omit<LiveCandle, 'openTime' | 'closeTime' | 'open' | 'high' | 'low' | 'close' | 'volume' | 'trades' | 'closed'>,
  time: number,
  price: Money,
): LiveCandle {
  const openTime = timeFrameStart(base.interval, time);
  return {
    ...base,
    openTime,
    closeTime: nextTimeFrameStart(base.interval, openTime) - 1,
    open: price,
    high: price,
    low: price,
    close: price,
    volume: new Money(0),
    trades: 0,
    closed: false,
  };
}

export function createCandleAggregator(options: CandleAggregatorOptions): CandleAggregator {
  const intervals = options.intervals ?? TIME_FRAME_VALUES;
  const bars = new Map<string, LiveCandle>();
  const dirty = new Set<LiveCandle>();
  const closed: LiveCandle[] = [];
  let late = 0;

  const maxFlat = options.maxFlatBars ?? 1440;

  function rollTo(bar: LiveCandle, time: number): LiveCandle {
    // Close the open bar and any empty periods between it and `time` as flat bars.
    let current = bar;
    let flat = 0;
    while (current.closeTime < time) {
      if (flat++ >= maxFlat) {
        current.closed = true;
        dirty.delete(current);
        closed.push(current);
        return openBar(current, time, current.close);
      }
      current.closed = true;
      dirty.delete(current);
      closed.push(current);
      const next = openBar(current, current.closeTime + 1, current.close);
      current = next;
    }
    return current;
  }

  return {
    addTrade(trade) {
      const price = new Money(trade.price);
      const volume = new Money(trade.volume);
      for (const interval of intervals) {
        const key = seriesKey(trade.connectorType, trade.marketType, trade.symbol, interval);
        let bar = bars.get(key);
        if (!bar) {
          bar = openBar(
            { connectorType: trade.connectorType, marketType: trade.marketType, symbol: trade.symbol, interval },
            trade.time,
            price,
          );
        } else if (trade.time < bar.openTime) {
          if (interval === intervals[0]) late += 1;
          continue;
        } else if (trade.time > bar.closeTime) {
          bar = rollTo(bar, trade.time);
          if (bar.trades === 0) {
            bar.open = price;
            bar.high = price;
            bar.low = price;
          }
        }
        if (price.gt(bar.high)) bar.high = price;
        if (price.lt(bar.low)) bar.low = price;
        bar.close = price;
        bar.volume = bar.volume.plus(volume);
        bar.trades += 1;
        bars.set(key, bar);
        dirty.add(bar);
      }
    },
    flush(now, connectorType) {
      for (const [key, bar] of bars) {
        if (bar.closeTime < now && (connectorType === undefined || bar.connectorType === connectorType)) {
          const next = rollTo(bar, now);
          bars.set(key, next);
          dirty.add(next);
        }
      }
      if (closed.length === 0 && dirty.size === 0) return;
      const out = [...closed, ...dirty];
      closed.length = 0;
      dirty.clear();
      options.onCandles(out);
    },
    current(connectorType, marketType, symbol, interval) {
      return bars.get(seriesKey(connectorType, marketType, symbol, interval));
    },
    lateTrades() {
      return late;
    },
  };
}
