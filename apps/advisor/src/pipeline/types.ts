import type { Bar } from '@barfinex/detector-kit';
import type { Candle, OrderBook } from '@barfinex/contracts';
import type { ConnectorType, MarketType, TimeFrame, TradeSide } from '@barfinex/enums';

/**
 * What the pipeline judges: a detector signal, or an explicit request (direction then comes from
 * the advisor's own scoring). Prices are decimal strings.
 */
export interface TradeIdea {
  origin: 'signal' | 'request';
  symbol: string;
  connectorType: ConnectorType;
  marketType: MarketType;
  direction?: TradeSide;
  signalId?: string;
  requestId?: string;
  detectorKey?: string;
  /** The detector's own confidence; the advisor scores independently and only blends it in. */
  detectorConfidence?: number;
  entry?: string;
  stop?: string;
  targets: string[];
  /** When the detector stops vouching for the idea (Unix ms); no decision or intent outlives it. */
  expiresAt?: number;
}

/** Raw market data fetched for one decision; any part may be missing when the provider failed. */
export interface MarketData {
  interval: TimeFrame;
  candles: Candle[];
  orderBook?: OrderBook;
  /** Last traded price from the ticker, when it answered. */
  lastPrice?: string;
  fetchedAt: number;
  errors: string[];
}

/** One stage's verdict; `data` feeds later stages and the context snapshot. */
export interface StageOutcome<T = undefined> {
  passed: boolean;
  reason: string;
  score?: number;
  data: T;
}

/** Candle prices as plain numbers (detector-kit's Bar): indicator maths is statistics, not money. */
export type NumericBar = Bar;
