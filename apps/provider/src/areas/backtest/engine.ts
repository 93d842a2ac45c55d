import { D } from './decimal';
import type { BacktestMetrics, BacktestRequest, BacktestTrade, Candle } from '@barfinex/contracts';
import { createDetectorRunner } from '@barfinex/detector-kit';
import type { Detector, DetectorEmission } from '@barfinex/detector-kit';
import { timeFrameMs } from '@barfinex/enums';
import type { TimeFrame } from '@barfinex/enums';
import { createEquityTracker } from './metrics';
import { createBacktestVenue } from './venue';
import type { Side } from './venue';

export interface BacktestEngineOptions {
  detector: Detector;
  params: Record<string, unknown>;
  symbol: string;
  interval: TimeFrame;
  initialBalance: string;
  positionSizing: BacktestRequest['positionSizing'];
  fees: BacktestRequest['fees'];
  /** Sees every detector emission in order (the parity spec compares them with the live path). */
  onEmission?: (emission: DetectorEmission) => void;
  /** Sees the equity marked at every bar close (optimisation trials score their own windows from it). */
  onMark?: (equity: D, inPosition: boolean) => void;
}

export interface BacktestOutcome {
  metrics: BacktestMetrics;
  trades: BacktestTrade[];
}

type Price = { price: string | number };
type Levels = { stop?: Price | undefined; targets?: readonly Price[] | undefined };
const levelsOf = (p: Levels) => ({
  ...(p.stop ? { stop: String(p.stop.price) } : {}),
  ...(p.targets && p.targets.length > 0 ? { target: String((p.targets[p.targets.length - 1] as Price).price) } : {}),
});

function exitReasonOf(reason: string): BacktestTrade['exitReason'] {
  if (/stop/i.test(reason)) return 'stop';
  if (/target/i.test(reason)) return 'target';
  return 'invalidated';
}

/**
 * One backtest: closed candles go to the detector-kit runner exactly as the detector app feeds
 * live ones (the contract's Candle payload), and the runner's signal lifecycle trades on a
 * private simulated exchange: a new signal opens at the bar's close (flipping an opposite
 * position), its stop and last target become reduce-only orders, an update moves them, an
 * invalidation closes what is still open. Position requests are not acted on separately: they
 * restate the same lifecycle.
 */
export function createBacktestEngine(options: BacktestEngineOptions) {
  const intervalMs = timeFrameMs(options.interval) ?? 0;
  if (intervalMs <= 0) throw new RangeError(`a backtest needs a fixed-length interval, got ${options.interval}`);
  const initial = new D(options.initialBalance);
  const equity = createEquityTracker(initial, intervalMs);
  const pending: DetectorEmission[] = [];
  const runner = createDetectorRunner(options.detector, {
    params: options.params,
    emit: (emission) => {
      pending.push(emission);
      options.onEmission?.(emission);
    },
  });
  const source = { symbol: options.symbol, timeframe: options.interval };
  let venue: ReturnType<typeof createBacktestVenue> | undefined;
  let processed = 0;
  let signals = 0;
  let last: Candle | undefined;

  const size = (price: string): D => {
    const sizing = options.positionSizing;
    if (sizing.mode === 'fixed') return new D(sizing.quantity);
    const v = venue as NonNullable<typeof venue>;
    // Near 100 % of cash the order would not cover its own fee and one tick of slippage, and the
    // exchange would refuse it (the trade silently missing): it is capped at what the cash covers.
    return D.min(v.cash().times(sizing.percent).div(100).div(price), v.affordable(price));
  };

  const act = (emission: DetectorEmission, candle: Candle) => {
    const v = venue as NonNullable<typeof venue>;
    const at = { time: candle.closeTime ?? candle.time + intervalMs - 1, price: candle.close };
    const position = v.position();
    if (emission.name === 'DETECTOR_SIGNAL_GENERATED') {
      signals += 1;
      const p = emission.payload;
      const side = p.direction as Side;
      if (position && position.side !== side) v.close(at, 'flip');
      if (v.position()) v.protect(levelsOf(p));
      else v.open(at, side, size(candle.close), { ...levelsOf(p), signalId: p.signalId });
    } else if (emission.name === 'DETECTOR_SIGNAL_UPDATED') {
      const p = emission.payload;
      if (position && (p.kind ?? 'signal') === 'signal' && (p.stop || p.targets)) v.protect(levelsOf(p));
    } else if (emission.name === 'DETECTOR_SIGNAL_INVALIDATED') {
      if (position) v.close(at, exitReasonOf(emission.payload.reason));
    }
  };

  return {
    onCandle(candle: Candle): void {
      venue ??= createBacktestVenue({
        firstPrice: candle.open,
        startTime: candle.time,
        initialBalance: options.initialBalance,
        fees: options.fees,
      });
      venue.bar(candle, intervalMs);
      runner.onCandle(candle, source);
      for (let i = 0; i < pending.length; i += 1) act(pending[i] as DetectorEmission, candle);
      pending.length = 0;
      processed += 1;
      last = candle;
      const position = venue.position();
      let marked: D;
      if (position === undefined) marked = venue.cash();
      else {
        const move = new D(candle.close).minus(position.entryPrice).times(position.quantity);
        marked = venue.cash().plus(position.side === 'LONG' ? move : move.negated());
      }
      equity.mark(marked, position !== undefined);
      options.onMark?.(marked, position !== undefined);
    },

    progress: () => ({ processed, signals, trades: venue?.trades().length ?? 0, cursor: last?.time }),

    /** Closes what is still open at the last close and computes the result. */
    finish(): BacktestOutcome {
      if (venue && last) venue.close({ time: last.closeTime ?? last.time + intervalMs - 1, price: last.close }, 'end');
      const trades = venue?.trades() ?? [];
      const final = venue?.cash() ?? initial;
      return {
        metrics: equity.summary({
          final,
          initial,
          fees: venue?.fees() ?? new D(0),
          signals,
          trades,
          rejected: venue?.rejected() ?? 0,
        }),
        trades: [...trades],
      };
    },

    walletBalance: () => venue?.walletBalance(),
  };
}

export type BacktestEngine = ReturnType<typeof createBacktestEngine>;
