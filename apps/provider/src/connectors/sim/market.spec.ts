import { createHash } from 'node:crypto';
import { createSimClock } from './clock';
import { createSimExchange } from './exchange';
import type { SimConfigInput } from './config';
import { SimErrorCode } from './errors';
import { T0, harness, recorder } from './spec-helpers';

function run(config: Partial<SimConfigInput>, steps: number[]): { log: string[]; digest: string } {
  const rec = recorder();
  const ex = createSimExchange({ ...config, clock: createSimClock({ startMs: T0 }), sink: rec.sink });
  for (const ms of steps) ex.step(ms);
  return { log: rec.log, digest: createHash('sha256').update(rec.log.join('\n')).digest('hex') };
}

describe('sim market simulator', () => {
  it('is deterministic: the same seed and steps give identical trades, books and tickers (1,000 steps)', () => {
    const steps = Array.from({ length: 1000 }, () => 1000);
    const a = run({ seed: 42 }, steps);
    const b = run({ seed: 42 }, steps);
    expect(a.log.length).toBeGreaterThan(6000);
    expect(a.digest).toBe(b.digest);
    expect(run({ seed: 43 }, steps).digest).not.toBe(a.digest);
  });

  it('does not depend on how time is chunked into steps', () => {
    expect(run({ seed: 5 }, [10_000]).digest).toBe(
      run(
        { seed: 5 },
        Array.from({ length: 20 }, () => 500),
      ).digest,
    );
    expect(run({ seed: 5 }, [3_333, 6_667]).digest).toBe(run({ seed: 5 }, [10_000]).digest);
  });

  it('gives each symbol its own stream: adding a symbol does not change another one', () => {
    const btcOnly = (log: string[]) => log.filter((l) => l.startsWith('trade') && l.includes('"BTCUSDT"'));
    const all = run({ seed: 9 }, [60_000]).log;
    const defaults = createSimExchange({ clock: createSimClock({ startMs: 0 }) }).config.symbols;
    const btc = run({ seed: 9, symbols: defaults.filter((s) => s.symbol === 'BTCUSDT') }, [60_000]).log;
    expect(btcOnly(btc)).toEqual(btcOnly(all));
  });

  it('prints trades on the tick grid with tick-rounded prices, step-rounded sizes and both sides', () => {
    const rec = recorder();
    const ex = createSimExchange({ seed: 3, clock: createSimClock({ startMs: T0 }), sink: rec.sink });
    ex.step(120_000);
    const btc = rec.trades.filter((t) => t.symbol === 'BTCUSDT' && t.marketType === 'spot');
    expect(btc.length).toBeGreaterThanOrEqual(120);
    for (const t of btc) {
      expect(t.price).toMatch(/^\d+(\.\d{1,2})?$/);
      expect(t.volume).toMatch(/^\d+(\.\d{1,5})?$/);
      expect(Number(t.volume)).toBeGreaterThanOrEqual(0.00001);
      expect((t.time - T0) % 1000).toBe(0);
    }
    expect(new Set(btc.map((t) => t.side))).toEqual(new Set(['LONG', 'SHORT']));
    expect(btc.map((t) => t.id)).toEqual(btc.map((_t, i) => i + 1));
    expect(ex.recentTrades('spot', 'BTCUSDT', 5)).toEqual(btc.slice(-5));
    const last = Number(ex.lastPrice('spot', 'BTCUSDT'));
    expect(last).toBeGreaterThan(55_000);
    expect(last).toBeLessThan(65_000);
  });

  it('builds a book around the price: sorted levels, a positive spread, plausible depth', () => {
    const ex = createSimExchange({ seed: 3, clock: createSimClock({ startMs: T0 }) });
    ex.step(5_000);
    const book = ex.orderBook('futures', 'ETHUSDT', 10);
    expect(book.bids).toHaveLength(10);
    expect(book.asks).toHaveLength(10);
    const bids = book.bids.map((l) => Number(l.price));
    const asks = book.asks.map((l) => Number(l.price));
    expect(bids).toEqual([...bids].sort((x, y) => y - x));
    expect(asks).toEqual([...asks].sort((x, y) => x - y));
    expect(asks[0]).toBeGreaterThan(bids[0] as number);
    for (const level of [...book.bids, ...book.asks]) expect(Number(level.volume)).toBeGreaterThan(0);
    expect(ex.orderBook('spot', 'ETHUSDT', 10)).not.toEqual(book);
  });

  it('keeps Binance-style 24 h ticker stats over a rolling window', () => {
    const rec = recorder();
    const ex = createSimExchange({ seed: 11, tickMs: 60_000, clock: createSimClock({ startMs: T0 }), sink: rec.sink });
    ex.step(25 * 3_600_000);
    const t = ex.ticker24h('spot', 'SOLUSDT');
    expect(Object.keys(t)).toEqual(
      expect.arrayContaining(['e', 'E', 's', 'p', 'P', 'o', 'h', 'l', 'c', 'w', 'v', 'q', 'O', 'C', 'F', 'L', 'n']),
    );
    expect(t).toMatchObject({ e: '24hrTicker', s: 'SOLUSDT', E: ex.now(), C: ex.now(), O: ex.now() - 86_400_000 });
    const trades = rec.trades.filter((x) => x.symbol === 'SOLUSDT' && x.marketType === 'spot');
    const inWindow = trades.filter((x) => x.id >= t.F);
    expect(t.F).toBeGreaterThan(1);
    expect(t.L).toBe(trades.at(-1)?.id);
    expect(t.n).toBe(inWindow.length);
    expect(t.c).toBe(ex.lastPrice('spot', 'SOLUSDT'));
    expect(Number(t.h)).toBe(Math.max(...inWindow.map((x) => Number(x.price))));
    expect(Number(t.l)).toBe(Math.min(...inWindow.map((x) => Number(x.price))));
    const volume = inWindow.reduce((sum, x) => sum + Number(x.volume), 0);
    expect(Number(t.v)).toBeCloseTo(volume, 6);
    expect(Number(t.p)).toBeCloseTo(Number(t.c) - Number(t.o), 8);
  });

  it('setPrice recentres the book and prints there; bad scripts are refused', () => {
    const { ex, rec } = harness();
    ex.setPrice('TESTUSDT', '123.45', { volume: '2' });
    expect(rec.trades.map((t) => [t.marketType, t.price, t.volume, t.scripted])).toEqual([
      ['spot', '123.45', '2', true],
      ['futures', '123.45', '2', true],
    ]);
    expect(ex.orderBook('spot', 'TESTUSDT', 1)).toMatchObject({
      bids: [{ price: '123.45' }],
      asks: [{ price: '123.46' }],
    });
    expect(() => ex.setPrice('TESTUSDT', '1.001')).toThrow(
      expect.objectContaining({ code: SimErrorCode.PRICE_FILTER }),
    );
    expect(() => ex.setPrice('TESTUSDT', '-1')).toThrow(expect.objectContaining({ code: SimErrorCode.PRICE_FILTER }));
    expect(() => ex.setPrice('NOPE', '1')).toThrow(expect.objectContaining({ code: SimErrorCode.UNKNOWN_SYMBOL }));
  });

  it('plays a pushed price path point by point instead of the random walk, then resumes the walk', () => {
    const { ex, rec } = harness();
    ex.pushPricePath('TESTUSDT', ['101', { price: '102', volume: '0.5' }, 103], { intervalMs: 5_000 });
    ex.step(4_999);
    expect(rec.trades).toHaveLength(0);
    ex.step(1);
    expect(ex.lastPrice('spot', 'TESTUSDT')).toBe('101');
    ex.step(10_000);
    const scripted = rec.trades.filter((t) => t.marketType === 'spot').map((t) => [t.time - T0, t.price, t.scripted]);
    expect(scripted).toEqual([
      [5_000, '101', true],
      [10_000, '102', true],
      [15_000, '103', true],
    ]);
    ex.step(1_000);
    expect(rec.trades.at(-1)).toMatchObject({ scripted: false, time: T0 + 16_000 });
    expect(() => ex.pushPricePath('TESTUSDT', [])).toThrow(
      expect.objectContaining({ code: SimErrorCode.INVALID_ARGUMENT }),
    );
  });

  it('clearPricePath drops queued points and resumes the walk from now', () => {
    const { ex, rec } = harness();
    ex.pushPricePath('TESTUSDT', ['101', '102'], { intervalMs: 60_000 });
    ex.step(30_000);
    expect(ex.clearPricePath('TESTUSDT')).toBe(2);
    ex.step(1_000);
    const times = rec.trades.map((t) => t.time - T0);
    expect(times.length).toBeGreaterThan(0);
    expect(new Set(times)).toEqual(new Set([31_000]));
  });

  it('advance() does nothing while paused; step() moves a paused market', () => {
    const { ex, rec } = harness();
    expect(ex.isPaused()).toBe(true);
    ex.advance(10_000);
    expect(ex.now()).toBe(T0);
    ex.step(2_000);
    expect(ex.now()).toBe(T0 + 2_000);
    expect(rec.trades.length).toBeGreaterThan(0);
    ex.resume();
    ex.advance(1_000);
    expect(ex.now()).toBe(T0 + 3_000);
    ex.pause();
    expect(ex.isPaused()).toBe(true);
    expect(() => ex.step(-1)).toThrow(expect.objectContaining({ code: SimErrorCode.INVALID_ARGUMENT }));
  });

  it('exposes instruments with their exchange filters on both markets', () => {
    const ex = createSimExchange({ clock: createSimClock({ startMs: T0 }) });
    expect(ex.instruments('spot').map((i) => i.symbol)).toEqual(['BTCUSDT', 'ETHUSDT', 'SOLUSDT']);
    expect(ex.instruments('futures').find((i) => i.symbol === 'BTCUSDT')).toEqual({
      connectorType: 'sim',
      marketType: 'futures',
      symbol: 'BTCUSDT',
      baseAsset: 'BTC',
      quoteAsset: 'USDT',
      status: 'TRADING',
      tickSize: '0.01',
      stepSize: '0.00001',
      minQty: '0.00001',
      maxQty: '9000',
      minNotional: '5',
      minPrice: '0.01',
      maxPrice: '1000000',
    });
    expect(ex.lastPrice('spot', 'ETHUSDT')).toBe('3000');
  });
});

