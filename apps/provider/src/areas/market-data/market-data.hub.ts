import type { OrderBook, SymbolPrice, Trade } from '@barfinex/contracts';
import { TIME_FRAME_VALUES } from '@barfinex/enums';
import type { ConnectorType, MarketType, TimeFrame } from '@barfinex/enums';
import type { Logger } from 'pino';
import type { CandlesRepository, CandleRow } from '../candles/candles.repository';
import type { EventPublisher } from '../../bus/publisher';
import { createCandleAggregator } from './candle-aggregator';
import type { LiveCandle } from './candle-aggregator';

export interface MarketDataHubDeps {
  events: EventPublisher;
  candles: CandlesRepository;
  logger: Logger;
  intervals?: readonly TimeFrame[];
  /** Bars waiting for the database are capped; the newest write of a bar supersedes older ones. */
  maxPendingBars?: number;
}

function toRow(c: LiveCandle): CandleRow {
  return {
    connectorType: c.connectorType,
    marketType: c.marketType,
    symbol: c.symbol,
    interval: c.interval,
    openTime: c.openTime,
    closeTime: c.closeTime,
    open: c.open.toFixed(),
    high: c.high.toFixed(),
    low: c.low.toFixed(),
    close: c.close.toFixed(),
    volume: c.volume.toFixed(),
    trades: c.trades,
    closed: c.closed,
  };
}

/** Turns connector market data into bus events and stored candles. */
export function createMarketDataHub(deps: MarketDataHubDeps) {
  const intervals = deps.intervals ?? TIME_FRAME_VALUES;
  const tickers = new Map<string, SymbolPrice>();
  const pending = new Map<string, CandleRow>();
  const maxPending = deps.maxPendingBars ?? 200_000;
  let writing: Promise<void> | undefined;
  let writeFailures = 0;

  // Bars close on market time (the newest trade seen per connector), never on the wall clock:
  // a paused or replayed market must not grow empty bars. Each connector closes its own bars by
  // its own clock, so a quiet venue (a stock feed overnight) does not hold back another one's.
  const marketTime = new Map<ConnectorType, number>();
  const aggregator = createCandleAggregator({
    intervals,
    onCandles: (bars) => {
      for (const bar of bars) {
        const row = toRow(bar);
        const key = `${row.connectorType}|${row.marketType}|${row.symbol}|${row.interval}|${row.openTime}`;
        pending.delete(key);
        if (pending.size < maxPending) pending.set(key, row);
        deps.events.emit(
          'PROVIDER_MARKETDATA_CANDLE',
          {
            symbol: row.symbol,
            interval: row.interval,
            time: row.openTime,
            closeTime: row.closeTime,
            open: row.open,
            high: row.high,
            low: row.low,
            close: row.close,
            volume: row.volume,
            trades: row.trades,
            closed: row.closed,
            connectorType: row.connectorType,
            marketType: row.marketType,
          },
          { symbol: row.symbol, connectorType: row.connectorType, marketType: row.marketType },
        );
      }
    },
  });

  async function writePending(): Promise<void> {
    if (pending.size === 0) return;
    const batch = [...pending.values()];
    pending.clear();
    try {
      await deps.candles.upsert(batch);
      writeFailures = 0;
    } catch (err) {
      // Keep the bars for the next flush unless newer versions arrived meanwhile.
      for (const row of batch) {
        const key = `${row.connectorType}|${row.marketType}|${row.symbol}|${row.interval}|${row.openTime}`;
        if (!pending.has(key) && pending.size < maxPending) pending.set(key, row);
      }
      writeFailures += 1;
      deps.logger.warn({ err, bars: batch.length, writeFailures }, 'candle write failed; will retry');
    }
  }

  return {
    intervals: () => [...intervals],
    onTrade(connectorType: ConnectorType, marketType: MarketType, trade: Trade) {
      aggregator.addTrade({
        connectorType,
        marketType,
        symbol: trade.symbol,
        time: trade.time,
        price: trade.price,
        volume: trade.volume,
      });
      if (trade.time > (marketTime.get(connectorType) ?? 0)) marketTime.set(connectorType, trade.time);
      deps.events.emit('PROVIDER_MARKETDATA_TRADE', trade, { symbol: trade.symbol, connectorType, marketType });
    },
    onOrderBook(connectorType: ConnectorType, marketType: MarketType, book: OrderBook) {
      deps.events.emit('PROVIDER_MARKETDATA_ORDERBOOK', book, { symbol: book.symbol, connectorType, marketType });
    },
    onTicker(connectorType: ConnectorType, marketType: MarketType, ticker: SymbolPrice) {
      tickers.set(`${connectorType}|${marketType}|${ticker.s}`, ticker);
      deps.events.emit('PROVIDER_SYMBOL_PRICES', ticker, { symbol: ticker.s, connectorType, marketType });
    },
    ticker(connectorType: ConnectorType, marketType: MarketType, symbol: string): SymbolPrice | undefined {
      return tickers.get(`${connectorType}|${marketType}|${symbol}`);
    },
    /** Closes due bars (by market time), emits candle events and writes touched bars; one write at a time. */
    async flush(): Promise<void> {
      for (const [connectorType, time] of marketTime) aggregator.flush(time, connectorType);
      if (writing) return writing;
      writing = writePending().finally(() => {
        writing = undefined;
      });
      return writing;
    },
    pendingBars: () => pending.size,
  };
}

export type MarketDataHub = ReturnType<typeof createMarketDataHub>;
