import type { TimeFrame } from '@barfinex/enums';
import { nextTimeFrameStart } from '@barfinex/enums';
import { toBar, toTradeTick } from './bar';
import type { Bar, TradeTick } from './bar';
import { compileRuleScorer, readPartialValues } from './context';
import type { ActiveSignal, Detector, DetectorOutput, IndicatorSet, ParamsSchema, SignalDraft } from './detector';
import { joinId } from './emission';
import { createLifecycle } from './lifecycle';
import { parseDetectorParams } from './params';
import type {
  CandleFeed,
  CandleOutcome,
  DetectorRunner,
  FeedSource,
  RunnerOptions,
  StreamSnapshot,
} from './runner-types';
import type { Moment } from './lifecycle';
import { buildStream, resetStream, swapValues } from './runner-stream';
import type { Stream, SymbolState } from './runner-stream';

const NO_SOURCE: FeedSource = Object.freeze({});
const NO_THRESHOLDS = Object.freeze({ long: Infinity, short: Infinity });
// Bound once: an imported function is otherwise read through the module's exports on every call.
const nextStart = nextTimeFrameStart;

function isDraft(result: DetectorOutput | SignalDraft): result is SignalDraft {
  return 'direction' in result;
}

/** Runs one detector over many (symbol, timeframe) streams, emitting lifecycle events. */
export function createDetectorRunner<P extends ParamsSchema, I extends IndicatorSet>(
  detectorIn: Detector<P, I>,
  options: RunnerOptions,
): DetectorRunner {
  const detector = detectorIn as unknown as Detector;
  let params = parseDetectorParams(detector, options.params);
  const detectorKey = options.detectorKey ?? detector.name;
  const scorer = compileRuleScorer<unknown>(detector.rules ?? []);
  const streams = new Map<string, Stream>();
  // Position, order book and last trade per symbol, in one record a stream holds on to: the
  // per-bar context refresh then reads three fields instead of making three map lookups.
  const symbolStates = new Map<string, SymbolState>();
  const stateOf = (symbol: string): SymbolState => {
    let state = symbolStates.get(symbol);
    if (state === undefined)
      symbolStates.set(symbol, (state = { position: undefined, book: undefined, trade: undefined }));
    return state;
  };
  const warmup = detector.inputs.warmup ?? 0;
  const history = detector.inputs.history ?? Math.max(warmup, 100);
  const symbols =
    detector.inputs.symbols && detector.inputs.symbols.length > 0 ? new Set(detector.inputs.symbols) : undefined;
  const lifecycle = createLifecycle({
    detectorKey,
    strategy: detector.name,
    connectorType: options.connectorType ?? 'sim',
    marketType: options.marketType ?? 'spot',
    priceDecimals: options.priceDecimals ?? 8,
    managePosition: detector.managePosition ?? false,
    defaultExpiry: detector.expires,
    emit: options.emit,
    getPosition: (symbol) => symbolStates.get(symbol)?.position,
    setPosition: (symbol, position) => void (stateOf(symbol).position = position),
  });

  const build = (base: Pick<Stream, 'symbol' | 'timeframe'>): Stream =>
    buildStream({
      detector,
      params,
      history,
      base,
      symbolState: stateOf(base.symbol),
      momentOf: (st) => moment(st, st.candle as CandleFeed, st.source),
    });

  // Streams by symbol then time frame: no key string is built per candle.
  const bySymbol = new Map<string, Map<TimeFrame, Stream>>();
  // The stream of the previous candle: a feed is usually one stream's candles in a row.
  let lastStream: Stream | undefined;
  const streamFor = (symbol: string, timeframe: TimeFrame): Stream | undefined => {
    if (lastStream !== undefined && lastStream.symbol === symbol && lastStream.timeframe === timeframe)
      return lastStream;
    const existing = bySymbol.get(symbol)?.get(timeframe);
    if (existing) return (lastStream = existing);
    if (symbols && !symbols.has(symbol)) return undefined;
    if (!detector.inputs.timeframes.includes(timeframe)) return undefined;
    const stream = build({ symbol, timeframe });
    streams.set(`${symbol}\u0000${timeframe}`, stream);
    let frames = bySymbol.get(symbol);
    if (!frames) bySymbol.set(symbol, (frames = new Map()));
    frames.set(timeframe, stream);
    return stream;
  };

  const run = (stream: Stream): DetectorOutput | undefined => {
    const ctx = stream.ctx;
    if (detector.kind === 'evaluate' && detector.evaluate) {
      const result = detector.evaluate(ctx as never);
      if (!result) return undefined;
      return isDraft(result) ? { signal: result } : result;
    }
    if (stream.signal && detector.invalidate) {
      const hit = detector.invalidate.find((rule) => rule.when(ctx as never, stream.signal as ActiveSignal));
      if (hit) return { invalidate: `rule ${hit.id}` };
    }
    const verdict = scorer(detector.thresholds ?? NO_THRESHOLDS, ctx);
    if (!verdict) return undefined;
    if (!detector.levels) return { signal: verdict };
    const levels = detector.levels(ctx as never, verdict.direction);
    const signal: SignalDraft = Object.assign({}, levels, verdict);
    if (levels.reason) signal.reason = `${verdict.reason}; ${levels.reason}`;
    return { signal };
  };

  const apply = (stream: Stream, output: DetectorOutput, bar: Bar, m: Moment) => {
    if (output.invalidate !== undefined && stream.signal) {
      lifecycle.invalidate(stream.signal, output.invalidate, m, true);
      stream.signal = undefined;
    }
    const draft = output.signal;
    if (draft) {
      if (stream.signal && stream.signal.direction === draft.direction) lifecycle.update(stream.signal, draft, m);
      else {
        if (stream.signal) lifecycle.invalidate(stream.signal, 'opposite signal', m, false);
        stream.signal = lifecycle.generate(draft, bar, m);
      }
    }
    for (const action of output.actions ?? []) lifecycle.act(action, stream.signal, m);
  };

  const onCandle = (candle: CandleFeed, source: FeedSource = NO_SOURCE): CandleOutcome => {
    if (candle.closed === false) return 'ignored';
    const symbol = source.symbol ?? candle.symbol;
    const timeframe = source.timeframe ?? candle.interval;
    if (symbol === undefined || timeframe === undefined)
      throw new TypeError('onCandle needs a symbol and a timeframe (on the candle or in source)');
    const stream = streamFor(symbol, timeframe);
    if (!stream) return 'ignored';
    if (stream.lastTime !== undefined) {
      const expected = nextStart(timeframe, stream.lastTime);
      if (candle.time < expected) return 'stale';
      if (candle.time > expected && options.onGap !== 'continue' && source.bridge !== true) {
        if (options.onGap === 'defer') return 'gap';
        resetStream(stream);
        if (stream.signal) {
          const m = moment(stream, candle, source);
          lifecycle.invalidate(stream.signal, 'data gap', m, false);
          stream.signal = undefined;
        }
      }
    }
    const bar = toBar(candle);
    stream.lastTime = bar.time;
    stream.series.push(bar);
    const fed = stream.candleFed;
    for (let i = 0; i < fed.length; i += 1) (fed[i] as (b: Bar) => unknown)(bar);
    stream.bars += 1;
    stream.candle = candle;
    stream.source = source;
    if (stream.signal && !lifecycle.onBar(stream.signal, bar, stream.momentNow)) stream.signal = undefined;
    const complete = swapValues(stream);
    const ctx = stream.ctx;
    const values = stream.current;
    stream.ready = complete && stream.bars >= warmup;
    if (!stream.ready) return 'warming';
    ctx.params = params;
    ctx.candle = bar;
    ctx.values = values as never;
    const shared = stream.symbolState;
    ctx.position = shared.position;
    ctx.signal = stream.signal;
    ctx.orderBook = shared.book;
    ctx.lastTrade = shared.trade;
    ctx.barIndex = stream.bars - 1;
    let output: DetectorOutput | undefined;
    try {
      output = run(stream);
    } catch (error) {
      options.onError?.(error, { symbol, timeframe });
      return 'error';
    }
    // Built only when something may be emitted: most bars emit nothing.
    if (output) apply(stream, output, bar, moment(stream, candle, source));
    return 'evaluated';
  };

  const moment = (stream: Stream, candle: CandleFeed, source: FeedSource): Moment => ({
    symbol: stream.symbol,
    timeframe: stream.timeframe,
    barTime: candle.time,
    timestamp: options.clock ? options.clock() : (candle.closeTime ?? nextStart(stream.timeframe, candle.time) - 1),
    causationId: source.eventId ?? joinId(['candle', stream.symbol, stream.timeframe, candle.time]),
  });

  const withdraw = (stream: Stream, reason: string, closePosition: boolean): boolean => {
    if (!stream.signal) return false;
    const time = stream.lastTime ?? 0;
    lifecycle.invalidate(
      stream.signal,
      reason,
      moment(stream, { time, open: 0, high: 0, low: 0, close: 0, volume: 0 }, {}),
      closePosition,
    );
    stream.signal = undefined;
    return true;
  };

  const snapshotOf = (s: Stream): StreamSnapshot => ({
    symbol: s.symbol,
    timeframe: s.timeframe,
    bars: s.bars,
    ready: s.ready,
    lastTime: s.lastTime,
    values: readPartialValues(s.indicators, s.keys),
    signal: s.signal ? { ...s.signal } : undefined,
  });

  return {
    detector,
    get params() {
      return params;
    },
    onCandle,
    onTrade(trade, source = {}) {
      const symbol = source.symbol ?? trade.symbol;
      if (symbol === undefined) throw new TypeError('onTrade needs a symbol (on the trade or in source)');
      const tick = toTradeTick(trade);
      stateOf(symbol).trade = tick;
      for (const timeframe of detector.inputs.timeframes) {
        const stream = streamFor(symbol, timeframe);
        if (!stream) continue;
        for (const key of stream.keys) {
          const indicator = stream.indicators[key];
          if (indicator?.feed === 'trade') (indicator.update as (t: TradeTick) => unknown)(tick);
        }
      }
    },
    onOrderBook(book) {
      const sum = (levels: readonly { volume: number | string }[]) =>
        levels.reduce((acc, l) => acc + Number(l.volume), 0);
      const bid = book.bids[0];
      const ask = book.asks[0];
      stateOf(book.symbol).book = {
        time: book.time,
        bestBid: bid ? Number(bid.price) : undefined,
        bestAsk: ask ? Number(ask.price) : undefined,
        bidVolume: sum(book.bids),
        askVolume: sum(book.asks),
      };
    },
    setPosition(symbol, position) {
      stateOf(symbol).position = position ? { ...position, source: 'reported' } : undefined;
    },
    getPosition: (symbol) => symbolStates.get(symbol)?.position,
    updateParams(input) {
      params = parseDetectorParams(detector, input);
      lastStream = undefined;
      for (const [key, stream] of streams) {
        const fresh = build(stream);
        fresh.signal = stream.signal;
        streams.set(key, fresh);
        bySymbol.get(stream.symbol)?.set(stream.timeframe, fresh);
      }
      return params;
    },
    invalidateAll(reason) {
      for (const stream of streams.values()) withdraw(stream, reason, true);
    },
    invalidate(symbol, timeframe, reason) {
      const stream = streams.get(`${symbol}\u0000${timeframe}`);
      // A gap says nothing about the trade, so no close is requested (as on a reset).
      return stream !== undefined && withdraw(stream, reason, false);
    },
    snapshot(symbol, timeframe) {
      const stream = streams.get(`${symbol}\u0000${timeframe}`);
      return stream ? snapshotOf(stream) : undefined;
    },
    snapshots: () => [...streams.values()].map(snapshotOf),
  };
}
