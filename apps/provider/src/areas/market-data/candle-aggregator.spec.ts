import pino from 'pino';
import type { CandleRow, CandlesRepository } from '../candles/candles.repository';
import type { EventPublisher } from '../../bus/publisher';
import { createCandleAggregator } from './candle-aggregator';
import type { LiveCandle } from './candle-aggregator';
import { createMarketDataHub } from './market-data.hub';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0); // a Monday
const base = { connectorType: 'sim', marketType: 'spot', symbol: 'BTCUSDT' } as const;

function collect() {
  const out: LiveCandle[] = [];
  const agg = createCandleAggregator({
    intervals: ['min1', 'min5', 'week', 'month'],
    onCandles: (c) => out.push(...c),
  });
  return { agg, out };
}

describe('candle aggregator', () => {
  it('builds OHLCV exactly from trades', () => {
    const { agg } = collect();
    agg.addTrade({ ...base, time: T0 + 1_000, price: '100.1', volume: '0.1' });
    agg.addTrade({ ...base, time: T0 + 2_000, price: '101.2', volume: '0.2' });
    agg.addTrade({ ...base, time: T0 + 3_000, price: '99.7', volume: '0.3' });
    const bar = agg.current('sim', 'spot', 'BTCUSDT', 'min1');
    expect(bar?.openTime).toBe(T0);
    expect(bar?.closeTime).toBe(T0 + 59_999);
    expect([bar?.open.toString(), bar?.high.toString(), bar?.low.toString(), bar?.close.toString()]).toEqual([
      '100.1',
      '101.2',
      '99.7',
      '99.7',
    ]);
    expect(bar?.volume.toString()).toBe('0.6');
    expect(bar?.trades).toBe(3);
  });

  it('closes a bar when the next period starts and fills empty periods with flat bars', () => {
    const { agg, out } = collect();
    agg.addTrade({ ...base, time: T0 + 1_000, price: '100', volume: '1' });
    agg.addTrade({ ...base, time: T0 + 3 * 60_000 + 5, price: '105', volume: '2' });
    agg.flush(T0 + 3 * 60_000 + 10);
    const minuteBars = out.filter((c) => c.interval === 'min1');
    expect(minuteBars.map((c) => [c.openTime - T0, c.closed, c.close.toString(), c.volume.toString()])).toEqual([
      [0, true, '100', '1'],
      [60_000, true, '100', '0'],
      [120_000, true, '100', '0'],
      [180_000, false, '105', '2'],
    ]);
    const five = out.filter((c) => c.interval === 'min5');
    expect(five).toHaveLength(1);
    expect(five[0]?.high.toString()).toBe('105');
  });

  it('aligns week and month bars to the calendar', () => {
    const { agg } = collect();
    agg.addTrade({ ...base, time: T0, price: '1', volume: '1' });
    expect(agg.current('sim', 'spot', 'BTCUSDT', 'week')?.openTime).toBe(Date.UTC(2026, 0, 5));
    expect(agg.current('sim', 'spot', 'BTCUSDT', 'month')?.openTime).toBe(Date.UTC(2026, 0, 1));
    expect(agg.current('sim', 'spot', 'BTCUSDT', 'month')?.closeTime).toBe(Date.UTC(2026, 1, 1) - 1);
  });

  it('closes quiet series on flush and ignores late trades', () => {
    const { agg, out } = collect();
    agg.addTrade({ ...base, time: T0 + 10, price: '100', volume: '1' });
    agg.flush(T0 + 60_000);
    expect(out.find((c) => c.interval === 'min1' && c.openTime === T0)?.closed).toBe(true);
    agg.addTrade({ ...base, time: T0 + 20, price: '1', volume: '1' });
    expect(agg.lateTrades()).toBe(1);
    expect(agg.current('sim', 'spot', 'BTCUSDT', 'min1')?.low.toString()).toBe('100');
  });

  it('reports only touched bars between flushes', () => {
    const { agg, out } = collect();
    agg.addTrade({ ...base, time: T0 + 10, price: '100', volume: '1' });
    agg.flush(T0 + 20);
    const n = out.length;
    agg.flush(T0 + 30);
    expect(out.length).toBe(n);
  });
});

describe('market data hub', () => {
  it("closes each connector's bars by its own market clock, so a quiet venue does not hold another back", async () => {
    const stored: CandleRow[] = [];
    const hub = createMarketDataHub({
      events: { emit: () => undefined } as unknown as EventPublisher,
      candles: {
        upsert: async (rows: readonly CandleRow[]) => void stored.push(...rows),
      } as unknown as CandlesRepository,
      logger: pino({ level: 'silent' }),
      intervals: ['min1'],
    });
    const trade = (symbol: string, time: number) => ({
      symbol,
      time,
      price: '100',
      volume: '1',
      side: 'LONG' as const,
    });
    hub.onTrade('alpaca', 'spot', trade('AAPL', T0 - 3_600_000));
    hub.onTrade('binance', 'spot', trade('ETHUSDT', T0 + 10));
    hub.onTrade('binance', 'spot', trade('BTCUSDT', T0 + 5 * 60_000));
    await hub.flush();
    const eth = stored.filter((r) => r.symbol === 'ETHUSDT' && r.openTime === T0);
    expect(eth.at(-1)?.closed).toBe(true);
    expect(stored.filter((r) => r.symbol === 'ETHUSDT' && r.closed).map((r) => r.openTime)).toEqual([
      T0,
      T0 + 60_000,
      T0 + 120_000,
      T0 + 180_000,
      T0 + 240_000,
    ]);
  });
});
