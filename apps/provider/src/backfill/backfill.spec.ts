import { createMemoryBus } from '@barfinex/bus';
import type { BackfillProgress, Candle } from '@barfinex/contracts';
import { eventually } from '@barfinex/testing';
import type { CandleRow } from '../candles/candles.repository';
import type { ExchangeConnector } from '../connectors/connector';
import { createConnectorRegistry } from '../connectors/connector-registry';
import { createBackfillService } from './backfill.service';
import { createSimHistory } from './sim-history';

const T0 = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;
const btc = { symbol: 'BTCUSDT', price: '60000', tickSize: '0.01', stepSize: '0.00001', volatility: 0.5, tradeSize: '0.02' };
const series = { connectorType: 'sim', marketType: 'spot', symbol: 'BTCUSDT', interval: 'min1' } as const;

describe('sim candle history', () => {
  const history = createSimHistory(42, btc);

  it('is the same whatever the paging', () => {
    const whole = history.candles('spot', 'min1', T0, T0 + 6 * HOUR - 1);
    const paged = [0, 1, 2, 3, 4, 5].flatMap((h) => history.candles('spot', 'min1', T0 + h * HOUR, T0 + (h + 1) * HOUR - 1));
    expect(whole).toHaveLength(360);
    expect(paged).toEqual(whole);
    expect(createSimHistory(42, btc).candles('spot', 'min1', T0, T0 + 6 * HOUR - 1)).toEqual(whole);
    expect(createSimHistory(43, btc).candles('spot', 'min1', T0, T0 + HOUR - 1)).not.toEqual(whole.slice(0, 60));
  });

  it('gives coarser bars that aggregate the minute bars exactly, and only closed ones', () => {
    const minutes = history.candles('spot', 'min1', T0, T0 + HOUR - 1);
    const [hour] = history.candles('spot', 'h1', T0, T0);
    const max = Math.max(...minutes.map((c) => Number(c.high)));
    const min = Math.min(...minutes.map((c) => Number(c.low)));
    expect(hour).toMatchObject({ time: T0, closeTime: T0 + HOUR - 1, open: minutes[0]?.open, close: minutes.at(-1)?.close, high: max.toFixed(2), low: min.toFixed(2) });
    for (const c of minutes) {
      expect(Number(c.low)).toBeLessThanOrEqual(Math.min(Number(c.open), Number(c.close)));
      expect(Number(c.high)).toBeGreaterThanOrEqual(Math.max(Number(c.open), Number(c.close)));
    }
    expect(history.candles('spot', 'min1', T0, T0 + HOUR, T0 + 30 * 60_000)).toHaveLength(30);
  });
});

describe('backfill jobs', () => {
  function setup(pageDelay?: Promise<void>) {
    const bus = createMemoryBus();
    const stored = new Map<number, CandleRow>();
    const history = createSimHistory(42, btc);
    const calls: Array<[number, number]> = [];
    const connector = {
      type: 'sim',
      markets: ['spot', 'futures'],
      async candles(market: 'spot', symbol: string, interval: 'min1', from: number, to: number): Promise<Candle[]> {
        calls.push([from, to]);
        await pageDelay;
        return history.candles(market, interval, from, to);
      },
    } as unknown as ExchangeConnector;
    const service = createBackfillService({
      connectors: createConnectorRegistry([connector]),
      candles: { upsert: async (rows) => rows.forEach((r) => stored.set(r.openTime, r)) },
      bus,
      pageBars: 100,
      progressEveryMs: 0,
    });
    return { bus, stored, calls, service };
  }

  it('pages the history into the store and reports progress on the bus', async () => {
    const { bus, stored, calls, service } = setup();
    const progress: BackfillProgress[] = [];
    await bus.subscribe('PROVIDER_BACKFILL_PROGRESS', (env) => void progress.push(env.payload));
    const started = await service.start(series, { from: T0, to: T0 + 5 * HOUR - 1 });
    expect(started).toMatchObject({ state: 'running', from: T0, fetched: 0 });
    await service.idle();
    expect(service.status(series)).toMatchObject({ state: 'finished', upserted: 300, pages: 3, progress: 1, cursor: T0 + 5 * HOUR - 1 });
    expect(calls).toEqual([
      [T0, T0 + 100 * 60_000 - 1],
      [T0 + 100 * 60_000, T0 + 200 * 60_000 - 1],
      [T0 + 200 * 60_000, T0 + 5 * HOUR - 1],
    ]);
    expect([...stored.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 300 }, (_, i) => T0 + i * 60_000));
    await eventually(() => expect(progress.at(-1)?.state).toBe('finished'));
    expect(progress[0]).toMatchObject({ state: 'running', fetched: 0 });
    expect(progress.map((p) => p.fetched)).toEqual([...progress.map((p) => p.fetched)].sort((a, b) => a - b));
  });

  it('runs one job per series: a second start is a 409 until the first ends', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { service } = setup(gate);
    await service.start(series, { from: T0, to: T0 + HOUR });
    await expect(service.start(series, { from: T0, to: T0 + HOUR })).rejects.toMatchObject({ code: 'CONFLICT' });
    // Another series is independent.
    await service.start({ ...series, interval: 'min5' }, { from: T0, to: T0 + HOUR });
    release();
    await service.idle();
    await expect(service.start(series, { from: T0, to: T0 + HOUR })).resolves.toMatchObject({ state: 'running' });
    await service.idle();
  });

  it('refuses unknown connectors, connectors without history and huge ranges', async () => {
    const { service } = setup();
    await expect(service.start({ ...series, connectorType: 'binance' }, { from: T0, to: T0 + HOUR })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const bare = createBackfillService({ connectors: createConnectorRegistry([{ type: 'sim', markets: ['spot'] } as unknown as ExchangeConnector]), candles: { upsert: async () => undefined }, bus: createMemoryBus() });
    await expect(bare.start(series, { from: T0, to: T0 + HOUR })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(service.start(series, { from: 0, to: T0 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(service.status({ ...series, symbol: 'ETHUSDT' })).toMatchObject({ state: 'idle', fetched: 0 });
  });
});
