import { Money } from '@barfinex/contracts';
import type { OrderBook, OrderBookLevel, SignalsContext } from '@barfinex/contracts';

export type OrderBookFeatures = NonNullable<SignalsContext['orderBook']>;
export type OrderFlowFeatures = SignalsContext['orderFlow'];

export interface FlowTrade {
  time: number;
  price: string;
  volume: string;
  side: 'LONG' | 'SHORT';
}

const SHORT_WINDOW_SEC = 10;
const LONG_WINDOW_SEC = 180;
const WALLS = 3;

const sum = (levels: readonly OrderBookLevel[]) => levels.reduce((acc, l) => acc.plus(l.volume), new Money(0));

function walls(levels: readonly OrderBookLevel[]) {
  const top = [...levels].sort((a, b) => new Money(b.volume).cmp(a.volume)).slice(0, WALLS);
  const usd = top.reduce((acc, l) => acc.plus(new Money(l.price).times(l.volume)), new Money(0));
  return { levels: top.map((l) => ({ price: l.price, volume: l.volume })), usd: usd.toFixed() };
}

/** Imbalance, spread and the three biggest levels per side of one depth snapshot. */
export function orderBookFeatures(book: OrderBook): OrderBookFeatures {
  const bidVol = sum(book.bids);
  const askVol = sum(book.asks);
  const bestBid = book.bids[0]?.price;
  const bestAsk = book.asks[0]?.price;
  const mid = bestBid !== undefined && bestAsk !== undefined ? new Money(bestBid).plus(bestAsk).div(2) : undefined;
  const spread = bestBid !== undefined && bestAsk !== undefined ? new Money(bestAsk).minus(bestBid) : undefined;
  const bid = walls(book.bids);
  const ask = walls(book.asks);
  return {
    snapshotKey: `${book.time}:${bestBid ?? '-'}:${bestAsk ?? '-'}`,
    depth: Math.max(book.bids.length, book.asks.length),
    imbalance: askVol.isZero() ? null : bidVol.div(askVol).toDecimalPlaces(6).toNumber(),
    bestBid: bestBid ?? null,
    bestAsk: bestAsk ?? null,
    mid: mid?.toFixed() ?? null,
    spread: spread?.toFixed() ?? null,
    spreadPct: mid && spread && !mid.isZero() ? spread.div(mid).times(100).toDecimalPlaces(6).toNumber() : null,
    bidWallUsd: bid.usd,
    askWallUsd: ask.usd,
    walls: { bid: bid.levels, ask: ask.levels },
  };
}

function ratio(trades: readonly FlowTrade[]): number {
  let buy = new Money(0);
  let total = new Money(0);
  for (const t of trades) {
    total = total.plus(t.volume);
    if (t.side === 'LONG') buy = buy.plus(t.volume);
  }
  return total.isZero() ? 0.5 : buy.div(total).toNumber();
}

/** Aggression and absorption over the latest trades (any order in; windows end at the newest trade). */
export function orderFlowFeatures(trades: readonly FlowTrade[]): OrderFlowFeatures {
  let buy = new Money(0);
  let sell = new Money(0);
  let notional = new Money(0);
  let max = new Money(0);
  let newest = 0;
  for (const t of trades) {
    const v = new Money(t.volume);
    if (t.side === 'LONG') buy = buy.plus(v);
    else sell = sell.plus(v);
    notional = notional.plus(v.times(t.price));
    if (v.gt(max)) max = v;
    if (t.time > newest) newest = t.time;
  }
  const total = buy.plus(sell);
  const within = (sec: number) => trades.filter((t) => t.time > newest - sec * 1000);
  const delta = buy.minus(sell);
  return {
    shortWindowSec: SHORT_WINDOW_SEC,
    longWindowSec: LONG_WINDOW_SEC,
    tradeCount: trades.length,
    buyVolume: buy.toFixed(),
    sellVolume: sell.toFixed(),
    delta: delta.toFixed(),
    cvd: delta.toFixed(),
    deltaRatio: total.isZero() ? 0.5 : buy.div(total).toNumber(),
    absorptionScore: Math.abs(ratio(within(SHORT_WINDOW_SEC)) - ratio(within(LONG_WINDOW_SEC))),
    avgTradeSize: trades.length ? total.div(trades.length).toFixed() : '0',
    maxTradeSize: max.toFixed(),
    vwap: total.isZero() ? null : notional.div(total).toFixed(),
  };
}

/** Reference rule: FULL at 30+ daily bars, INTRADAY at 7+, FAST at 1+. */
export function maturityOf(dailyBars: number): SignalsContext['dataContext']['maturity'] {
  return dailyBars >= 30 ? 'FULL' : dailyBars >= 7 ? 'INTRADAY' : dailyBars >= 1 ? 'FAST' : 'INSUFFICIENT';
}
