import { createMemoryBus } from '@barfinex/bus';
import type { BackfillProgress, BackfillStatus, Candle } from '@barfinex/contracts';
import { createTestPglite } from '@barfinex/db/testing';
import type { Database } from '@barfinex/db';
import { eventually } from '@barfinex/testing';
import type { CandleRow } from '../candles/candles.repository';
import type { ExchangeConnector } from '../../connectors/connector';
import { createConnectorRegistry } from '../../connectors/connector-registry';
import { createBackfillService } from './backfill.service';
import { DEFAULT_SIM_SYMBOLS, createSimClock, createSimExchange } from '../../connectors/sim';
import type { SimTrade } from '../../connectors/sim';
import { startProvider } from '../../testing/harness';
import type { Harness } from '../../testing/harness';
import { createSimHistory } from './sim-history';

const T0 = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;
const btc = {
  symbol: 'BTCUSDT',
  price: '60000',
  tickSize: '0.01',
  stepSize: '0.00001',
  volatility: 0.5,
  tradeSize: '0.02',
};
const series = { connectorType: 'sim', marketType: 'spot', symbol: 'BTCUSDT', interval: 'min1' } as const;

describe('sim candle history', () => {
  const history = createSimHistory(42, btc);

  it('is the same whatever the paging', () => {
    const whole = history.candles('spot', 'min1', T0, T0 + 6 * HOUR - 1);
    const paged = [0, 1, 2, 3, 4, 5].flatMap((h) =>
      history.candles('spot', 'min1', T0 + h * HOUR, T0 + (h + 1) * HOUR - 1),
    );
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
    expect(hour).toMatchObject({
      time: T0,
      closeTime: T0 + HOUR - 1,
      open: minutes[0]?.open,
      close: minutes.at(-1)?.close,
      high: max.toFixed(2),
      low: min.toFixed(2),
    });
    for (const c of minutes) {
      expect(Number(c.low)).toBeLessThanOrEqual(Math.min(Number(c.open), Number(c.close)));
      expect(Number(c.high)).toBeGreaterThanOrEqual(Math.max(Number(c.open), Number(c.close)));
    }
    expect(history.candles('spot', 'min1', T0, T0 + HOUR, T0 + 30 * 60_000)).toHaveLength(30);
  });
});

