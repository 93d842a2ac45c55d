import { D } from './decimal';
import { createEquityTracker } from './metrics';

const summarise = (curve: readonly number[]) => {
  const initial = new D(curve[0] ?? 0);
  const tracker = createEquityTracker(initial, 60_000);
  for (const x of curve) tracker.mark(new D(x), false);
  return tracker.summary({
    final: new D(curve.at(-1) ?? 0),
    initial,
    fees: new D(0),
    signals: 0,
    trades: [],
    rejected: 0,
  });
};

describe('equity tracker', () => {
  it('measures drawdown peak to trough on the equity curve', () => {
    const m = summarise([100, 120, 90, 130, 110]);
    expect(m.maxDrawdown).toBe('30');
    expect(m.maxDrawdownPct).toBeCloseTo(25, 10);
  });

  it('reports the deepest fall in percent even when a later fall is larger in money', () => {
    // 100 → 50 is a 50% drawdown of 50; 1000 → 900 is a 10% drawdown of 100.
    const m = summarise([100, 50, 1000, 900]);
    expect(m.maxDrawdown).toBe('100');
    expect(m.maxDrawdownPct).toBeCloseTo(50, 10);
  });

  it('annualises the Sharpe ratio by the bar length', () => {
    const curve = [100, 101, 100.5, 102, 101.5, 103];
    const tracker = (intervalMs: number) => {
      const t = createEquityTracker(new D(100), intervalMs);
      for (const x of curve) t.mark(new D(x), true);
      return t.summary({ final: new D(103), initial: new D(100), fees: new D(0), signals: 0, trades: [], rejected: 0 })
        .sharpe;
    };
    // Four times shorter bars mean four times as many per year: twice the annualised ratio.
    expect(tracker(60_000) / tracker(240_000)).toBeCloseTo(2, 10);
  });
});
