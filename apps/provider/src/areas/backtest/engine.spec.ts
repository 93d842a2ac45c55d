import Decimal from 'decimal.js';
import type { BacktestRequest, Candle } from '@barfinex/contracts';
import { resolveDetector } from './detectors';
import { syntheticCandles } from './candle-source';
import { createBacktestEngine } from './engine';

const fees = { maker: '0.0002', taker: '0.0005' };

function run(
  name: string,
  interval: 'min1' | 'min5',
  candles: readonly Candle[],
  sizing: BacktestRequest['positionSizing'] = { mode: 'percent', percent: 50 },
) {
  const { detector, params } = resolveDetector(name, {}, interval);
  const engine = createBacktestEngine({
    detector,
    params,
    symbol: 'BTCUSDT',
    interval,
    initialBalance: '10000',
    positionSizing: sizing,
    fees,
  });
  for (const c of candles) engine.onCandle(c);
  const outcome = engine.finish();
  return { ...outcome, wallet: engine.walletBalance() };
}

const gbm = (interval: 'min1' | 'min5', bars: number, seed = 7) =>
  syntheticCandles(
    { type: 'synthetic', seed, bars, startPrice: 60_000, drift: 0, volatility: 0.004 },
    { symbol: 'BTCUSDT', interval },
  );

describe('backtest engine', () => {
  it.each([
    ['ema-cross', 'min1'],
    ['rsi-reversion', 'min5'],
  ] as const)('%s trades its signals and the money adds up exactly', (name, interval) => {
    const { metrics, trades, wallet } = run(name, interval, gbm(interval, 3_000));
    expect(metrics.bars).toBe(3_000);
    expect(metrics.signals).toBeGreaterThan(5);
    expect(trades.length).toBeGreaterThan(5);
    // Every trade is closed at the end, so the trades' net PnL is the whole PnL, to the last digit.
    const sum = trades.reduce((acc, t) => acc.plus(t.pnl), new Decimal(0));
    expect(sum.toString()).toBe(metrics.netPnl);
    expect(new Decimal(metrics.finalEquity).toString()).toBe(new Decimal(wallet ?? '0').toString());
    expect(trades.reduce((acc, t) => acc.plus(t.fees), new Decimal(0)).toString()).toBe(metrics.fees);
    expect(metrics.wins + metrics.losses).toBe(trades.length);
    expect(metrics.exposure).toBeGreaterThan(0);
    expect(metrics.exposure).toBeLessThanOrEqual(1);
    expect(new Decimal(metrics.maxDrawdown).gte(0)).toBe(true);
    expect(Number.isFinite(metrics.sharpe)).toBe(true);
    for (const t of trades) {
      expect(t.exitTime).toBeGreaterThanOrEqual(t.entryTime);
      expect(['stop', 'target', 'invalidated', 'flip', 'end']).toContain(t.exitReason);
    }
  });

  it('sizes 100 % of cash so the order still covers its fee and one tick, instead of every entry being refused', () => {
    const { trades, metrics } = run('ema-cross', 'min1', gbm('min1', 3_000), { mode: 'percent', percent: 100 });
    expect(trades.length).toBeGreaterThan(5);
    expect(metrics.rejectedOrders ?? 0).toBe(0);
  });

  it('is deterministic: the same candles give the same result', () => {
    const a = run('ema-cross', 'min1', gbm('min1', 2_000, 3));
    const b = run('ema-cross', 'min1', gbm('min1', 2_000, 3));
    expect(b).toEqual(a);
  });

  it('fills a stop at its price when the bar crosses it, fees at the taker rate', () => {
    const { trades } = run('ema-cross', 'min1', gbm('min1', 3_000), { mode: 'fixed', quantity: '0.1' });
    const stopped = trades.find((t) => t.exitReason === 'stop');
    expect(stopped).toBeDefined();
    const t = stopped as NonNullable<typeof stopped>;
    expect(t.quantity).toBe('0.1');
    const notional = new Decimal(t.entryPrice).plus(t.exitPrice).times('0.1');
    // Market fills pay taker on both legs; the book is one tick wide, so prices differ from the marks by at most one tick.
    expect(new Decimal(t.fees).minus(notional.times(fees.taker)).abs().lte('0.000001')).toBe(true);
  });
});
