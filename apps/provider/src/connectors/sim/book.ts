import { floorToStep, maxDec, str } from './decimal';
import { hashUnit } from './prng';
import type { BookRow, Engine, MarketState, SymbolState } from './state';
import type { SimOrderBook } from './types';

/**
 * The synthetic book around the symbol's current price. It is a pure function of
 * (centre, bookSeq, market, level), so it is rebuilt lazily, costs nothing when nobody reads it,
 * and needs no snapshot of its own.
 *
 * Shape: the spread is `spreadBps` of the price (at least one tick), split around the centre;
 * levels are `levelStepBps` apart (at least one tick); level i holds
 * bookDepth × (1 + depthGrowth × i) × (1 + depthJitter × (U − 0.5)), rounded down to the step (at least minQty).
 * User orders never deplete it: each price event draws a fresh book, as paper-trading venues do.
 */
export function currentBook(engine: Engine, ms: MarketState): { bids: BookRow[]; asks: BookRow[] } {
  const sym = ms.sym;
  if (ms.book !== null && ms.book.seq === sym.bookSeq) return ms.book;
  const { cfg } = engine;
  const { bestBid, bestAsk, stepTicks } = touch(engine, sym);
  const bids: BookRow[] = [];
  const asks: BookRow[] = [];
  for (let i = 0; i < cfg.bookLevels; i++) {
    asks.push(row(engine, ms, bestAsk + i * stepTicks, i, 1));
    const bidTicks = bestBid - i * stepTicks;
    if (bidTicks >= 1) bids.push(row(engine, ms, bidTicks, i, 0));
  }
  ms.book = { seq: sym.bookSeq, bids, asks };
  return ms.book;
}

/** Best bid/ask in ticks without building the levels (the market simulator's trades print here). */
export function touch(engine: Engine, sym: SymbolState): { bestBid: number; bestAsk: number; stepTicks: number } {
  const { cfg } = engine;
  const tickSize = sym.spec.tickSize;
  const tick = tickSize.toNumber();
  const centreTicks = sym.centre.div(tickSize).round().toNumber();
  const centre = sym.centre.toNumber();
  const spreadTicks = Math.max(1, Math.round((centre * cfg.spreadBps) / 10_000 / tick));
  const stepTicks = Math.max(1, Math.round((centre * cfg.levelStepBps) / 10_000 / tick));
  const below = Math.min(Math.floor(spreadTicks / 2), centreTicks - 1);
  return { bestBid: centreTicks - below, bestAsk: centreTicks + (spreadTicks - below), stepTicks };
}

function row(engine: Engine, ms: MarketState, ticks: number, level: number, side: number): BookRow {
  const spec = ms.spec;
  const u = hashUnit(spec.seedHash, ms.marketIndex * 2 + side, ms.sym.bookSeq, level);
  const factor = (1 + engine.cfg.depthGrowth * level) * (1 + engine.cfg.depthJitter * (u - 0.5));
  const size = maxDec(floorToStep(spec.bookDepth.mul(factor.toFixed(6)), spec.stepSize), spec.minQty);
  return { ticks, price: spec.tickSize.mul(ticks), size };
}

export function bestBidAsk(engine: Engine, ms: MarketState): { bidTicks: number | null; askTicks: number | null } {
  const book = currentBook(engine, ms);
  return { bidTicks: book.bids[0]?.ticks ?? null, askTicks: book.asks[0]?.ticks ?? null };
}

export function bookView(engine: Engine, ms: MarketState, depth: number): SimOrderBook {
  const book = currentBook(engine, ms);
  const n = Math.max(0, Math.floor(depth));
  return {
    connectorType: 'sim',
    marketType: ms.marketType,
    symbol: ms.spec.symbol,
    lastUpdateId: ms.sym.bookSeq,
    time: engine.clock.now(),
    bids: book.bids.slice(0, n).map((r) => ({ price: str(r.price), volume: str(r.size) })),
    asks: book.asks.slice(0, n).map((r) => ({ price: str(r.price), volume: str(r.size) })),
  };
}
