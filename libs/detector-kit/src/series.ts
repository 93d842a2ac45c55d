import type { Bar } from './bar';

/** Read-only window of the most recent closed bars of one stream. */
export interface BarSeries {
  readonly length: number;
  readonly capacity: number;
  /** `at(0)` is the newest bar, `at(1)` the one before; undefined beyond the window. */
  at(ago: number): Bar | undefined;
  /** Oldest first. Allocates; meant for tests and occasional use, not per-bar hot paths. */
  toArray(): Bar[];
}

export interface MutableBarSeries extends BarSeries {
  push(bar: Bar): void;
  clear(): void;
}

export function createBarSeries(capacity: number): MutableBarSeries {
  const size = Math.max(1, Math.floor(capacity));
  const data: (Bar | undefined)[] = new Array<Bar | undefined>(size);
  let head = 0;
  let length = 0;
  return {
    get length() {
      return length;
    },
    capacity: size,
    at(ago) {
      if (!Number.isInteger(ago) || ago < 0 || ago >= length) return undefined;
      return data[(head - 1 - ago + size * 2) % size];
    },
    toArray() {
      const out: Bar[] = [];
      for (let ago = length - 1; ago >= 0; ago -= 1) {
        const bar = data[(head - 1 - ago + size * 2) % size];
        if (bar) out.push(bar);
      }
      return out;
    },
    push(bar) {
      data[head] = bar;
      head = (head + 1) % size;
      if (length < size) length += 1;
    },
    clear() {
      data.fill(undefined);
      head = 0;
      length = 0;
    },
  };
}