describe('sim history joined to the live market', () => {
  // The report's case: the market went live at 05:55:12 and history was asked up to 05:00.
  const liveStart = Date.UTC(2026, 10, 24, 5, 55, 12, 345);
  const [from, to] = [Date.parse('2026-11-20T00:00:00Z'), Date.parse('2026-11-24T05:00:00Z')];
  const spec = DEFAULT_SIM_SYMBOLS.find((s) => s.symbol === 'BTCUSDT');
  if (!spec) throw new Error('BTCUSDT is a default sim symbol');

  function liveMarket(seed: number) {
    const trades: SimTrade[] = [];
    const exchange = createSimExchange({
      seed,
      symbols: [spec as (typeof DEFAULT_SIM_SYMBOLS)[number]],
      clock: createSimClock({ startMs: liveStart, paused: true }),
      sink: { onTrade: (t) => trades.push(t) },
    });
    return { exchange, trades };
  }
  const historyOf = (seed: number, startPrice: string) =>
    createSimHistory(
      seed,
      { ...spec, volatility: spec.volatility ?? 0.5 },
      { liveFrom: { time: liveStart, price: startPrice } },
    );

  it('ends exactly at the price the live market starts from, with no jump into the first live minute', () => {
    const { exchange, trades } = liveMarket(7);
    const startPrice = exchange.lastPrice('spot', 'BTCUSDT');
    const bars = historyOf(7, startPrice).candles(
      'spot',
      'min1',
      liveStart - 3 * HOUR,
      liveStart + HOUR,
      liveStart + 2 * HOUR,
    );
    const last = bars.at(-1);
    // History stops at the live start: the bar that would straddle it belongs to the live market.
    expect(last?.time).toBe(Date.UTC(2026, 10, 24, 5, 54));
    expect(Number(last?.close)).toBe(Number(startPrice));
    exchange.step(60_000);
    const firstLive = trades.filter((t) => t.marketType === 'spot');
    expect(firstLive.length).toBeGreaterThan(0);
    for (const t of firstLive) expect(Math.abs(Number(t.price) / Number(startPrice) - 1)).toBeLessThan(0.005);
  });

  it('keeps the backfilled range near the live price, each bar opening where the last closed', () => {
    const { exchange } = liveMarket(7);
    const startPrice = Number(exchange.lastPrice('spot', 'BTCUSDT'));
    const bars = historyOf(7, String(startPrice)).candles('spot', 'min1', from, to, liveStart);
    expect(bars).toHaveLength((to - from) / 60_000 + 1);
    // 4.2 days at 50 %/year volatility: a fraction of the old 37 % jump, and the end joins the start price.
    for (const c of bars) expect(Math.abs(Number(c.close) / startPrice - 1)).toBeLessThan(0.2);
    expect(Math.abs(Number(bars.at(-1)?.close) / startPrice - 1)).toBeLessThan(0.03);
    for (let i = 1; i < bars.length; i += 1) expect(bars[i]?.open).toBe(bars[i - 1]?.close);
  });

  it('gives the same bars for the same seed, anchor and range whatever the paging, and other bars for another seed', () => {
    const whole = historyOf(7, '60000').candles('spot', 'min1', to - 6 * HOUR, to, liveStart);
    const paged = [6, 5, 4, 3, 2, 1].flatMap((h) =>
      historyOf(7, '60000').candles('spot', 'min1', to - h * HOUR, to - (h - 1) * HOUR - 1, liveStart),
    );
    expect(paged).toEqual(whole.slice(0, -1));
    expect(historyOf(7, '60000').candles('spot', 'h1', to - 6 * HOUR, to - HOUR, liveStart)).toEqual(
      historyOf(7, '60000').candles('spot', 'h1', to - 6 * HOUR, to - HOUR, liveStart),
    );
    expect(historyOf(8, '60000').candles('spot', 'min1', to - 6 * HOUR, to, liveStart)).not.toEqual(whole);
  });

  it('serves a long range before the anchor', () => {
    const history = historyOf(7, '60000');
    const days = history.candles('spot', 'day', liveStart - 40 * 86_400_000, liveStart);
    expect(days).toHaveLength(39);
    expect(days.every((c) => Number(c.low) > 0 && Number(c.low) <= Number(c.high))).toBe(true);
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
    expect(service.status(series)).toMatchObject({
      state: 'finished',
      upserted: 300,
      pages: 3,
      progress: 1,
      cursor: T0 + 5 * HOUR - 1,
    });
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
    await expect(
      service.start({ ...series, connectorType: 'binance' }, { from: T0, to: T0 + HOUR }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const bare = createBackfillService({
      connectors: createConnectorRegistry([{ type: 'sim', markets: ['spot'] } as unknown as ExchangeConnector]),
      candles: { upsert: async () => undefined },
      bus: createMemoryBus(),
    });
    await expect(bare.start(series, { from: T0, to: T0 + HOUR })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(service.start(series, { from: 0, to: T0 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(service.status({ ...series, symbol: 'ETHUSDT' })).toMatchObject({ state: 'idle', fetched: 0 });
  });
});

describe('backfill through the running sim connector', () => {
  // The harness's simulator went live at its wall clock, 2026-01-05 00:00, from BTCUSDT's price.
  const liveStart = Date.UTC(2026, 0, 5);
  const path = '/api/candles/sim/spot/BTCUSDT/min1';
  let db: Database;
  let h: Harness;
  beforeAll(async () => {
    db = await createTestPglite();
    h = await startProvider({ db, bus: createMemoryBus() });
  }, 60_000);
  afterAll(async () => {
    await h.stop();
    await db.close();
  });
  async function call<T>(method: string, url: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(`${h.baseUrl}${url}`, {
      method,
      headers: { ...h.auth, 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, body: (await res.json()) as T };
  }
  const stored = async (from: number, to: number) => {
    const res = await call<Candle[] | { data: Candle[] }>('GET', `${path}?from=${from}&to=${to}&limit=1000`);
    return Array.isArray(res.body) ? res.body : res.body.data;
  };

  it('stores history that ends at the live starting price, and the first live minute trades next to it', async () => {
    const startPrice = h.sim.exchange.lastPrice('spot', 'BTCUSDT');
    expect(h.sim.exchange.liveStart('BTCUSDT')).toEqual({ time: liveStart, price: startPrice });
    // Asked past the live start: history stops there instead of inventing the live market's bars.
    const started = await call<BackfillStatus>('POST', `${path}/backfill`, {
      from: '2026-01-01T00:00:00Z',
      to: '2026-01-05T05:00:00Z',
    });
    expect(started.status).toBe(202);
    let status: BackfillStatus | undefined;
    await eventually(
      async () => {
        status = (await call<BackfillStatus>('GET', `${path}/backfill/status`)).body;
        expect(status.state).toBe('finished');
      },
      60_000,
      50,
    );
    expect(status?.upserted).toBe(4 * 1_440);

    const tail = await stored(liveStart - 3 * HOUR, liveStart - 1);
    expect(tail).toHaveLength(180);
    expect(tail.at(-1)).toMatchObject({ time: liveStart - 60_000, close: startPrice });
    for (const c of tail) expect(Math.abs(Number(c.close) / Number(startPrice) - 1)).toBeLessThan(0.05);

    h.sim.exchange.step(60_000);
    const firstLive = h.sim.exchange.recentTrades('spot', 'BTCUSDT');
    expect(firstLive.length).toBeGreaterThan(0);
    for (const t of firstLive) expect(Math.abs(Number(t.price) / Number(startPrice) - 1)).toBeLessThan(0.005);
  });
});
