import type { Candle } from '@barfinex/contracts';
import { DetectorParamsError, detectorParamsJsonSchema } from '@barfinex/detector-kit';
import type { CandleFeed, CandleOutcome, Detector, DetectorEmission } from '@barfinex/detector-kit';
import { timeFrameMs } from '@barfinex/enums';
import type { TimeFrame } from '@barfinex/enums';
import { AppError, notFound } from '@barfinex/service-kit';
import { createSignalBook } from './signal-book';
import { ownsSymbol, paramsFor, withTimeframes } from './plan';
import type { DetectorPlan } from './plan';
import { createSlot } from './slot';
import type { RewarmOutcome, Slot, SlotOptions } from './slot';

export interface HostOptions {
  detectors: readonly Detector[];
  plan: DetectorPlan;
  /** Identifies this app on the bus (`detectorKey` of its signals) and in risk events. */
  appKey: string;
  partition: { index: number; count: number };
  warmupBars: number;
  signalHistory: number;
  now: () => number;
  /** Closed history bars of one stream, oldest first (the provider's `GET /api/candles`). */
  history(stream: { symbol: string; timeframe: TimeFrame; from: number }): Promise<readonly Candle[]>;
  /** Emissions to publish, in order. */
  publish(emission: DetectorEmission): void;
  onError(error: unknown, where: Record<string, unknown>): void;
  onOutcome?(detector: string, outcome: CandleOutcome): void;
  /** The bars a stream missed (a hole in its live bars, a bus outage), from the provider's store. */
  refill: SlotOptions['refill'];
  onRewarm?(outcome: RewarmOutcome): void;
}

