import { TradeSide } from '@barfinex/enums';
import { Dec, ZERO, money8, str } from './decimal';
import { touchMarket } from './state';
import type { Engine, MarketState, TickerBucket, TickerState } from './state';
import type { SimTicker, SimTrade } from './types';

export const DAY_MS = 86_400_000;

export function emptyTicker(): TickerState {
  return { buckets: [], volume: ZERO, quote: ZERO, count: 0 };
}

/**
 * Records a market trade: assigns its id, updates last price, the rolling 24 h buckets and the
 * recent-trades ring. The window slides by whole buckets (`tickerBucketMs`), which keeps the
 * running sums exact (add on entry, subtract on eviction) and the snapshot small.
 */
export function recordTrade(
  engine: Engine,
  ms: MarketState,
  trade: { price: Dec; ticks: number; volume: Dec; side: TradeSide; scripted: boolean },
): SimTrade {
  const now = engine.clock.now();
  const id = ++ms.tradeSeq;
  touchMarket(engine, ms);
  const quote = trade.price.mul(trade.volume);
  ms.lastPrice = trade.price;
  ms.lastTicks = trade.ticks;
  const t = ms.ticker;
  const start = now - (now % engine.cfg.tickerBucketMs);
  let bucket = t.buckets[t.buckets.length - 1];
  if (bucket === undefined || bucket.start !== start) {
    bucket = {
      start,
      openTicks: trade.ticks,
      highTicks: trade.ticks,
      lowTicks: trade.ticks,
      volume: ZERO,
      quote: ZERO,
      count: 0,
      firstId: id,
      lastId: id,
    };
    t.buckets.push(bucket);
  }
  if (trade.ticks > bucket.highTicks) bucket.highTicks = trade.ticks;
  if (trade.ticks < bucket.lowTicks) bucket.lowTicks = trade.ticks;
  bucket.volume = bucket.volume.plus(trade.volume);
  bucket.quote = bucket.quote.plus(quote);
  bucket.count++;
  bucket.lastId = id;
  t.volume = t.volume.plus(trade.volume);
  t.quote = t.quote.plus(quote);
  t.count++;
  evict(engine, ms, now);
  const view: SimTrade = {
    id,
    connectorType: 'sim',
    marketType: ms.marketType,
    symbol: ms.spec.symbol,
    price: str(trade.price),
    volume: str(trade.volume),
    quoteVolume: str(quote),
    side: trade.side,
    isBuyerMaker: trade.side === TradeSide.SHORT,
    scripted: trade.scripted,
    time: now,
  };
  const limit = engine.cfg.recentTradesLimit;
  ms.recentTrades.push(view);
  if (ms.recentTrades.length >= limit * 2) ms.recentTrades.splice(0, ms.recentTrades.length - limit);
  return view;
}

function evict(engine: Engine, ms: MarketState, now: number): void {
  const t = ms.ticker;
  const horizon = now - DAY_MS;
  let drop = 0;
  while (drop < t.buckets.length) {
    const b = t.buckets[drop] as TickerBucket;
    if (b.start + engine.cfg.tickerBucketMs > horizon) break;
    t.volume = t.volume.minus(b.volume);
    t.quote = t.quote.minus(b.quote);
    t.count -= b.count;
    drop++;
  }
  if (drop > 0) {
    t.buckets.splice(0, drop);
    // The window slid: the stored market part must follow.
    touchMarket(engine, ms);
  }
}

export function recentTrades(engine: Engine, ms: MarketState, limit: number): SimTrade[] {
  const n = Math.min(Math.max(0, Math.floor(limit)), engine.cfg.recentTradesLimit);
  return n === 0 ? [] : ms.recentTrades.slice(-n);
}

export function tickerView(engine: Engine, ms: MarketState): SimTicker {
  const now = engine.clock.now();
  const t = ms.ticker;
  evict(engine, ms, now);
  const tick = ms.spec.tickSize;
  const first = t.buckets[0];
  const last = ms.lastPrice;
  let high = ms.lastTicks;
  let low = ms.lastTicks;
  for (const b of t.buckets) {
    if (b.highTicks > high) high = b.highTicks;
    if (b.lowTicks < low) low = b.lowTicks;
  }
  const open = first === undefined ? last : tick.mul(first.openTicks);
  if (first === undefined) {
    high = ms.lastTicks;
    low = ms.lastTicks;
  }
  const change = last.minus(open);
  return {
    connectorType: 'sim',
    marketType: ms.marketType,
    e: '24hrTicker',
    E: now,
    s: ms.spec.symbol,
    p: str(change),
    P: str(open.isZero() ? ZERO : change.div(open).mul(100).toDecimalPlaces(3)),
    o: str(open),
    h: str(tick.mul(high)),
    l: str(tick.mul(low)),
    c: str(last),
    w: str(t.volume.isZero() ? last : money8(t.quote.div(t.volume))),
    v: str(t.volume),
    q: str(t.quote),
    O: now - DAY_MS,
    C: now,
    F: first === undefined ? -1 : first.firstId,
    L: first === undefined ? -1 : (t.buckets[t.buckets.length - 1] as TickerBucket).lastId,
    n: t.count,
  };
}
