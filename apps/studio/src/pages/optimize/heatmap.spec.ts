import type { OptimizationTrial } from '@barfinex/contracts';
import { curvePoints, heatColor, heatmap } from './heatmap';

const trial = (
  fold: number,
  fast: number,
  slow: number,
  score: number | null,
  role: OptimizationTrial['role'] = 'search',
): OptimizationTrial =>
  ({ fold, seq: 0, role, params: { fast, slow }, score: { score } }) as unknown as OptimizationTrial;

describe('optimisation heatmap', () => {
  it('puts the best score of each parameter pair in its cell, out-of-sample runs left out', () => {
    const h = heatmap(
      [trial(0, 5, 20, 1), trial(1, 5, 20, 3), trial(0, 3, 20, -1), trial(0, 5, 30, null), trial(0, 3, 30, 9, 'oos')],
      'fast',
      'slow',
    );
    expect(h.xs).toEqual([3, 5]);
    expect(h.ys).toEqual([20, 30]);
    expect(h.cells).toEqual([
      [-1, 3],
      [null, null],
    ]);
    expect([h.min, h.max]).toEqual([-1, 3]);
    expect(heatmap([trial(0, 5, 20, 1), trial(1, 5, 20, 3)], 'fast', 'slow', 0).cells).toEqual([[1]]);
  });

  it('colours from red to green and leaves empty cells clear', () => {
    expect(heatColor(null, 0, 1)).toBe('transparent');
    expect(heatColor(0, 0, 1)).toBe('hsl(0 60% 42%)');
    expect(heatColor(1, 0, 1)).toBe('hsl(120 60% 42%)');
  });

  it('turns a stored equity curve into chart points with drawdown', () => {
    expect(
      curvePoints([
        [1_000, 100],
        [2_000, 110],
        [3_000, 99],
      ]),
    ).toEqual([
      { time: 1, equity: 100, drawdownPct: 0 },
      { time: 2, equity: 110, drawdownPct: 0 },
      { time: 3, equity: 99, drawdownPct: -10 },
    ]);
  });
});