/** Hosts the configured detectors: routes candles to them, warms them up, and keeps their signals. */
export function createDetectorHost(options: HostOptions) {
  const { plan } = options;
  const book = createSignalBook(options.signalHistory);
  const symbols = plan.symbols.length > 0 ? new Set(plan.symbols) : undefined;
  const slots = new Map<string, Slot>();
  for (const original of options.detectors) {
    const detector = withTimeframes(original, plan.intervals);
    const slot = createSlot({
      detector,
      detectorKey: options.appKey,
      params: paramsFor(plan, original, options.detectors.length),
      connectorType: plan.connectorType,
      marketType: plan.marketType,
      now: options.now,
      emit: (emission) => {
        book.record(detector.name, emission);
        options.publish(emission);
      },
      onError: (error, where) => options.onError(error, where),
      refill: options.refill,
      ...(options.onOutcome ? { onOutcome: options.onOutcome } : {}),
      ...(options.onRewarm ? { onRewarm: options.onRewarm } : {}),
    });
    slots.set(detector.name, slot);
  }
  const pending = new Set<Promise<void>>();

  const slotOf = (name: string): Slot => {
    const slot = slots.get(name);
    if (!slot) throw notFound(`detector "${name}"`, { detector: name, available: [...slots.keys()] });
    return slot;
  };

  /** The streams a slot warms up: planned symbols this partition owns × the slot's time frames. */
  const streamsOf = (slot: Slot) => {
    const own = slot.detector.inputs.symbols;
    return plan.symbols
      .filter((s) => ownsSymbol(s, options.partition) && (!own || own.length === 0 || own.includes(s)))
      .flatMap((symbol) => slot.detector.inputs.timeframes.map((timeframe) => ({ symbol, timeframe })));
  };

  const warmUpSlot = (slot: Slot): Promise<void> => {
    const streams = streamsOf(slot);
    for (const s of streams) slot.warmup.set(`${s.symbol}|${s.timeframe}`, { ...s, status: 'pending', bars: 0 });
    const run = slot.warmUp(async () => {
      for (const s of streams) {
        const state = slot.warmup.get(`${s.symbol}|${s.timeframe}`);
        if (!state) continue;
        state.status = 'loading';
        try {
          const from = options.now() - options.warmupBars * (timeFrameMs(s.timeframe) ?? 31 * 86_400_000);
          const bars = await options.history({ ...s, from });
          for (const bar of bars) {
            if (bar.closed === false) continue;
            slot.replay({ ...bar, symbol: s.symbol, interval: s.timeframe });
            state.bars += 1;
          }
          state.status = 'done';
        } catch (err) {
          // Live bars still warm the stream up; it just takes `warmup` bars longer.
          state.status = 'failed';
          state.error = err instanceof Error ? err.message : String(err);
          options.onError(err, { detector: slot.name, ...s, phase: 'warmup' });
        }
      }
    });
    pending.add(run);
    void run.finally(() => pending.delete(run));
    return run;
  };

  const describe = (slot: Slot, withStreams: boolean) => ({
    name: slot.name,
    version: slot.detector.version,
    description: slot.detector.description ?? null,
    kind: slot.detector.kind,
    status:
      slot.blocked() !== undefined
        ? 'blocked'
        : !slot.enabled()
          ? 'disabled'
          : slot.warming()
            ? 'warming'
            : slot.rewarming().length > 0
              ? 'rewarming'
              : 'active',
    enabled: slot.enabled(),
    blocked: slot.blocked() ?? null,
    params: slot.runner.params,
    paramsSchema: detectorParamsJsonSchema(slot.detector),
    timeframes: [...slot.detector.inputs.timeframes],
    symbols: streamsOf(slot)
      .map((s) => s.symbol)
      .filter((s, i, all) => all.indexOf(s) === i),
    warmup: [...slot.warmup.values()],
    rewarming: slot.rewarming(),
    stats: { ...slot.stats },
    ...(withStreams ? { streams: slot.runner.snapshots() } : {}),
  });

  return {
    plan,
    book,
    slots: () => [...slots.values()],
    /** Warms every detector from history; live candles arriving meanwhile are held, then fed. */
    warmUp: () => Promise.all([...slots.values()].map(warmUpSlot)).then(() => undefined),
    /** Resolves when no warm-up or re-warm is running. */
    async settled(): Promise<void> {
      while (pending.size > 0) await Promise.allSettled([...pending]);
      await Promise.all([...slots.values()].map((s) => s.refilled()));
    },
    /** After a bus outage: every stream fetches the bars that closed meanwhile before it evaluates again. */
    resync(): void {
      for (const slot of slots.values()) slot.resync();
    },
    /** Streams fetching the bars they missed: they cannot signal until they have them. */
    rewarming: () => [...slots.values()].flatMap((s) => s.rewarming().map((r) => ({ detector: s.name, ...r }))),
    onCandle(
      candle: CandleFeed & { symbol: string; connectorType?: string; marketType?: string },
      eventId?: string,
    ): void {
      if (candle.closed === false) return;
      if (candle.connectorType !== undefined && candle.connectorType !== plan.connectorType) return;
      if (candle.marketType !== undefined && candle.marketType !== plan.marketType) return;
      if (symbols && !symbols.has(candle.symbol)) return;
      for (const slot of slots.values()) slot.onCandle(candle, eventId);
    },
    /** A kill switch or limit breach aimed at this app (its key) or at one detector (its name). */
    applyRisk(target: string | undefined, reason: string | undefined): string[] {
      const hit =
        target === undefined || target === options.appKey
          ? [...slots.values()]
          : slots.has(target)
            ? [slotOf(target)]
            : [];
      for (const slot of hit) slot.setBlocked(reason);
      return hit.map((s) => s.name);
    },
    list: () => [...slots.values()].map((s) => describe(s, false)),
    get: (name: string) => describe(slotOf(name), true),
    setEnabled(name: string, enabled: boolean) {
      slotOf(name).setEnabled(enabled);
      return describe(slotOf(name), false);
    },
    /** Validates (400 naming the field), withdraws live signals, rebuilds indicators and re-warms from history. */
    async updateParams(name: string, input: Record<string, unknown>) {
      const slot = slotOf(name);
      try {
        slot.updateParams(input);
      } catch (err) {
        if (!(err instanceof DetectorParamsError)) throw err;
        throw new AppError('VALIDATION_ERROR', err.message, {
          details: { where: 'body', detector: err.detector, issues: err.issues },
        });
      }
      await warmUpSlot(slot);
      return describe(slot, false);
    },
    warmupDone: () =>
      [...slots.values()].every(
        (s) => !s.warming() && [...s.warmup.values()].every((w) => w.status === 'done' || w.status === 'failed'),
      ),
  };
}

export type DetectorHost = ReturnType<typeof createDetectorHost>;
