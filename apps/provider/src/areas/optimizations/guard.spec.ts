import { createNormal, createRng } from '@barfinex/detector-kit';
import { deflatedSharpe, normalCdf, normalQuantile, probabilityOfOverfitting } from './guard';

function sample(mean: number, sd: number, n: number, seed: number) {
  const normal = createNormal(createRng(seed));
  const s = { bars: n, sum: 0, sumSq: 0, sumCu: 0, sumQu: 0 };
  for (let i = 0; i < n; i += 1) {
    const r = mean + sd * normal();
    s.sum += r;
    s.sumSq += r * r;
    s.sumCu += r ** 3;
    s.sumQu += r ** 4;
  }
  return s;
}

describe('overfitting statistics', () => {
  it('has a standard normal CDF and quantile', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 5);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 5);
  });

  it('deflates the best of many noise trials and keeps a real edge', () => {
    const noise = Array.from({ length: 100 }, (_, i) => sample(0, 0.01, 1_000, i + 1));
    const best = noise.reduce((a, b) => (b.sum > a.sum ? b : a));
    expect(deflatedSharpe(best, noise)).toBeLessThan(0.95);
    const edge = sample(0.002, 0.01, 1_000, 500);
    expect(deflatedSharpe(edge, [...noise.slice(0, 9), edge])).toBeGreaterThan(0.95);
    expect(deflatedSharpe(edge, [edge])).toBeUndefined();
  });

  it('puts PBO near one half for pure noise and near zero for a consistent winner', () => {
    const blocks = (seed: number, mean: number) => {
      const normal = createNormal(createRng(seed));
      return Array.from({ length: 10 }, () => {
        let sum = 0;
        let sumSq = 0;
        for (let i = 0; i < 100; i += 1) {
          const r = mean + 0.01 * normal();
          sum += r;
          sumSq += r * r;
        }
        return [100, sum, sumSq];
      }).flat();
    };
    const noise = Array.from({ length: 30 }, (_, i) => blocks(i + 1, 0));
    const pboNoise = probabilityOfOverfitting(noise, 10) ?? 0;
    expect(pboNoise).toBeGreaterThan(0.25);
    expect(probabilityOfOverfitting([...noise, blocks(99, 0.005)], 10)).toBeLessThan(0.05);
  });
});
