import { createRng, hashString, hashUnit, seedRngState } from './prng';

describe('sim prng', () => {
  it('repeats exactly from the same seed and resumes exactly from a saved state', () => {
    const a = createRng(seedRngState(42, 'BTCUSDT'));
    const b = createRng(seedRngState(42, 'BTCUSDT'));
    const first = Array.from({ length: 100 }, () => a.next());
    expect(Array.from({ length: 100 }, () => b.next())).toEqual(first);
    const saved = a.state();
    const resumed = createRng(saved);
    expect(Array.from({ length: 50 }, () => resumed.normal())).toEqual(Array.from({ length: 50 }, () => a.normal()));
  });

  it('derives independent streams per seed and per symbol', () => {
    const draw = (seed: number | string, salt: string) => createRng(seedRngState(seed, salt)).next();
    expect(draw(1, 'BTCUSDT')).not.toBe(draw(1, 'ETHUSDT'));
    expect(draw(1, 'BTCUSDT')).not.toBe(draw(2, 'BTCUSDT'));
    expect(draw('1', 'BTCUSDT')).toBe(draw(1, 'BTCUSDT'));
  });

  it('draws uniforms in [0, 1) and standard normals with the right moments', () => {
    const rng = createRng(seedRngState(7, 'x'));
    const uniforms = Array.from({ length: 50_000 }, () => rng.next());
    expect(Math.min(...uniforms)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...uniforms)).toBeLessThan(1);
    expect(uniforms.reduce((s, u) => s + u, 0) / uniforms.length).toBeCloseTo(0.5, 2);
    const normals = Array.from({ length: 50_000 }, () => rng.normal());
    const mean = normals.reduce((s, z) => s + z, 0) / normals.length;
    const variance = normals.reduce((s, z) => s + (z - mean) ** 2, 0) / normals.length;
    expect(mean).toBeCloseTo(0, 1);
    expect(variance).toBeCloseTo(1, 1);
  });

  it('hashes stably and spreads hashUnit over [0, 1)', () => {
    expect(hashString('BTCUSDT')).toBe(hashString('BTCUSDT'));
    expect(hashString('BTCUSDT')).not.toBe(hashString('ETHUSDT'));
    const values = Array.from({ length: 10_000 }, (_v, i) => hashUnit(1, 2, i, 3));
    expect(hashUnit(1, 2, 3, 4)).toBe(hashUnit(1, 2, 3, 4));
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(values.reduce((s, u) => s + u, 0) / values.length).toBeCloseTo(0.5, 1);
  });
});
