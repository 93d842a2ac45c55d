import { PriceLevels } from './price-levels';

describe('PriceLevels', () => {
  it('serves the best level first (highest for bids, lowest for asks) and FIFO within a level', () => {
    const bids = new PriceLevels<string>(true);
    bids.add(100, 'a');
    bids.add(101, 'b');
    bids.add(100, 'c');
    bids.add(99, 'd');
    expect(bids.best()?.key).toBe(101);
    expect(bids.toArray()).toEqual(['b', 'a', 'c', 'd']);
    const asks = new PriceLevels<string>(false);
    asks.add(100, 'a');
    asks.add(99, 'b');
    expect(asks.best()?.key).toBe(99);
    expect(asks.toArray()).toEqual(['b', 'a']);
  });

  it('removes from the head, the middle and the tail, dropping empty levels', () => {
    const side = new PriceLevels<string>(false);
    const h = ['a', 'b', 'c'].map((item) => side.add(10, item));
    side.add(11, 'd');
    side.remove(h[1] as NonNullable<(typeof h)[number]>);
    expect(side.toArray()).toEqual(['a', 'c', 'd']);
    side.remove(h[0] as NonNullable<(typeof h)[number]>);
    side.remove(h[2] as NonNullable<(typeof h)[number]>);
    expect(side.levelCount).toBe(1);
    expect(side.best()?.key).toBe(11);
    side.remove(h[2] as NonNullable<(typeof h)[number]>);
    expect(side.size).toBe(1);
  });

  it('holds 100,000 orders over 50,000 levels with a shallow tree', () => {
    const side = new PriceLevels<number>(true);
    const handles = [];
    for (let i = 0; i < 100_000; i++) handles.push(side.add(i % 50_000, i));
    expect(side.levelCount).toBe(50_000);
    expect(side.depth()).toBeLessThanOrEqual(23);
    for (const handle of handles) side.remove(handle);
    expect(side.size).toBe(0);
    expect(side.best()).toBeUndefined();
  });
});
