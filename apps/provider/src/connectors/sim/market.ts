import { TradeSide } from '@barfinex/enums';
import { bookView, touch } from './book';
import { Dec, floorToStep, isMultipleOf, maxDec, parseDecimal, str } from './decimal';
import { safeCall } from './emit';
import { SimErrorCode, reject } from './errors';
import { onPrint } from './print';
import type { Engine, MarketState, PathPoint, SymbolState } from './state';
import { recordTrade, tickerView } from './ticker';
import { checkPrice } from './validate';

const YEAR_MS = 365.25 * 86_400_000;
/** Scripted points one symbol may have waiting, over every push. */
export const MAX_QUEUED_POINTS = 100_000;

function symbolFor(engine: Engine, symbol: string): SymbolState {
  const sym = engine.bySymbol.get(symbol);
  if (sym === undefined) reject(SimErrorCode.UNKNOWN_SYMBOL, `symbol ${JSON.stringify(symbol)} is not simulated`);
  return sym;
}

function nextEventAt(sym: SymbolState): number {
  const head = sym.path[0];
  return head === undefined ? sym.nextTickAt : head.at;
}

/**
 * Time the clock moved on its own (a restart resuming at wall time, a skip) is not replayed: the
 * walk continues on its tick grid from now, and a scripted path still waiting is shifted so its
 * next point is due now. Called before every market operation, so nothing ever fires a burst of
 * overdue ticks.
 */
export function rebase(engine: Engine): void {
  const now = engine.clock.now();
  const tickMs = engine.cfg.tickMs;
  for (const sym of engine.symbols) {
    if (sym.nextTickAt <= now) sym.nextTickAt += (Math.floor((now - sym.nextTickAt) / tickMs) + 1) * tickMs;
    const head = sym.path[0];
    if (head !== undefined && head.at < now) {
      const shift = now - head.at;
      for (const point of sym.path) point.at += shift;
    }
  }
}

/**
 * Moves simulated time to `target`, replaying every market event due on the way in time order
 * (ties: configured symbol order). Events sit on absolute times, so step(500) twice and
 * step(1000) once produce the same market. With `maxEvents`, stops early once that many events
 * ran and every event at the clock's current time is done (so the next call, after its rebase,
 * misses none), and returns false; true when the clock reached `target`.
 */
export function advanceTo(engine: Engine, target: number, maxEvents = Number.POSITIVE_INFINITY): boolean {
  rebase(engine);
  let budget = maxEvents;
  for (;;) {
    let due: SymbolState | null = null;
    let dueAt = Number.POSITIVE_INFINITY;
    for (const sym of engine.symbols) {
      const at = nextEventAt(sym);
      if (at < dueAt) {
        dueAt = at;
        due = sym;
      }
    }
    if (due === null || dueAt > target) break;
    if (dueAt > engine.clock.now()) {
      if (budget <= 0) return false;
      engine.clock.set(dueAt);
    }
    budget--;
    const point = due.path.shift();
    if (point === undefined) {
      gbmTick(engine, due);
      due.nextTickAt += engine.cfg.tickMs;
    } else {
      scriptedPrint(engine, due, point.price, point.volume);
      // A scripted path replaces the random walk; the walk resumes one tick after its last point.
      due.nextTickAt = engine.clock.now() + engine.cfg.tickMs;
    }
  }
  if (target > engine.clock.now()) engine.clock.set(target);
  return true;
}

/**
 * One slice of a long step: at most `maxEvents` market events towards `target`, with each
 * touched market's book and ticker reported once, at the end of the slice. Returns true when the
 * clock reached `target`. The caller yields between slices, so a step of days neither blocks the
 * process nor piles up undelivered events.
 */
export function advanceSlice(engine: Engine, target: number, maxEvents: number): boolean {
  const deferred = new Set<MarketState>();
  engine.deferredMarketData = deferred;
  let done: boolean;
  try {
    done = advanceTo(engine, target, maxEvents);
  } finally {
    engine.deferredMarketData = null;
  }
  for (const ms of deferred) emitMarketData(engine, ms);
  return done;
}

/**
 * One random-walk step: a GBM move of the symbol's price (annual drift and volatility, exact
 * lognormal step over tickMs), then per market 1..maxTradesPerTick trades at the new best bid
 * (seller aggressor) or ask (buyer aggressor), exponential sizes around tradeSize. The draw
 * order is fixed and independent of user orders, so the market path depends on the seed only.
 */
function gbmTick(engine: Engine, sym: SymbolState): void {
  const { cfg } = engine;
  const spec = sym.spec;
  const dt = cfg.tickMs / YEAR_MS;
  const sigma = spec.volatility;
  sym.mid *= Math.exp((spec.drift - (sigma * sigma) / 2) * dt + sigma * Math.sqrt(dt) * sym.rng.normal());
  const ticks = Math.max(1, Math.round(sym.mid / spec.tickSize.toNumber()));
  sym.centre = spec.tickSize.mul(ticks);
  sym.bookSeq++;
  const { bestBid, bestAsk } = touch(engine, sym);
  for (const ms of sym.markets) {
    const count = 1 + Math.floor(sym.rng.next() * cfg.maxTradesPerTick);
    for (let i = 0; i < count; i++) {
      const buy = sym.rng.next() < 0.5;
      const factor = -Math.log(1 - sym.rng.next());
      const volume = maxDec(floorToStep(spec.tradeSize.mul(factor.toFixed(8)), spec.stepSize), spec.minQty);
      const at = buy ? bestAsk : bestBid;
      print(engine, ms, spec.tickSize.mul(at), at, volume, buy ? TradeSide.LONG : TradeSide.SHORT, false, volume);
    }
    emitMarketData(engine, ms);
  }
}