describe('sim time skips', () => {
  it('does not replay time the clock skipped: the walk resumes from the last price on its tick grid', () => {
    const { ex, clock, rec } = harness();
    ex.step(3_000);
    const before = rec.trades.length;
    const last = ex.lastPrice('spot', 'TESTUSDT');
    clock.set(T0 + 86_400_000 + 3_500);
    ex.step(1_000);
    const fresh = rec.trades.slice(before);
    expect(new Set(fresh.map((t) => t.time))).toEqual(new Set([T0 + 86_400_000 + 4_000]));
    expect(Math.abs(Number(fresh[0]?.price) - Number(last))).toBeLessThan(1);
  });

  it('skipTo shifts a waiting price path instead of playing it at once', () => {
    const { ex, rec } = harness();
    ex.pushPricePath('TESTUSDT', ['101', '102'], { intervalMs: 5_000 });
    ex.skipTo(T0 + 60_000);
    expect(ex.now()).toBe(T0 + 60_000);
    ex.step(0);
    expect(rec.trades.filter((t) => t.marketType === 'spot').map((t) => [t.time - T0, t.price])).toEqual([
      [60_000, '101'],
    ]);
    ex.step(5_000);
    expect(ex.lastPrice('spot', 'TESTUSDT')).toBe('102');
  });
});
