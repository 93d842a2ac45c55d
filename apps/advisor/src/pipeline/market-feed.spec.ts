import { createMemoryBus } from '@barfinex/bus';
import type { BusConnectionListener, MemoryBus } from '@barfinex/bus';
import type { Candle } from '@barfinex/contracts';
import type { ProviderClient } from '@barfinex/sdk';
import { createMarketFeed } from './market-feed';
import { MarketContextConfigSchema } from './stages/market-context';
import { MINUTE, T0, candleSeries, longIdea, orderBook } from '../testing/fixtures';

const config = MarketContextConfigSchema.parse({ candles: 20 });
const venue = { connectorType: 'sim', marketType: 'futures', symbol: 'BTCUSDT' } as const;

describe('market feed: the advisor listens instead of asking', () => {
  let bus: MemoryBus;
  let clock: number;
  let calls: string[];
  let stored: Candle[];
  let listeners: BusConnectionListener[];

  const feed = () => {
    const provider = {
      candles: { list: async () => (calls.push('candles'), stored) },
      market: {
        orderBook: async () => (calls.push('orderBook'), orderBook('99', '101')),
        ticker: async () => (calls.push('ticker'), { c: '100' }),
      },
    } as unknown as ProviderClient;
    const watched = {
      subscribe: bus.subscribe.bind(bus),
      watchConnection: (l: BusConnectionListener) => (listeners.push(l), () => undefined),
    };
    return createMarketFeed({ bus: watched, provider, now: () => clock });
  };
  const bar = (i: number, close: string, closed = true): Candle => ({
    symbol: 'BTCUSDT',
    interval: 'min1',
    time: T0 + i * MINUTE,
    open: close,
    high: close,
    low: close,
    close,
    volume: '1',
    closed,
    connectorType: 'sim',
    marketType: 'futures',
  });

  beforeEach(() => {
    bus = createMemoryBus();
    clock = T0 + 20 * MINUTE;
    calls = [];
    stored = candleSeries({ count: 20 });
    listeners = [];
  });
  afterEach(() => bus.close());

  it('warms a series up once over REST, then follows candles, books and prices from the bus without asking again', async () => {
    const market = feed();
    await market.start();
    const first = await market.load(longIdea(), config);
    expect(calls.sort()).toEqual(['candles', 'orderBook', 'ticker']);
    expect(first.candles).toHaveLength(20);

    await bus.publish('PROVIDER_MARKETDATA_CANDLE', bar(20, '130'), venue);
    await bus.publish('PROVIDER_MARKETDATA_ORDERBOOK', orderBook('129.5', '130.5'), venue);
    await bus.publish(
      'PROVIDER_SYMBOL_PRICES',
      {
        E: clock,
        s: 'BTCUSDT',
        p: '0',
        P: '0',
        w: '130',
        o: '130',
        h: '130',
        l: '130',
        c: '130',
        v: '1',
        q: '130',
        O: T0,
        C: clock,
        F: -1,
        L: -1,
        n: 1,
      },
      venue,
    );
    clock += MINUTE;
    calls = [];
    const next = await market.load(longIdea(), config);
    expect(calls).toEqual([]);
    expect(next.candles).toHaveLength(20);
    expect(next.candles.at(-1)).toMatchObject({ time: T0 + 20 * MINUTE, close: '130' });
    expect(next.orderBook?.bids[0]?.price).toBe('129.5');
    expect(next.lastPrice).toBe('130');
    await market.stop();
  });

  it('keeps the later copy of a bar: a forming bar never replaces its closed copy', async () => {
    const market = feed();
    await market.start();
    await market.load(longIdea(), config);
    await bus.publish('PROVIDER_MARKETDATA_CANDLE', bar(20, '130'), venue);
    await bus.publish('PROVIDER_MARKETDATA_CANDLE', bar(20, '125', false), venue);
    expect((await market.load(longIdea(), config)).candles.at(-1)).toMatchObject({ close: '130', closed: true });
    await market.stop();
  });

  it('asks again after a gap: bars that should have arrived did not, or the bus connection was lost', async () => {
    const market = feed();
    await market.start();
    await market.load(longIdea(), config);
    clock += 10 * MINUTE;
    stored = candleSeries({ count: 20, start: T0 + 10 * MINUTE });
    calls = [];
    expect((await market.load(longIdea(), config)).candles.at(-1)?.time).toBe(T0 + 29 * MINUTE);
    expect(calls.filter((c) => c === 'candles')).toHaveLength(1);

    await bus.publish('PROVIDER_MARKETDATA_ORDERBOOK', orderBook('129.5', '130.5'), venue);
    for (const l of listeners) l({ connected: false, status: bus.status() });
    calls = [];
    await market.load(longIdea(), config);
    expect(calls.sort()).toEqual(['candles', 'orderBook', 'ticker']);
    await market.stop();
  });
});
