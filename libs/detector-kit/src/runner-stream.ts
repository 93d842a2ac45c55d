import type { TimeFrame } from '@barfinex/enums';
import type { Bar, TradeTick } from './bar';
import { createContext } from './context';
import type { MutableContext } from './context';
import type { AnyIndicator, Detector, IndicatorSet, OrderBookView, PositionState } from './detector';
import type { LiveSignal, Moment } from './lifecycle';
import type { CandleFeed, FeedSource } from './runner-types';
import { createBarSeries } from './series';
import type { MutableBarSeries } from './series';

/** What a runner knows about one symbol, shared by that symbol's streams. */
export interface SymbolState {
  position: PositionState | undefined;
  book: OrderBookView | undefined;
  trade: TradeTick | undefined;
}

/** One (symbol, time frame) of a runner: its indicators, bars, context and live signal. */
export interface Stream {
  symbol: string;
  timeframe: TimeFrame;
  indicators: IndicatorSet;
  keys: string[];
  /** The same indicators as arrays, so the per-bar loops make no keyed lookups. */
  list: AnyIndicator[];
  candleFed: ((bar: Bar) => unknown)[];
  /** The candle being handled and a prebuilt getter of its moment, for the lifecycle's lazy use. */
  candle: CandleFeed | undefined;
  source: FeedSource;
  momentNow: () => Moment;
  series: MutableBarSeries;
  ctx: MutableContext<unknown, IndicatorSet>;
  bars: number;
  lastTime: number | undefined;
  /** This bar's values and the spare object the next bar writes into (then they swap roles). */
  current: Record<string, unknown>;
  spare: Record<string, unknown>;
  /** Copies every indicator's value into a value object (see swapFor). */
  swap: Swap;
  ready: boolean;
  signal: LiveSignal | undefined;
  symbolState: SymbolState;
}

/** Builds a stream's indicators and context once; the per-bar path then allocates nothing. */
export function buildStream(init: {
  detector: Detector;
  params: Record<string, unknown>;
  history: number;
  base: Pick<Stream, 'symbol' | 'timeframe'>;
  symbolState: SymbolState;
  momentOf: (stream: Stream) => Moment;
}): Stream {
  const { detector, params, base } = init;
  const indicators = detector.setup ? detector.setup(params) : {};
  const series = createBarSeries(init.history);
  const ctx = createContext<unknown, IndicatorSet>({
    params,
    symbol: base.symbol,
    timeframe: base.timeframe,
    series,
    indicators,
  });
  const keys = Object.keys(indicators);
  const list = keys.map((key) => indicators[key] as AnyIndicator);
  const candleFed = list.filter((i) => i.feed === 'candle').map((i) => (i.update as (b: Bar) => unknown).bind(i));
  const stream: Stream = {
    ...base,
    indicators,
    keys,
    list,
    candleFed,
    series,
    ctx,
    bars: 0,
    lastTime: undefined,
    current: emptyValues(keys),
    spare: emptyValues(keys),
    swap: swapFor(keys),
    ready: false,
    signal: undefined,
    symbolState: init.symbolState,
    candle: undefined,
    source: {},
    momentNow: () => init.momentOf(stream),
  };
  return stream;
}

/** Drops all state built from bars (after a gap); the live signal is the caller's to handle. */
export function resetStream(stream: Stream): void {
  for (const indicator of stream.list) indicator.reset();
  stream.series.clear();
  stream.bars = 0;
  stream.current = emptyValues(stream.keys);
  stream.spare = emptyValues(stream.keys);
  stream.ready = false;
}

type Swap = (values: Record<string, unknown>, list: readonly AnyIndicator[]) => boolean;
const swaps = new Map<string, Swap>();

/**
 * A reader specialised to one set of indicator keys: `values.rsi = list[2].value`, … with the key
 * names written into the code, so each store is a plain property store rather than a lookup by a
 * key that changes every iteration (this runs for every indicator on every bar). Keys are
 * embedded as JSON string literals, so any key is safe. Shared by every stream with those keys.
 */
function swapFor(keys: readonly string[]): Swap {
  const id = JSON.stringify(keys);
  let swap = swaps.get(id);
  if (swap === undefined) {
    const lines = keys.map(
      (key, i) => `v = list[${i}].value; values[${JSON.stringify(key)}] = v; if (v === undefined) complete = false;`,
    );
    swap = new Function(
      'values',
      'list',
      `'use strict'; let v; let complete = true; ${lines.join(' ')} return complete;`,
    ) as Swap;
    swaps.set(id, swap);
  }
  return swap;
}

/** Value objects with every key in place (one shape from the first bar on). */
export function emptyValues(keys: readonly string[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const key of keys) values[key] = undefined;
  return values;
}

/**
 * Reads every indicator into the spare value object and makes it `current` (the old current
 * becomes `ctx.prev`): two objects per stream alternate, so no allocation per bar. Detectors run
 * synchronously and the context says "copy what you keep", so this is safe. Returns whether
 * every indicator has a value.
 */
export function swapValues(stream: Stream): boolean {
  const values = stream.spare;
  const complete = stream.swap(values, stream.list);
  stream.ctx.prev = stream.current as never;
  stream.spare = stream.current;
  stream.current = values;
  return complete;
}
