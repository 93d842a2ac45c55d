import type { Candle, OrderBook } from '@barfinex/contracts';
import type { ConnectorRegistry } from '../../connectors/connector-registry';
import type { ExchangeConnector } from '../../connectors/connector';
import { maturityOf, orderBookFeatures, orderFlowFeatures } from './market-features';
import { createSignalsService } from './signals.service';

const T0 = Date.UTC(2026, 0, 5);
const book: OrderBook = {
  symbol: 'BTCUSDT',
  time: T0,
  bids: [
    { price: '99', volume: '2' },
    { price: '98', volume: '5' },
    { price: '97', volume: '1' },
    { price: '96', volume: '4' },
  ],
  asks: [
    { price: '101', volume: '1' },
    { price: '102', volume: '3' },
  ],
};

describe('market features', () => {
  it('derives spread, imbalance and walls from a book', () => {
    expect(orderBookFeatures(book)).toMatchObject({
      bestBid: '99',
      bestAsk: '101',
      mid: '100',
      spread: '2',
      spreadPct: 2,
      imbalance: 3,
      walls: {
        bid: [
          { price: '98', volume: '5' },
          { price: '96', volume: '4' },
          { price: '99', volume: '2' },
        ],
      },
      bidWallUsd: '1072',
      askWallUsd: '407',
    });
  });
  it('measures aggression and absorption over the newest trades', () => {
    const flow = orderFlowFeatures([
      { time: T0, price: '100', volume: '3', side: 'LONG' },
      { time: T0 - 60_000, price: '110', volume: '1', side: 'SHORT' },
    ]);
    expect(flow).toMatchObject({
      tradeCount: 2,
      buyVolume: '3',
      sellVolume: '1',
      delta: '2',
      deltaRatio: 0.75,
      vwap: '102.5',
      maxTradeSize: '3',
      avgTradeSize: '2',
    });
    expect(flow.absorptionScore).toBeCloseTo(0.25);
    expect(orderFlowFeatures([])).toMatchObject({ deltaRatio: 0.5, vwap: null, tradeCount: 0 });
    expect([maturityOf(30), maturityOf(7), maturityOf(1), maturityOf(0)]).toEqual([
      'FULL',
      'INTRADAY',
      'FAST',
      'INSUFFICIENT',
    ]);
  });
});

describe('signals context cache', () => {
  const bar = (time: number): Candle =>
    ({ symbol: 'BTCUSDT', interval: 'day', time, open: '1', high: '1', low: '1', close: '1', volume: '1' }) as Candle;
  let clock = T0;
  let lastDay = T0;
  let builds = 0;
  const connector = {
    orderBook: () => book,
    instruments: () => [],
    instrument: () => undefined,
  } as unknown as ExchangeConnector;
  const service = createSignalsService({
    candles: {
      lastOpenTime: async () => lastDay,
      range: async (_s, from, to) => {
        builds += 1;
        return [bar(from), bar(to)];
      },
    },
    connectors: { require: () => connector } as unknown as ConnectorRegistry,
    recentTrades: async () => [],
    now: () => clock,
    ttlMs: 5_000,
  });
  const query = {
    connectorType: 'sim',
    marketType: 'spot',
    daysD1: 30,
    daysH4: 10,
    daysH1: 2,
    candlesMode: 'FULL',
  } as const;

  it('serves one build within the TTL and rebuilds after it', async () => {
    const first = await service.context('BTCUSDT', query);
    expect(builds).toBe(3);
    expect(first.candles.d1).toHaveLength(2);
    expect(first.dataContext.maturity).toBe('FAST');
    clock += 4_999;
    await service.context('BTCUSDT', query);
    expect(builds).toBe(3);
    clock += 1;
    const rebuilt = await service.context('BTCUSDT', query);
    expect(builds).toBe(6);
    expect(rebuilt.candles.cacheKey).toBe(first.candles.cacheKey);
  });

  it('omits candles in delta mode while the key is unchanged', async () => {
    const full = await service.context('BTCUSDT', query);
    const delta = await service.context('BTCUSDT', {
      ...query,
      candlesMode: 'DELTA',
      candlesKey: full.candles.cacheKey,
    });
    expect(delta.candles).toEqual({ cacheKey: full.candles.cacheKey, unchanged: true });
    lastDay += 86_400_000;
    clock += 5_000;
    const moved = await service.context('BTCUSDT', {
      ...query,
      candlesMode: 'DELTA',
      candlesKey: full.candles.cacheKey,
    });
    expect(moved.candles.unchanged).toBe(false);
    expect(moved.candles.cacheKey).not.toBe(full.candles.cacheKey);
    expect(moved.candles.d1).toHaveLength(2);
  });
});

describe('signals context scope', () => {
  const bar = (time: number, close: string): Candle =>
    ({
      symbol: 'BTCUSDT',
      interval: 'day',
      time,
      open: '1',
      high: '9',
      low: '1',
      close,
      volume: '1',
      closed: false,
    }) as Candle;
  const instruments = [{ symbol: 'BTCUSDT' }];
  const connector = {
    orderBook: () => book,
    instruments: () => instruments,
    instrument: (_m: string, s: string) => instruments.find((i) => i.symbol === s),
  } as unknown as ExchangeConnector;
  const query = {
    connectorType: 'sim',
    marketType: 'futures',
    daysD1: 30,
    daysH4: 10,
    daysH1: 2,
    candlesMode: 'FULL',
  } as const;

  it('reads the order flow of the asked connector and market only', async () => {
    const asked: unknown[] = [];
    const service = createSignalsService({
      candles: { lastOpenTime: async () => undefined, range: async () => [] },
      connectors: { require: () => connector } as unknown as ConnectorRegistry,
      recentTrades: async (market) => {
        asked.push(market);
        return [];
      },
      now: () => T0,
      ttlMs: 0,
    });
    await service.context('BTCUSDT', query);
    expect(asked).toEqual([{ connectorType: 'sim', marketType: 'futures', symbol: 'BTCUSDT' }]);
  });

  it('answers 404 for a symbol the connector does not list', async () => {
    const service = createSignalsService({
      candles: { lastOpenTime: async () => undefined, range: async () => [] },
      connectors: { require: () => connector } as unknown as ConnectorRegistry,
      recentTrades: async () => [],
      now: () => T0,
      ttlMs: 0,
    });
    await expect(service.context('NOPEUSDT', query)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('changes the cache key when the open bar moves, so delta mode never hides a new close', async () => {
    let close = '100';
    let clock = T0;
    const service = createSignalsService({
      candles: { lastOpenTime: async () => T0, range: async () => [bar(T0, close)] },
      connectors: { require: () => connector } as unknown as ConnectorRegistry,
      recentTrades: async () => [],
      now: () => clock,
      ttlMs: 1_000,
    });
    const first = await service.context('BTCUSDT', query);
    close = '101';
    clock += 1_000;
    const moved = await service.context('BTCUSDT', {
      ...query,
      candlesMode: 'DELTA',
      candlesKey: first.candles.cacheKey,
    });
    expect(moved.candles.unchanged).toBe(false);
    expect(moved.candles.d1?.[0]?.close).toBe('101');
  });
});
