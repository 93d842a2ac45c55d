import type { BacktestTrade } from '@barfinex/contracts';
import { equityCurve } from './equity';

const trade = (seq: number, exitSec: number, pnl: string): BacktestTrade =>
  ({
    seq,
    side: 'LONG',
    quantity: '1',
    entryTime: (exitSec - 60) * 1000,
    entryPrice: '1',
    exitTime: exitSec * 1000,
    exitPrice: '1',
    pnl,
    fees: '0',
    exitReason: 'target',
  }) as BacktestTrade;

describe('equityCurve', () => {
  it('adds each trade to the balance and measures the fall from the peak', () => {
    const points = equityCurve('1000', [trade(2, 300, '-50'), trade(1, 200, '100'), trade(3, 300, '-55')]);
    expect(points.map((p) => [p.time, p.equity])).toEqual([
      [140, 1000],
      [200, 1100],
      [300, 995],
    ]);
    expect(points[2]?.drawdownPct).toBeCloseTo(-9.545, 2);
  });

  it('is empty without trades', () => {
    expect(equityCurve('1000', [])).toEqual([]);
  });
});
