import { SortedNumberMap } from './sorted-map';

/** One resting item's place in a level's FIFO queue; kept by the owner so removal is O(1) plus at most one tree delete. */
export interface LevelHandle<T> {
  readonly item: T;
  prev: LevelHandle<T> | null;
  next: LevelHandle<T> | null;
  level: PriceLevel<T> | null;
}

export interface PriceLevel<T> {
  readonly key: number;
  head: LevelHandle<T> | null;
  tail: LevelHandle<T> | null;
  size: number;
}

/**
 * One side of the resting-order index: integer price keys (ticks) in an AVL tree for the best
 * level, a Map for O(1) access to an existing level, FIFO within a level. Used for resting limits
 * (best = highest bid / lowest ask) and for untriggered stops keyed by trigger price (best = the
 * next one the market reaches), so a price move touches only the levels it actually crosses.
 */
export class PriceLevels<T> {
  private readonly tree = new SortedNumberMap<PriceLevel<T>>();
  private readonly levels = new Map<number, PriceLevel<T>>();
  private items = 0;

  /** @param highestFirst true when the best level is the highest key (bids, sell-side stops). */
  constructor(private readonly highestFirst: boolean) {}

  get size(): number {
    return this.items;
  }

  get levelCount(): number {
    return this.levels.size;
  }

  add(key: number, item: T): LevelHandle<T> {
    let level = this.levels.get(key);
    if (level === undefined) {
      level = { key, head: null, tail: null, size: 0 };
      this.levels.set(key, level);
      this.tree.set(key, level);
    }
    const handle: LevelHandle<T> = { item, prev: level.tail, next: null, level };
    if (level.tail === null) level.head = handle;
    else level.tail.next = handle;
    level.tail = handle;
    level.size++;
    this.items++;
    return handle;
  }

  remove(handle: LevelHandle<T>): void {
    const level = handle.level;
    if (level === null) return;
    if (handle.prev === null) level.head = handle.next;
    else handle.prev.next = handle.next;
    if (handle.next === null) level.tail = handle.prev;
    else handle.next.prev = handle.prev;
    handle.prev = null;
    handle.next = null;
    handle.level = null;
    level.size--;
    this.items--;
    if (level.size === 0) {
      this.levels.delete(level.key);
      this.tree.delete(level.key);
    }
  }

  best(): PriceLevel<T> | undefined {
    return this.highestFirst ? this.tree.max() : this.tree.min();
  }

  /** Every item, best level first, FIFO within a level; for snapshots and listings. */
  toArray(): T[] {
    const entries = this.tree.entries();
    if (this.highestFirst) entries.reverse();
    const out: T[] = [];
    for (const [, level] of entries) {
      for (let h = level.head; h !== null; h = h.next) out.push(h.item);
    }
    return out;
  }

  depth(): number {
    return this.tree.depth();
  }
}
