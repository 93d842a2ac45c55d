import { createHash } from 'node:crypto';
import type { Candle, SignalsContext, SignalsContextQuery } from '@barfinex/contracts';
import type { TimeFrame } from '@barfinex/enums';
import type { CandlesRepository } from '../candles/candles.repository';
import type { ConnectorRegistry } from '../connectors/connector-registry';
import type { FlowTrade } from './market-features';
import { maturityOf, orderBookFeatures, orderFlowFeatures } from './market-features';

const DAY = 86_400_000;
const FLOW_TRADES = 400;
const BOOK_DEPTH = 50;
const FRAMES = [
  ['d1', 'day', 'daysD1'],
  ['h4', 'h4', 'daysH4'],
  ['h1', 'h1', 'daysH1'],
] as const satisfies ReadonlyArray<readonly [string, TimeFrame, keyof SignalsContextQuery]>;

export interface SignalsDeps {
  candles: Pick<CandlesRepository, 'range' | 'lastOpenTime'>;
  connectors: ConnectorRegistry;
  /** The newest trade prints of a symbol, newest first. */
  recentTrades: (symbol: string, limit: number) => Promise<FlowTrade[]>;
  now: () => number;
  ttlMs: number;
}

type Full = Omit<SignalsContext, 'candles'> & { candles: { cacheKey: string; d1: Candle[]; h4: Candle[]; h1: Candle[] } };

/**
 * Everything a decision step needs about one symbol. Built contexts are cached for `ttlMs`, so a
 * burst of callers costs one set of queries; in delta mode unchanged candle arrays are omitted.
 */
export function createSignalsService(deps: SignalsDeps) {
  const cache = new Map<string, { until: number; value: Promise<Full> }>();

  async function build(symbol: string, q: SignalsContextQuery): Promise<Full> {
    const connector = deps.connectors.require(q.connectorType, q.marketType);
    const series = (interval: TimeFrame) => ({ connectorType: q.connectorType, marketType: q.marketType, symbol, interval });
    // Windows end at each series' newest stored bar (market time), never at the wall clock.
    const frames = await Promise.all(
      FRAMES.map(async ([, interval, daysKey]) => {
        const days = q[daysKey] as number;
        const last = await deps.candles.lastOpenTime(series(interval));
        const bars = last === undefined ? [] : await deps.candles.range(series(interval), last - days * DAY + 1, last, days * 24 + 1);
        return { last: last ?? 0, bars };
      }),
    );
    const [d1, h4, h1] = frames as [(typeof frames)[number], (typeof frames)[number], (typeof frames)[number]];
    const keySource = [q.connectorType, q.marketType, symbol, q.daysD1, q.daysH4, q.daysH1, d1.last, h4.last, h1.last, d1.bars.length, h4.bars.length, h1.bars.length].join('|');
    const cacheKey = createHash('sha1').update(keySource).digest('hex').slice(0, 16);
    const book = connector.orderBook(q.marketType, symbol, BOOK_DEPTH);
    const trades = await deps.recentTrades(symbol, FLOW_TRADES);
    return {
      symbol,
      connectorType: q.connectorType,
      marketType: q.marketType,
      generatedAt: deps.now(),
      dataContext: { maturity: maturityOf(d1.bars.length), windows: { candlesDays: Math.max(1, d1.bars.length), flowMinutes: 3, bookMinutes: 1 } },
      candles: { cacheKey, d1: d1.bars, h4: h4.bars, h1: h1.bars },
      orderBook: book ? orderBookFeatures(book) : null,
      orderFlow: orderFlowFeatures(trades),
    };
  }

  return {
    async context(symbol: string, q: SignalsContextQuery): Promise<SignalsContext> {
      const key = [q.connectorType, q.marketType, symbol, q.daysD1, q.daysH4, q.daysH1].join('|');
      const at = deps.now();
      let hit = cache.get(key);
      if (!hit || hit.until <= at) {
        for (const [k, v] of cache) if (v.until <= at) cache.delete(k);
        hit = { until: at + deps.ttlMs, value: build(symbol, q) };
        cache.set(key, hit);
        // A failed build must not be served from the cache.
        hit.value.catch(() => cache.delete(key));
      }
      const full = await hit.value;
      const unchanged = q.candlesMode === 'DELTA' && q.candlesKey === full.candles.cacheKey;
      return { ...full, candles: unchanged ? { cacheKey: full.candles.cacheKey, unchanged } : { ...full.candles, unchanged } };
    },
    cacheSize: () => cache.size,
  };
}

export type SignalsService = ReturnType<typeof createSignalsService>;
