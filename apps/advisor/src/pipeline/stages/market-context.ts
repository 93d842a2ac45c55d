import { z } from 'zod';
import { Money, TimeFrameSchema } from '@barfinex/contracts';
import type { MarketData, NumericBar, StageOutcome, TradeIdea } from '../types';

export const MarketContextConfigSchema = z
  .object({
    interval: TimeFrameSchema.exclude(['month']).default('min1'),
    /** Bars fetched per decision; scoring and regime read from the same window. */
    candles: z.number().int().min(10).max(1000).default(120),
    orderBookDepth: z.number().int().min(1).max(500).default(20),
  })
  .strict();
export type MarketContextConfig = z.output<typeof MarketContextConfigSchema>;

export interface MarketView {
  bars: NumericBar[];
  lastBarTime?: number;
  bestBid?: Money;
  bestAsk?: Money;
  mid?: Money;
  /** Spread in percent of the mid, exact. */
  spreadPct?: Money;
  /** Ticker price, else the last close: the reference when a signal has no entry. */
  lastPrice?: Money;
}

function bestLevel(levels: readonly { price: string }[] | undefined, side: 'bid' | 'ask'): Money | undefined {
  let best: Money | undefined;
  for (const level of levels ?? []) {
    const price = new Money(level.price);
    if (best === undefined || (side === 'bid' ? price.gt(best) : price.lt(best))) best = price;
  }
  return best;
}

/** Turns the fetched data into the view later stages read; fails only when there is nothing to judge. */
export function marketContextStage(data: MarketData, idea: TradeIdea): StageOutcome<MarketView> {
  const sorted = [...data.candles].filter((c) => c.symbol === idea.symbol).sort((a, b) => a.time - b.time);
  const bars: NumericBar[] = sorted.map((c) => ({
    time: c.time,
    open: Number(c.open),
    high: Number(c.high),
    low: Number(c.low),
    close: Number(c.close),
    volume: Number(c.volume),
  }));
  const view: MarketView = { bars };
  const last = sorted.at(-1);
  if (last) view.lastBarTime = last.time;
  const bid = bestLevel(data.orderBook?.bids, 'bid');
  const ask = bestLevel(data.orderBook?.asks, 'ask');
  if (bid) view.bestBid = bid;
  if (ask) view.bestAsk = ask;
  if (bid && ask) {
    view.mid = bid.plus(ask).div(2);
    view.spreadPct = ask.minus(bid).times(100).div(view.mid);
  }
  const lastPrice = data.lastPrice ?? last?.close;
  if (lastPrice !== undefined) view.lastPrice = new Money(lastPrice);
  const problems = data.errors.length > 0 ? `; unavailable: ${data.errors.join('; ')}` : '';
  if (bars.length === 0)
    return { passed: false, reason: `no ${data.interval} candles for ${idea.symbol}${problems}`, data: view };
  return {
    passed: true,
    reason: `${bars.length} ${data.interval} candles${view.spreadPct ? `, spread ${view.spreadPct.toSignificantDigits(4).toString()}%` : ', no order book'}${problems}`,
    data: view,
  };
}
