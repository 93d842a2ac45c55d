import { createEnvelope } from '@barfinex/events';
import { z } from 'zod';
import type { Bar } from './bar';
import { defineDetector } from './detector';
import type { DetectorOutput, EvaluateResult } from './detector';
import type { DetectorEmission } from './emission';
import { DetectorParamsError } from './errors';
import { runDetector } from './harness';
import { sma } from './indicators/moving-average';
import { tradeVolumeDelta } from './indicators/volume';
import { createDetectorRunner } from './runner';

const MIN = 60_000;
const ignore = (): void => undefined;
function must<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('missing test value');
  return value;
}
const T0 = Date.UTC(2024, 0, 1);

/** Bars from [low, high, close] triples; open is the previous close. */
function bars(rows: [number, number, number][]): Bar[] {
  let prev = rows[0]?.[2] ?? 100;
  return rows.map(([low, high, close], i) => {
    const bar = { time: T0 + i * MIN, open: prev, high, low, close, volume: 1 };
    prev = close;
    return bar;
  });
}
const flat = (n: number, price = 100) =>
  bars(Array.from({ length: n }, () => [price - 1, price + 1, price] as [number, number, number]));

/** A detector whose output per bar comes from a script, to drive the lifecycle precisely. */
function scripted(
  script: Record<number, DetectorOutput | (() => EvaluateResult)>,
  extra: { managePosition?: boolean; expires?: { bars?: number; ms?: number } } = {},
) {
  return defineDetector({
    name: 'scripted',
    inputs: { timeframes: ['min1'] },
    evaluate: (ctx) => {
      const step = script[ctx.barIndex];
      return typeof step === 'function' ? step() : step;
    },
    ...extra,
  });
}
const names = (events: DetectorEmission[]) =>
  events.map(
    (e) =>
      `${e.name.replace('DETECTOR_', '')}${'reason' in e.payload && e.payload.reason ? `: ${e.payload.reason}` : ''}`,
  );

