import type { ConnectorType, MarketType, TimeFrame } from '@barfinex/enums';
import type { CandleLike, TradeLike } from './bar';
import type { ActiveSignal, Detector, PositionState } from './detector';
import type { DetectorEmission } from './emission';

export interface RunnerOptions {
  /** Raw params; validated against the detector's schema (throws DetectorParamsError). */
  params?: unknown;
  /** Identifies this detector instance on the bus; default the detector's name. */
  detectorKey?: string;
  connectorType?: ConnectorType;
  marketType?: MarketType;
  /** Decimal places kept in prices on the wire; default 8. */
  priceDecimals?: number;
  emit(emission: DetectorEmission): void;
  /** A throwing detector is isolated: reported here, nothing emitted for that bar. */
  onError?(error: unknown, where: { symbol: string; timeframe: TimeFrame }): void;
  /** Event timestamps; default the closing bar's close time, which keeps replays identical. */
  clock?: () => number;
  /**
   * On a missing bar: `reset` (default) drops the stream's state and warms up again; `continue`
   * feeds the bar as if nothing were missing; `defer` leaves the stream untouched and answers
   * `gap`, so the host can fetch the missing bars, feed them, and feed this one again (with
   * `bridge` if some could not be found).
   */
  onGap?: 'reset' | 'continue' | 'defer';
}

export interface CandleFeed extends CandleLike {
  symbol?: string;
  interval?: TimeFrame;
  closed?: boolean;
  closeTime?: number;
}

export interface FeedSource {
  symbol?: string;
  timeframe?: TimeFrame;
  /** Id of the event that carried the input; becomes the causationId. */
  eventId?: string;
  /** Feed this bar after a hole without the gap policy: the host did what it could to fill it. */
  bridge?: boolean;
}

export type CandleOutcome = 'evaluated' | 'warming' | 'ignored' | 'stale' | 'error' | 'gap';

export interface StreamSnapshot {
  symbol: string;
  timeframe: TimeFrame;
  bars: number;
  ready: boolean;
  lastTime: number | undefined;
  values: Record<string, unknown>;
  signal: ActiveSignal | undefined;
}

export interface DetectorRunner {
  readonly detector: Detector;
  readonly params: Record<string, unknown>;
  onCandle(candle: CandleFeed, source?: FeedSource): CandleOutcome;
  onTrade(trade: TradeLike & { symbol?: string }, source?: FeedSource): void;
  onOrderBook(book: {
    symbol: string;
    time: number;
    bids: readonly { price: number | string; volume: number | string }[];
    asks: readonly { price: number | string; volume: number | string }[];
  }): void;
  /** The host's view of the position (from fills); overrides what the runner inferred. */
  setPosition(symbol: string, position: Omit<PositionState, 'source'> | undefined): void;
  getPosition(symbol: string): PositionState | undefined;
  /** Validates, swaps params and rebuilds every stream's indicators (they warm up again). */
  updateParams(input: unknown): Record<string, unknown>;
  /** Withdraws every live signal, e.g. when the detector is stopped or blocked by risk. */
  invalidateAll(reason: string): void;
  /** Withdraws one stream's live signal (a data gap); true when there was one. */
  invalidate(symbol: string, timeframe: TimeFrame, reason: string): boolean;
  snapshot(symbol: string, timeframe: TimeFrame): StreamSnapshot | undefined;
  snapshots(): StreamSnapshot[];
}
