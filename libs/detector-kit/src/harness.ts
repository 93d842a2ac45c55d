import type { ConnectorType, MarketType, TimeFrame } from '@barfinex/enums';
import { validateEventPayload } from '@barfinex/events';
import type { CandleLike, TradeLike } from './bar';
import { parseCandlesCsv } from './csv';
import type { Detector, IndicatorSet, ParamsSchema, PositionState } from './detector';
import type { DetectorEmission, SignalPayload } from './emission';
import { createDetectorRunner } from './runner';
import type { StreamSnapshot } from './runner-types';

export interface RunDetectorOptions {
  symbol: string;
  timeframe: TimeFrame;
  /** Closed candles, oldest first; or `csv` text in `time,open,high,low,close,volume` form. */
  candles?: readonly CandleLike[];
  csv?: string;
  /** Trades are fed before the candle whose close time they precede. */
  trades?: readonly TradeLike[];
  params?: unknown;
  detectorKey?: string;
  connectorType?: ConnectorType;
  marketType?: MarketType;
  priceDecimals?: number;
  /** Check every emitted payload against the event catalog (default true). */
  validate?: boolean;
}

export interface DetectorRunResult {
  /** Payloads of DETECTOR_SIGNAL_GENERATED, in order. */
  signals: SignalPayload[];
  /** Everything emitted, in order. */
  events: DetectorEmission[];
  errors: unknown[];
  state: StreamSnapshot | undefined;
  position: PositionState | undefined;
}

/** Feeds a detector in memory and collects what it emits. Same input, same output. */
export function runDetector<P extends ParamsSchema, I extends IndicatorSet>(
  detector: Detector<P, I>,
  options: RunDetectorOptions,
): DetectorRunResult {
  const candles: readonly CandleLike[] =
    options.candles ?? (options.csv !== undefined ? parseCandlesCsv(options.csv) : []);
  const events: DetectorEmission[] = [];
  const errors: unknown[] = [];
  const validate = options.validate ?? true;
  const runner = createDetectorRunner(detector, {
    params: options.params,
    ...(options.detectorKey === undefined ? {} : { detectorKey: options.detectorKey }),
    ...(options.connectorType === undefined ? {} : { connectorType: options.connectorType }),
    ...(options.marketType === undefined ? {} : { marketType: options.marketType }),
    ...(options.priceDecimals === undefined ? {} : { priceDecimals: options.priceDecimals }),
    emit: (emission) => {
      if (validate) validateEventPayload(emission.name, emission.payload);
      events.push(emission);
    },
    onError: (error) => errors.push(error),
  });
  const trades = [...(options.trades ?? [])].sort((a, b) => a.time - b.time);
  let t = 0;
  const { symbol, timeframe } = options;
  // One source object for the whole run: the loop itself allocates nothing per candle.
  const source = { symbol, timeframe };
  for (let i = 0; i < candles.length; i += 1) {
    const candle = candles[i] as CandleLike;
    if (t < trades.length) {
      // A trade belongs to the bar it happened in, so it is fed before that bar closes.
      const nextOpen = candles[i + 1]?.time ?? Infinity;
      for (let trade = trades[t]; trade !== undefined && trade.time < nextOpen; trade = trades[++t]) {
        runner.onTrade(trade, source);
      }
    }
    runner.onCandle(candle, source);
  }
  return {
    signals: events.filter((e) => e.name === 'DETECTOR_SIGNAL_GENERATED').map((e) => e.payload as SignalPayload),
    events,
    errors,
    state: runner.snapshot(symbol, timeframe),
    position: runner.getPosition(symbol),
  };
}
