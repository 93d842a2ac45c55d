import { RecentMap, RecentSet } from './recent-map';

describe('RecentMap', () => {
  it('keeps the most recently added keys and forgets the oldest first', () => {
    const m = new RecentMap<string, number>(3);
    for (const [i, k] of ['a', 'b', 'c', 'd'].entries()) m.set(k, i);
    expect([m.has('a'), m.get('b'), m.get('c'), m.get('d'), m.size]).toEqual([false, 1, 2, 3, 3]);
    // Setting a kept key updates it in place: it keeps its turn to go.
    m.set('b', 10);
    m.set('e', 4);
    expect([m.has('b'), m.get('c'), m.get('d'), m.get('e')]).toEqual([false, 2, 3, 4]);
  });

  it('a key deleted and added again is not evicted by its old slot', () => {
    const m = new RecentMap<string, number>(3);
    m.set('a', 1); // slot 0
    m.delete('a');
    m.set('b', 2); // slot 1
    m.set('a', 3); // slot 2
    m.set('c', 4); // slot 0 again: it still names 'a', which lives in slot 2 now
    expect([m.get('a'), m.get('b'), m.get('c'), m.size]).toEqual([3, 2, 4, 3]);
    m.set('d', 5); // slot 1: 'b' goes
    expect([m.has('b'), m.get('a'), m.size]).toEqual([false, 3, 3]);
  });

  it('holds exactly the keys among the last `limit` added and not deleted since, seeded', () => {
    // A small linear congruential generator: deterministic, no dependency.
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    const limit = 50;
    const m = new RecentMap<number, number>(limit);
    // The model: each kept key with the number of its add; an add forgets the key added `limit` adds before.
    const model = new Map<number, { value: number; add: number }>();
    const byAdd = new Map<number, number>();
    let adds = 0;
    for (let i = 0; i < 20_000; i++) {
      const key = Math.floor(random() * 200);
      if (random() < 0.1) {
        expect(m.delete(key)).toBe(model.delete(key));
        continue;
      }
      m.set(key, i);
      const kept = model.get(key);
      if (kept) {
        kept.value = i;
        continue;
      }
      const gone = byAdd.get(adds - limit);
      if (gone !== undefined && model.get(gone)?.add === adds - limit) model.delete(gone);
      byAdd.delete(adds - limit);
      model.set(key, { value: i, add: adds });
      byAdd.set(adds, key);
      adds += 1;
      expect(m.size).toBe(model.size);
    }
    for (let key = 0; key < 200; key++) expect(m.get(key)).toBe(model.get(key)?.value);
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => new RecentMap(0)).toThrow(RangeError);
    expect(() => new RecentMap(1.5)).toThrow(RangeError);
  });
});

describe('RecentSet', () => {
  it('remembers the last `limit` keys', () => {
    const s = new RecentSet<string>(2);
    s.add('x').add('y').add('z');
    expect([s.has('x'), s.has('y'), s.has('z'), s.size]).toEqual([false, true, true, 2]);
  });
});