describe('signal lifecycle', () => {
  it('generates a signal with full attribution, catalog-valid, correlated to its candle', () => {
    const detector = scripted({
      1: {
        signal: {
          direction: 'LONG',
          score: 3,
          confidence: 0.75,
          stop: 95.123456789,
          targets: [110, 120],
          rulesFired: ['a', 'b'],
          reason: 'why',
        },
      },
    });
    const { signals, events } = runDetector(detector, { candles: flat(3), symbol: 'BTCUSDT', timeframe: 'min1' });
    expect(signals).toEqual([
      {
        signalId: `scripted:BTCUSDT:min1:${T0 + MIN}`,
        detectorKey: 'scripted',
        symbol: 'BTCUSDT',
        direction: 'LONG',
        confidence: 0.75,
        score: 3,
        strategy: 'scripted',
        entry: { price: '100', type: 'market' },
        stop: { price: '95.12345679', reason: 'stop' },
        targets: [
          { price: '110', reason: 'target 1' },
          { price: '120', reason: 'target 2' },
        ],
        rulesFired: ['a', 'b'],
        reason: 'why',
        timeframe: 'min1',
        connectorType: 'sim',
        marketType: 'spot',
        createdAt: T0 + 2 * MIN - 1,
      },
    ]);
    expect(events[0]?.meta).toEqual({
      correlationId: signals[0]?.signalId,
      causationId: `candle:BTCUSDT:min1:${T0 + MIN}`,
      symbol: 'BTCUSDT',
      timestamp: T0 + 2 * MIN - 1,
      connectorType: 'sim',
      marketType: 'spot',
    });
    // What the detector app will do with it: wrap it into a bus envelope.
    for (const e of events) expect(createEnvelope(e.name, e.payload, e.meta).correlationId).toBe(signals[0]?.signalId);
  });

  it('updates a live signal only when its levels or confidence change', () => {
    const detector = scripted({
      1: { signal: { direction: 'LONG', confidence: 0.5, stop: 90 } },
      2: { signal: { direction: 'LONG', confidence: 0.5, stop: 90 } },
      3: { signal: { direction: 'LONG', confidence: 0.6, stop: 92, reason: 'trail' } },
    });
    const { events } = runDetector(detector, { candles: flat(4), symbol: 'X', timeframe: 'min1' });
    expect(names(events)).toEqual(['SIGNAL_GENERATED', 'SIGNAL_UPDATED: trail']);
    expect(events[1]?.payload).toMatchObject({ kind: 'signal', confidence: 0.6, stop: { price: '92' } });
  });

  it('an opposite signal invalidates the live one and flips the position', () => {
    const detector = scripted(
      { 1: { signal: { direction: 'LONG' } }, 3: { signal: { direction: 'SHORT' } } },
      { managePosition: true },
    );
    const { events, position } = runDetector(detector, { candles: flat(4), symbol: 'X', timeframe: 'min1' });
    expect(names(events)).toEqual([
      'SIGNAL_GENERATED',
      'POSITION_OPEN_REQUEST',
      'SIGNAL_INVALIDATED: opposite signal',
      'SIGNAL_GENERATED',
      'POSITION_FLIP_REQUEST',
    ]);
    expect(events[4]?.payload).toMatchObject({ side: 'SHORT', signalId: `scripted:X:min1:${T0 + 3 * MIN}` });
    expect(position).toMatchObject({ side: 'SHORT', source: 'requested' });
  });

  it('times out after N bars or after a duration', () => {
    const byBars = scripted({ 1: { signal: { direction: 'SHORT', expires: { bars: 2 } } } }, { managePosition: true });
    expect(names(runDetector(byBars, { candles: flat(5), symbol: 'X', timeframe: 'min1' }).events)).toEqual([
      'SIGNAL_GENERATED',
      'POSITION_OPEN_REQUEST',
      'SIGNAL_INVALIDATED: timeout after 2 bars',
      'POSITION_CLOSE_REQUEST: timeout after 2 bars',
    ]);
    const byMs = scripted({ 1: { signal: { direction: 'SHORT' } } }, { expires: { ms: 3 * MIN } });
    const { events } = runDetector(byMs, { candles: flat(6), symbol: 'X', timeframe: 'min1' });
    expect(names(events)).toEqual(['SIGNAL_GENERATED', 'SIGNAL_INVALIDATED: timeout']);
    expect(events[1]?.meta.timestamp).toBe(T0 + 5 * MIN - 1); // created at the close of bar 1, plus 3 minutes
  });

  it('reduces at intermediate targets, closes at the last one', () => {
    const detector = scripted(
      { 0: { signal: { direction: 'LONG', stop: 90, targets: [102, 104] } } },
      { managePosition: true },
    );
    const candles = bars([
      [99, 101, 100],
      [99, 102.5, 102],
      [101, 103, 103],
      [102, 105, 104],
    ]);
    const { events, position } = runDetector(detector, { candles, symbol: 'X', timeframe: 'min1' });
    expect(names(events)).toEqual([
      'SIGNAL_GENERATED',
      'POSITION_OPEN_REQUEST',
      'SIGNAL_UPDATED: target 1 reached',
      'POSITION_REDUCE_REQUEST: target 1 reached',
      'SIGNAL_INVALIDATED: target reached',
      'POSITION_CLOSE_REQUEST: target reached',
    ]);
    expect(events[3]?.payload).toMatchObject({ side: 'LONG', fraction: 0.5, price: '102' });
    expect(position).toBeUndefined();
  });

  it('the stop wins when stop and target fall in the same bar', () => {
    const detector = scripted(
      { 0: { signal: { direction: 'SHORT', stop: 101.5, targets: [98] } } },
      { managePosition: true },
    );
    const candles = bars([
      [99, 101, 100],
      [97, 102, 100],
    ]);
    expect(names(runDetector(detector, { candles, symbol: 'X', timeframe: 'min1' }).events).slice(2)).toEqual([
      'SIGNAL_INVALIDATED: stop hit',
      'POSITION_CLOSE_REQUEST: stop hit',
    ]);
  });

  it('invalidates by an evaluate verdict and maps explicit position actions', () => {
    const detector = scripted({
      0: { signal: { direction: 'LONG' }, actions: [{ type: 'open', quantity: '0.5', stopLoss: 95 }] },
      1: { actions: [{ type: 'reduce', fraction: 0.25, reason: 'scale out' }] },
      2: { invalidate: 'changed my mind', actions: [{ type: 'close' }] },
    });
    const { events } = runDetector(detector, { candles: flat(3), symbol: 'X', timeframe: 'min1' });
    expect(names(events)).toEqual([
      'SIGNAL_GENERATED',
      'POSITION_OPEN_REQUEST',
      'POSITION_REDUCE_REQUEST: scale out',
      'SIGNAL_INVALIDATED: changed my mind',
      'POSITION_CLOSE_REQUEST',
    ]);
    expect(events[1]?.payload).toMatchObject({ side: 'LONG', quantity: '0.5', stopLoss: '95' });
    expect(events[2]?.payload).toMatchObject({ fraction: 0.25, signalId: `scripted:X:min1:${T0}` });
    const ids = events
      .filter((e) => e.name.startsWith('DETECTOR_POSITION'))
      .map((e) => (e.payload as { requestId: string }).requestId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('invalidateAll withdraws every live signal', () => {
    const out: DetectorEmission[] = [];
    const runner = createDetectorRunner(scripted({ 1: { signal: { direction: 'LONG' } } }), {
      emit: (e) => out.push(e),
    });
    for (const symbol of ['A', 'B']) flat(2).forEach((c) => runner.onCandle(c, { symbol, timeframe: 'min1' }));
    runner.invalidateAll('detector blocked');
    expect(out.filter((e) => e.name === 'DETECTOR_SIGNAL_INVALIDATED').map((e) => e.payload)).toEqual([
      { detectorKey: 'scripted', signalId: `scripted:A:min1:${T0 + MIN}`, symbol: 'A', reason: 'detector blocked' },
      { detectorKey: 'scripted', signalId: `scripted:B:min1:${T0 + MIN}`, symbol: 'B', reason: 'detector blocked' },
    ]);
  });
});

describe('runner input handling', () => {
  const counting = defineDetector({
    name: 'counting',
    inputs: { symbols: ['BTCUSDT'], timeframes: ['min1'], warmup: 3 },
    params: z.object({ period: z.number().int().min(1).default(2) }),
    setup: (p) => ({ avg: sma(p.period) }),
    evaluate: (ctx) => (ctx.barIndex === 3 && ctx.values.avg > 0 ? { direction: 'LONG' } : null),
  });

  it('skips unclosed, foreign, stale candles; resets and warms up again after a gap', () => {
    const out: DetectorEmission[] = [];
    const runner = createDetectorRunner(counting, { emit: (e) => out.push(e) });
    const list = flat(4);
    const [a, b, c, d] = [must(list[0]), must(list[1]), must(list[2]), must(list[3])];
    const src = { symbol: 'BTCUSDT', timeframe: 'min1' as const };
    expect(runner.onCandle({ ...a, closed: false }, src)).toBe('ignored');
    expect(runner.onCandle(a, { ...src, symbol: 'ETHUSDT' })).toBe('ignored');
    expect(runner.onCandle(a, { ...src, timeframe: 'h1' })).toBe('ignored');
    expect(runner.onCandle(a, src)).toBe('warming');
    expect(runner.onCandle(a, src)).toBe('stale');
    expect(runner.onCandle(b, src)).toBe('warming');
    expect(runner.onCandle(d, src)).toBe('warming'); // c is missing: state dropped
    expect(runner.snapshot('BTCUSDT', 'min1')).toMatchObject({ bars: 1, ready: false });
    expect(runner.onCandle(c, src)).toBe('stale');
    expect(out).toEqual([]);
  });

  it('with onGap defer leaves the stream untouched at a hole, takes the missing bars, and bridges on request', () => {
    const runner = createDetectorRunner(counting, { emit: ignore, onGap: 'defer' });
    const list = flat(6);
    const at = (i: number): Bar => must(list[i]);
    const [a, b, c, d, e, f] = [at(0), at(1), at(2), at(3), at(4), at(5)];
    const src = { symbol: 'BTCUSDT', timeframe: 'min1' as const };
    for (const bar of [a, b]) runner.onCandle(bar, src);
    expect(runner.onCandle(d, src)).toBe('gap');
    expect(runner.snapshot('BTCUSDT', 'min1')).toMatchObject({ bars: 2, lastTime: b.time });
    // The host found c: the stream goes on whole.
    runner.onCandle(c, src);
    runner.onCandle(d, src);
    expect(runner.snapshot('BTCUSDT', 'min1')).toMatchObject({ bars: 4, ready: true });
    // e can not be found anywhere: bridged, the state is kept.
    expect(runner.onCandle(f, src)).toBe('gap');
    runner.onCandle(f, { ...src, bridge: true });
    expect(runner.snapshot('BTCUSDT', 'min1')).toMatchObject({ bars: 5, lastTime: f.time });
    expect(runner.onCandle(e, src)).toBe('stale');
  });

  it("invalidates one stream's live signal and leaves the others", () => {
    const out: DetectorEmission[] = [];
    const always = defineDetector({
      name: 'always',
      version: '1',
      inputs: { timeframes: ['min1'] },
      evaluate: () => ({ direction: 'LONG' }),
    });
    const runner = createDetectorRunner(always, { emit: (e) => out.push(e) });
    const bar = must(flat(1)[0]);
    runner.onCandle(bar, { symbol: 'BTCUSDT', timeframe: 'min1' });
    runner.onCandle(bar, { symbol: 'ETHUSDT', timeframe: 'min1' });
    expect(runner.invalidate('BTCUSDT', 'min1', 'data gap')).toBe(true);
    expect(runner.invalidate('BTCUSDT', 'min1', 'data gap')).toBe(false);
    expect(runner.invalidate('SOLUSDT', 'min1', 'data gap')).toBe(false);
    expect(out.filter((e) => e.name === 'DETECTOR_SIGNAL_INVALIDATED').map((e) => e.payload)).toEqual([
      expect.objectContaining({ symbol: 'BTCUSDT', reason: 'data gap' }),
    ]);
    expect(runner.snapshot('ETHUSDT', 'min1')?.signal).toBeDefined();
  });

  it('isolates a throwing detector: reported, nothing emitted, next bar runs', () => {
    const detector = scripted({
      1: () => {
        throw new Error('boom');
      },
      2: { signal: { direction: 'SHORT' } },
    });
    const { events, errors } = runDetector(detector, { candles: flat(3), symbol: 'X', timeframe: 'min1' });
    expect(errors).toEqual([new Error('boom')]);
    expect(names(events)).toEqual(['SIGNAL_GENERATED']);
  });

  it('validates params and names the offending field', () => {
    expect(() => createDetectorRunner(counting, { params: { period: 0 }, emit: ignore })).toThrow(DetectorParamsError);
    try {
      createDetectorRunner(counting, { params: { period: 'x' }, emit: ignore });
    } catch (error) {
      expect((error as DetectorParamsError).issues).toEqual([{ path: 'period', message: expect.any(String) }]);
    }
    const runner = createDetectorRunner(counting, { emit: ignore });
    expect(runner.params).toEqual({ period: 2 });
    expect(runner.updateParams({ period: 5 })).toEqual({ period: 5 });
    expect(() => runner.updateParams({ period: -1 })).toThrow(/period/);
    expect(runner.params).toEqual({ period: 5 });
  });

  it('feeds trades to trade indicators and exposes order book and last trade', () => {
    const seen: unknown[] = [];
    const detector = defineDetector({
      name: 'flow',
      inputs: { timeframes: ['min1'], trades: true, orderBook: true },
      setup: () => ({ flow: tradeVolumeDelta(60_000) }),
      evaluate: (ctx) => {
        seen.push({ delta: ctx.values.flow.delta, book: ctx.orderBook?.bestBid, last: ctx.lastTrade?.price });
        return null;
      },
    });
    const runner = createDetectorRunner(detector, { emit: ignore });
    runner.onOrderBook({
      symbol: 'X',
      time: T0,
      bids: [{ price: '99.5', volume: '2' }],
      asks: [{ price: '100.5', volume: 1 }],
    });
    expect(runner.onCandle(must(flat(1)[0]), { symbol: 'X', timeframe: 'min1' })).toBe('warming');
    runner.onTrade({ time: T0 + MIN + 1, price: '100', volume: '3', side: 'LONG' }, { symbol: 'X' });
    runner.onTrade({ time: T0 + MIN + 2, price: 101, volume: 1, side: 'SHORT', symbol: 'X' });
    expect(runner.onCandle(must(flat(2)[1]), { symbol: 'X', timeframe: 'min1' })).toBe('evaluated');
    expect(seen).toEqual([{ delta: 2, book: 99.5, last: 101 }]);
  });

  it('replays identically and accepts CSV input', () => {
    const csv =
      'time,open,high,low,close,volume\n' +
      flat(5)
        .map((b) => [b.time, b.open, b.high, b.low, b.close, b.volume].join(','))
        .join('\n');
    const a = runDetector(counting, { csv, symbol: 'BTCUSDT', timeframe: 'min1' });
    const b = runDetector(counting, { candles: flat(5), symbol: 'BTCUSDT', timeframe: 'min1' });
    expect(a.events).toHaveLength(1);
    expect(a.events).toEqual(b.events);
  });
});