/** A scripted price: the book recentres on it and one trade prints there on every market. */
function scriptedPrint(engine: Engine, sym: SymbolState, price: Dec, volume: Dec | null): void {
  const spec = sym.spec;
  sym.mid = price.toNumber();
  sym.centre = price;
  sym.bookSeq++;
  const ticks = price.div(spec.tickSize).toNumber();
  const printed = volume ?? maxDec(floorToStep(spec.tradeSize, spec.stepSize), spec.minQty);
  for (const ms of sym.markets) {
    const side = price.gte(ms.lastPrice) ? TradeSide.LONG : TradeSide.SHORT;
    print(engine, ms, price, ticks, printed, side, true, volume);
    emitMarketData(engine, ms);
  }
}

function print(
  engine: Engine,
  ms: MarketState,
  price: Dec,
  ticks: number,
  volume: Dec,
  side: TradeSide,
  scripted: boolean,
  liquidity: Dec | null,
): void {
  const trade = recordTrade(engine, ms, { price, ticks, volume, side, scripted });
  safeCall(engine.sink, engine.sink.onTrade, trade);
  onPrint(engine, ms, ticks, liquidity);
}

function emitMarketData(engine: Engine, ms: MarketState): void {
  if (engine.deferredMarketData !== null) {
    engine.deferredMarketData.add(ms);
    return;
  }
  const { sink } = engine;
  if (sink.onBook !== undefined) safeCall(sink, sink.onBook, bookView(engine, ms, engine.cfg.bookLevels));
  if (sink.onTicker !== undefined) safeCall(sink, sink.onTicker, tickerView(engine, ms));
}

/**
 * A scripted price obeys the same filters as an order's: on the tick grid and within
 * [minPrice, maxPrice]. A print outside them would become the last price, the 24 h high and a
 * stored snapshot that no longer validates.
 */
function scriptPrice(sym: SymbolState, value: unknown, field: string): Dec {
  const price = parseDecimal(value);
  if (price === undefined || !price.gt(0)) {
    reject(SimErrorCode.PRICE_FILTER, `${field} must be a positive decimal, got ${JSON.stringify(value)}`, { field });
  }
  checkPrice(sym.spec, price, field);
  return price;
}

function scriptVolume(sym: SymbolState, value: unknown): Dec | null {
  if (value === undefined || value === null) return null;
  const volume = parseDecimal(value);
  if (volume === undefined || !volume.gt(0) || !isMultipleOf(volume, sym.spec.stepSize)) {
    reject(
      SimErrorCode.INVALID_ARGUMENT,
      `volume must be a positive multiple of the step size ${str(sym.spec.stepSize)}, got ${JSON.stringify(value)}`,
    );
  }
  return volume;
}

export interface ScriptedPrintOptions {
  /** Size of the print; it is also the liquidity resting orders share. Default: a sweep that fills every order it crosses. */
  volume?: string | number;
}

/** Prints a trade at `price` now: resting orders it crosses fill, stops it reaches fire. */
export function setPrice(
  engine: Engine,
  symbol: string,
  price: string | number,
  options: ScriptedPrintOptions = {},
): void {
  const sym = symbolFor(engine, symbol);
  const value = scriptPrice(sym, price, 'price');
  const volume = scriptVolume(sym, options.volume);
  rebase(engine);
  scriptedPrint(engine, sym, value, volume);
  sym.nextTickAt = Math.max(sym.nextTickAt, engine.clock.now() + engine.cfg.tickMs);
}

export type PricePathPoint = string | number | { price: string | number; volume?: string | number };

export interface PricePathOptions {
  /** Time between points; the first point is due one interval after the last queued one (or now). */
  intervalMs?: number;
}

/** Queues prices that subsequent steps print instead of the random walk. */
export function pushPricePath(
  engine: Engine,
  symbol: string,
  points: readonly PricePathPoint[],
  options: PricePathOptions = {},
): void {
  const sym = symbolFor(engine, symbol);
  const interval = options.intervalMs ?? engine.cfg.tickMs;
  if (!Number.isInteger(interval) || interval < 1)
    reject(SimErrorCode.INVALID_ARGUMENT, `intervalMs must be a positive integer, got ${interval}`);
  if (!Array.isArray(points) || points.length === 0 || points.length > MAX_QUEUED_POINTS)
    reject(SimErrorCode.INVALID_ARGUMENT, `prices must be a non-empty array of at most ${MAX_QUEUED_POINTS} points`);
  // The queue lives in memory and in every stored core part: repeated pushes must not grow it without end.
  if (sym.path.length + points.length > MAX_QUEUED_POINTS)
    reject(
      SimErrorCode.INVALID_ARGUMENT,
      `${symbol} has ${sym.path.length} path points queued; at most ${MAX_QUEUED_POINTS} may wait (clear the path or step through it first)`,
      { field: 'prices', queued: sym.path.length },
    );
  rebase(engine);
  const queued: PathPoint[] = [];
  let at = Math.max(engine.clock.now(), sym.path[sym.path.length - 1]?.at ?? Number.NEGATIVE_INFINITY);
  points.forEach((point, i) => {
    at += interval;
    const raw = typeof point === 'object' && point !== null ? point : { price: point };
    queued.push({ at, price: scriptPrice(sym, raw.price, `prices[${i}]`), volume: scriptVolume(sym, raw.volume) });
  });
  sym.path.push(...queued);
}

export function clearPricePath(engine: Engine, symbol: string): number {
  const sym = symbolFor(engine, symbol);
  const dropped = sym.path.length;
  sym.path = [];
  // Time may have passed while the path held the walk; the walk resumes from now, not in a catch-up burst.
  sym.nextTickAt = Math.max(sym.nextTickAt, engine.clock.now() + engine.cfg.tickMs);
  return dropped;
}
