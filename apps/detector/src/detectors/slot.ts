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
  /** Streams re-warmed from history after a gap or a bus reconnect. */
  rewarms: number;
  lastError?: string;
}

/** A stream holding its live bars while the bars it missed are fetched. */
export interface RewarmState {
  symbol: string;
  timeframe: TimeFrame;
  /** Open time of the stream's last bar before the hole. */
  after: number;
  /** Live bars held meanwhile. */
  held: number;
}

export interface RewarmOutcome extends Omit<RewarmState, 'held'> {
  detector: string;
  /** Missed bars fed from history (silently). */
  replayed: number;
  /** Bars that exist nowhere: the stream went on across them. */
  bridged: number;
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
  onError(error: unknown, where: { detector: string; symbol: string; timeframe: TimeFrame; phase?: string }): void;
  onOutcome?(detector: string, outcome: CandleOutcome): void;
  /** The bars a stream missed after `after` (before `before` when a live bar showed the hole), oldest first. */
  refill(gap: {
    symbol: string;
    timeframe: TimeFrame;
    after: number;
    before?: number;
  }): Promise<{ bars: readonly CandleFeed[]; unfilled: number }>;
  onRewarm?(outcome: RewarmOutcome): void;
}

interface Buffered {
  candle: CandleFeed;
  eventId: string | undefined;
}

const BRIDGE = Object.freeze({ bridge: true });
const streamKey = (symbol: string | undefined, timeframe: string | undefined): string =>
  `${symbol ?? ''}|${timeframe ?? ''}`;

/**
 * One hosted detector: its runner plus the host's switches. A muted slot (disabled, blocked by
 * risk, warming up or being reset) still feeds its indicators but publishes nothing; whatever it
 * decided meanwhile is discarded silently when it is unmuted, so the bus never sees an update
 * or invalidation of a signal it was never told about.
 */
