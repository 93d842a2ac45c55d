import { createRng, seedRngState } from './prng';
import { SortedNumberMap } from './sorted-map';

describe('SortedNumberMap (AVL)', () => {
  it('agrees with a reference model through random inserts and deletes, staying balanced', () => {
    const rng = createRng(seedRngState(1, 'avl'));
    const map = new SortedNumberMap<number>();
    const model = new Map<number, number>();
    for (let i = 0; i < 20_000; i++) {
      const key = Math.floor(rng.next() * 5_000);
      if (rng.next() < 0.6) {
        map.set(key, i);
        model.set(key, i);
      } else {
        expect(map.delete(key)).toBe(model.delete(key));
      }
      if (i % 997 === 0) {
        const keys = [...model.keys()].sort((a, b) => a - b);
        expect(map.entries()).toEqual(keys.map((k) => [k, model.get(k)]));
        expect(map.min()).toBe(keys.length === 0 ? undefined : model.get(keys[0] as number));
        expect(map.max()).toBe(keys.length === 0 ? undefined : model.get(keys[keys.length - 1] as number));
      }
    }
    expect(map.size).toBe(model.size);
    // An AVL tree of n nodes is at most ~1.44 log2(n) high.
    expect(map.depth()).toBeLessThanOrEqual(Math.ceil(1.45 * Math.log2(map.size + 2)));
  });

  it('stays logarithmic under sorted inserts (the worst case for a naive tree)', () => {
    const map = new SortedNumberMap<string>();
    for (let i = 0; i < 100_000; i++) map.set(i, String(i));
    expect(map.depth()).toBeLessThanOrEqual(25);
    for (let i = 0; i < 100_000; i += 2) map.delete(i);
    expect(map.size).toBe(50_000);
    expect(map.min()).toBe('1');
    expect(map.max()).toBe('99999');
  });
});
