import { createHash } from 'node:crypto';
import type { Candle, SignalsContext, SignalsContextQuery } from '@barfinex/contracts';
import type { ConnectorType, MarketType, TimeFrame } from '@barfinex/enums';
import { notFound } from '@barfinex/service-kit';
import type { CandlesRepository } from '../candles/candles.repository';
import type { ConnectorRegistry } from '../../connectors/connector-registry';
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
  /** The newest trade prints of a symbol on one connector and market, newest first. */
  recentTrades: (
    market: { connectorType: ConnectorType; marketType: MarketType; symbol: string },
    limit: number,
  ) => Promise<FlowTrade[]>;
  now: () => number;
  ttlMs: number;
}

type Full = Omit<SignalsContext, 'candles'> & {
  candles: { cacheKey: string; d1: Candle[]; h4: Candle[]; h1: Candle[] };
};

/**
 * Everything a decision step needs about one symbol. Built contexts are cached for `ttlMs`, so a
 * burst of callers costs one set of queries; in delta mode unchanged candle arrays are omitted.
 */
export function createSignalsService(deps: SignalsDeps) {
  const cache = new Map<string, { until: number; value: Promise<Full> }>();

  async function build(symbol: string, q: SignalsContextQuery): Promise<Full> {
    const connector = deps.connectors.require(q.connectorType, q.marketType);
    // An instrument list that is still empty (a venue still loading) cannot tell a typo from a symbol.
    if (connector.instruments(q.marketType).length > 0 && !connector.instrument(q.marketType, symbol)) {
      throw notFound(`symbol ${symbol} on ${q.connectorType}/${q.marketType}`, {
        symbol,
        connectorType: q.connectorType,
        marketType: q.marketType,
      });
    }
    const series = (interval: TimeFrame) => ({
      connectorType: q.connectorType,
      marketType: q.marketType,
      symbol,
      interval,
    });
    // Windows end at each series' newest stored bar (market time), never at the wall clock.
    const frames = await Promise.all(
      FRAMES.map(async ([, interval, daysKey]) => {
        const days = q[daysKey] as number;
        const last = await deps.candles.lastOpenTime(series(interval));
        const bars =
          last === undefined
            ? []
            : await deps.candles.range(series(interval), last - days * DAY + 1, last, days * 24 + 1);
        return { last: last ?? 0, bars };
      }),
    );
    const [d1, h4, h1] = frames as [(typeof frames)[number], (typeof frames)[number], (typeof frames)[number]];
    // The newest bar is usually still open: its prices move without a new bar, and a client told
    // "unchanged" would keep a stale close.
    const newest = (bars: readonly Candle[]) => {
      const b = bars[bars.length - 1];
      return b ? [b.time, b.open, b.high, b.low, b.close, b.volume, b.closed].join(',') : '-';
    };
    const keySource = [
      q.connectorType,
      q.marketType,
      symbol,
      q.daysD1,
      q.daysH4,
      q.daysH1,
      d1.last,
      h4.last,
      h1.last,
      d1.bars.length,
      h4.bars.length,
      h1.bars.length,
      newest(d1.bars),
      newest(h4.bars),
      newest(h1.bars),
    ].join('|');
    const cacheKey = createHash('sha1').update(keySource).digest('hex').slice(0, 16);
    const book = connector.orderBook(q.marketType, symbol, BOOK_DEPTH);
    const trades = await deps.recentTrades(
      { connectorType: q.connectorType, marketType: q.marketType, symbol },
      FLOW_TRADES,
    );
    return {
      symbol,
      connectorType: q.connectorType,
      marketType: q.marketType,
      generatedAt: deps.now(),
      dataContext: {
        maturity: maturityOf(d1.bars.length),
        windows: { candlesDays: Math.max(1, d1.bars.length), flowMinutes: 3, bookMinutes: 1 },
      },
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
      return {
        ...full,
        candles: unchanged ? { cacheKey: full.candles.cacheKey, unchanged } : { ...full.candles, unchanged },
      };
    },
    cacheSize: () => cache.size,
  };
}

export type SignalsService = ReturnType<typeof createSignalsService>;
