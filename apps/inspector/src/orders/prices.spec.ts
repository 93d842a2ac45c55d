import { createMemoryBus } from '@barfinex/bus';
import type { BusConnectionListener } from '@barfinex/bus';
import type { ProviderClient } from '@barfinex/sdk';
import { createPriceFeed } from './prices';

const venue = { connectorType: 'sim', marketType: 'futures', symbol: 'BTCUSDT' } as const;
const ticker = (c: string) => ({
  E: 1,
  s: 'BTCUSDT',
  p: '0',
  P: '0',
  w: c,
  o: c,
  h: c,
  l: c,
  c,
  v: '1',
  q: c,
  O: 0,
  C: 1,
  F: -1,
  L: -1,
  n: 1,
});
const bar = (close: string, interval: 'min1' | 'h1') => ({
  symbol: 'BTCUSDT',
  interval,
  time: 0,
  open: close,
  high: close,
  low: close,
  close,
  volume: '1',
  connectorType: venue.connectorType,
  marketType: venue.marketType,
});

describe('price feed: the inspector prices entries from the bus', () => {
  it('asks the provider only for a symbol the bus has not priced yet, and again after a lost connection', async () => {
    const bus = createMemoryBus();
    const asked: string[] = [];
    const listeners: BusConnectionListener[] = [];
    const provider = {
      market: { ticker: async (m: { symbol: string }) => (asked.push(m.symbol), { c: '100' }) },
    } as unknown as ProviderClient;
    const prices = createPriceFeed({
      bus: { subscribe: bus.subscribe.bind(bus), watchConnection: (l) => (listeners.push(l), () => undefined) },
      provider,
    });
    await prices.start();

    expect(await prices.price(venue)).toBe('100');
    expect(asked).toEqual(['BTCUSDT']);
    await bus.publish('PROVIDER_SYMBOL_PRICES', ticker('101'), venue);
    expect(await prices.price(venue)).toBe('101');
    await bus.publish('PROVIDER_MARKETDATA_CANDLE', bar('102', 'min1'), venue);
    await bus.publish('PROVIDER_MARKETDATA_CANDLE', bar('90', 'h1'), venue);
    expect(await prices.price(venue)).toBe('102');
    expect(asked).toEqual(['BTCUSDT']);

    for (const l of listeners) l({ connected: false, status: bus.status() });
    expect(await prices.price(venue)).toBe('100');
    expect(asked).toEqual(['BTCUSDT', 'BTCUSDT']);
    await prices.stop();
    await bus.close();
  });
});
