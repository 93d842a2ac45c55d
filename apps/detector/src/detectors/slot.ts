import { DetectorParamsError, createDetectorRunner, parseDetectorParams } from '@barfinex/detector-kit';
import type { CandleFeed, CandleOutcome, Detector, DetectorEmission, DetectorRunner } from '@barfinex/detector-kit';
import type { ConnectorType, MarketType, TimeFrame } from '@barfinex/enums';

export interface WarmupState {
  symbol: string;
  timeframe: TimeFrame;
  status: 'pending' | 'loading' | 'done' | 'failed';
  bars: number;
  error?: string;
}

export interface SlotStats {
  candles: number;
  evaluated: number;
  errors: number;
  emitted: number;
  lastError?: string;
}

export interface SlotOptions {
  detector: Detector;
  detectorKey: string;
  params: unknown;
  connectorType: ConnectorType;
  marketType: MarketType;
  now: () => number;
  /** Only unmuted emissions arrive here. */
  emit(emission: DetectorEmission): void;
  onError(error: unknown, where: { detector: string; symbol: string; timeframe: TimeFrame }): void;
  onOutcome?(detector: string, outcome: CandleOutcome): void;
}

interface Buffered {
  candle: CandleFeed;
  eventId: string | undefined;
}

/**
 * One hosted detector: its runner plus the host's switches. A muted slot (disabled, blocked by
 * risk, warming up or being reset) still feeds its indicators but publishes nothing; whatever it
 * decided meanwhile is discarded silently when it is unmuted, so the bus never sees an update
 * or invalidation of a signal it was never told about.
 */
export function createSlot(options: SlotOptions) {
  const { detector } = options;
  const stats: SlotStats = { candles: 0, evaluated: 0, errors: 0, emitted: 0 };
  const warmup = new Map<string, WarmupState>();
  let enabled = true;
  let blocked: string | undefined;
  let silent = 0;
  let buffer: Buffered[] | undefined;
  let warmups = 0;

  const muted = () => silent > 0 || !enabled || blocked !== undefined;

  const runner: DetectorRunner = createDetectorRunner(detector, {
    params: options.params,
    detectorKey: options.detectorKey,
    connectorType: options.connectorType,
    marketType: options.marketType,
    clock: options.now,
    emit: (emission) => {
      if (muted()) return;
      stats.emitted += 1;
      options.emit(emission);
    },
    onError: (error, where) => {
      stats.errors += 1;
      stats.lastError = error instanceof Error ? error.message : String(error);
      options.onError(error, { detector: detector.name, ...where });
    },
  });

  const silently = <T>(fn: () => T): T => {
    silent += 1;
    try {
      return fn();
    } finally {
      silent -= 1;
    }
  };

  const feed = (candle: CandleFeed, eventId: string | undefined): CandleOutcome => {
    const outcome = runner.onCandle(candle, eventId === undefined ? {} : { eventId });
    if (outcome !== 'ignored') stats.candles += 1;
    if (outcome === 'evaluated') stats.evaluated += 1;
    options.onOutcome?.(detector.name, outcome);
    return outcome;
  };

  /** Drops what the runner decided while muted: its signals and the positions it inferred. */
  const forgetMutedState = () => {
    silently(() => runner.invalidateAll('discarded'));
    for (const s of runner.snapshots()) runner.setPosition(s.symbol, undefined);
  };

  const setMuted = (change: () => void, reason: string) => {
    const wasMuted = muted();
    if (!wasMuted) runner.invalidateAll(reason);
    change();
    if (wasMuted && !muted()) forgetMutedState();
  };

  return {
    name: detector.name,
    detector,
    runner,
    stats,
    warmup,
    muted,
    enabled: () => enabled,
    blocked: () => blocked,
    warming: () => buffer !== undefined,
    /** Live candles: fed now, or held while a warm-up replays history. */
    onCandle(candle: CandleFeed, eventId: string | undefined): CandleOutcome | 'buffered' {
      if (buffer) {
        buffer.push({ candle, eventId });
        return 'buffered';
      }
      return feed(candle, eventId);
    },
    /** Replays history silently, then the live candles that arrived meanwhile, audibly. */
    async warmUp(load: () => Promise<void>): Promise<void> {
      buffer ??= [];
      warmups += 1;
      silent += 1;
      try {
        await load();
      } finally {
        silent -= 1;
        warmups -= 1;
        if (warmups === 0) {
          forgetMutedState();
          const held = buffer ?? [];
          buffer = undefined;
          for (const b of held) feed(b.candle, b.eventId);
        }
      }
    },
    /** History bars during a warm-up (muted by the caller's warmUp). */
    replay: (candle: CandleFeed) => feed(candle, undefined),
    setEnabled(value: boolean) {
      if (value === enabled) return;
      setMuted(() => (enabled = value), 'detector disabled');
    },
    setBlocked(reason: string | undefined) {
      if (reason === blocked) return;
      setMuted(() => (blocked = reason), `blocked by risk: ${reason ?? ''}`);
    },
    /**
     * Names only what changes: merged over the current params, so earlier changes are kept. Validates
     * first (throws DetectorParamsError naming the field, or a name the schema does not know, which
     * would otherwise be dropped silently); live signals are withdrawn.
     */
    updateParams(input: Record<string, unknown>): Record<string, unknown> {
      const params = parseDetectorParams(detector, { ...runner.params, ...input });
      const unknown = Object.keys(input).filter((k) => !Object.hasOwn(params, k));
      if (unknown.length > 0) throw new DetectorParamsError(detector.name, unknown.map((path) => ({ path, message: `unknown parameter (known: ${Object.keys(params).join(', ')})` })));
      if (!muted()) runner.invalidateAll('params changed');
      return silently(() => runner.updateParams(params));
    },
  };
}

export type Slot = ReturnType<typeof createSlot>;