export function createSlot(options: SlotOptions) {
  const { detector } = options;
  const stats: SlotStats = { candles: 0, evaluated: 0, errors: 0, emitted: 0, rewarms: 0 };
  const warmup = new Map<string, WarmupState>();
  let enabled = true;
  let blocked: string | undefined;
  let silent = 0;
  let buffer: Buffered[] | undefined;
  let warmups = 0;
  const rewarming = new Map<string, RewarmState & { queue: Buffered[] }>();
  const refills = new Set<Promise<void>>();

  const muted = () => silent > 0 || !enabled || blocked !== undefined;

  const runner: DetectorRunner = createDetectorRunner(detector, {
    params: options.params,
    detectorKey: options.detectorKey,
    connectorType: options.connectorType,
    marketType: options.marketType,
    clock: options.now,
    // The slot fetches what a hole lacks and feeds it before the bar after the hole.
    onGap: 'defer',
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

  const feed = (candle: CandleFeed, eventId: string | undefined, bridge = false): CandleOutcome => {
    const outcome = runner.onCandle(
      candle,
      eventId === undefined ? (bridge ? BRIDGE : {}) : bridge ? { eventId, bridge } : { eventId },
    );
    if (outcome !== 'ignored' && outcome !== 'gap') stats.candles += 1;
    if (outcome === 'evaluated') stats.evaluated += 1;
    options.onOutcome?.(detector.name, outcome);
    return outcome;
  };

  /** Drops what the runner decided while muted: its signals and the positions it inferred. */
  const forgetMutedState = () => {
    silently(() => runner.invalidateAll('discarded'));
    for (const s of runner.snapshots()) runner.setPosition(s.symbol, undefined);
  };

  /** Live bars: held while their stream re-warms, else fed; a bar after a hole starts a re-warm. */
  const deliver = (candle: CandleFeed, eventId: string | undefined): CandleOutcome | 'buffered' => {
    if (rewarming.size > 0) {
      const held = rewarming.get(streamKey(candle.symbol, candle.interval));
      if (held) {
        held.queue.push({ candle, eventId });
        held.held += 1;
        return 'buffered';
      }
    }
    const outcome = feed(candle, eventId);
    if (outcome === 'gap') rewarm(candle.symbol as string, candle.interval as TimeFrame, [{ candle, eventId }]);
    return outcome;
  };

  /**
   * Fetches the bars one stream missed, replays them silently and then its held live bars
   * audibly, so the stream keeps its indicators and can signal on the first live bar after an
   * outage. Its live signal is withdrawn first ('data gap'): the bus must not hear about a signal
   * or a change of one made on bars it never saw live.
   */
  const rewarm = (symbol: string, timeframe: TimeFrame, queue: Buffered[]): void => {
    const after = runner.snapshot(symbol, timeframe)?.lastTime;
    if (after === undefined) return;
    const key = streamKey(symbol, timeframe);
    const state = { symbol, timeframe, after, held: queue.length, queue };
    rewarming.set(key, state);
    stats.rewarms += 1;
    const first = queue[0];
    const run = options
      .refill(
        first === undefined ? { symbol, timeframe, after } : { symbol, timeframe, after, before: first.candle.time },
      )
      .catch((err: unknown) => {
        options.onError(err, { detector: detector.name, symbol, timeframe, phase: 'rewarm' });
        return { bars: [], unfilled: -1 };
      })
      .then((found) => {
        rewarming.delete(key);
        // A full warm-up began meanwhile: it replays history, then these.
        if (buffer) return void buffer.unshift(...state.queue);
        // A bar that also arrived live is fed live, where it may signal.
        const liveFrom = state.queue[0]?.candle.time ?? Number.POSITIVE_INFINITY;
        const missed = found.bars.filter((bar) => bar.time < liveFrom);
        if (missed.length > 0 || first !== undefined) {
          runner.invalidate(symbol, timeframe, 'data gap');
          const position = runner.getPosition(symbol);
          silently(() => {
            for (const bar of missed) feed({ ...bar, symbol, interval: timeframe }, undefined, true);
            runner.invalidate(symbol, timeframe, 'discarded');
          });
          if (runner.getPosition(symbol) !== position) runner.setPosition(symbol, position);
          options.onRewarm?.({
            detector: detector.name,
            symbol,
            timeframe,
            after,
            replayed: missed.length,
            bridged: Math.max(0, found.unfilled),
          });
        }
        const [live, ...rest] = state.queue;
        if (live) feed(live.candle, live.eventId, true);
        for (const b of rest) deliver(b.candle, b.eventId);
      })
      .finally(() => refills.delete(run));
    refills.add(run);
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
    /** Streams fetching the bars they missed, holding their live bars meanwhile. */
    rewarming: (): RewarmState[] => [...rewarming.values()].map(({ queue: _queue, ...state }) => state),
    /** Live candles: fed now, or held while a warm-up replays history or their stream re-warms. */
    onCandle(candle: CandleFeed, eventId: string | undefined): CandleOutcome | 'buffered' {
      if (buffer) {
        buffer.push({ candle, eventId });
        return 'buffered';
      }
      return deliver(candle, eventId);
    },
    /** After a bus outage: every stream fetches what closed meanwhile, before its next live bar. */
    resync(): void {
      if (buffer) return;
      for (const s of runner.snapshots())
        if (!rewarming.has(streamKey(s.symbol, s.timeframe))) rewarm(s.symbol, s.timeframe, []);
    },
    /** Resolves when no re-warm is running. */
    async refilled(): Promise<void> {
      while (refills.size > 0) await Promise.allSettled([...refills]);
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
          for (const b of held) deliver(b.candle, b.eventId);
        }
      }
    },
    /** History bars during a warm-up (muted by the caller's warmUp); a hole in stored history is bridged. */
    replay: (candle: CandleFeed) => feed(candle, undefined, true),
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
      if (unknown.length > 0)
        throw new DetectorParamsError(
          detector.name,
          unknown.map((path) => ({ path, message: `unknown parameter (known: ${Object.keys(params).join(', ')})` })),
        );
      if (!muted()) runner.invalidateAll('params changed');
      return silently(() => runner.updateParams(params));
    },
  };
}

export type Slot = ReturnType<typeof createSlot>;
