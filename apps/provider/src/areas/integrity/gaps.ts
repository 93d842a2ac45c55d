import { nextTimeFrameStart, timeFrameMs, timeFrameStart } from '@barfinex/enums';
import type { TimeFrame } from '@barfinex/enums';

export interface MissingRange {
  from: number;
  to: number;
  bars: number;
}

/** The bar grid of a fixed frame: open times are `offset + k·step` (weeks start on Mondays). */
export function gridOf(interval: TimeFrame): { step: number; offset: number } | undefined {
  const step = timeFrameMs(interval);
  if (step === undefined) return undefined;
  return { step, offset: ((timeFrameStart(interval, 0) % step) + step) % step };
}

/** First bar open time at or after `t`. */
export function alignUp(interval: TimeFrame, t: number): number {
  const start = timeFrameStart(interval, t);
  return start === t ? t : nextTimeFrameStart(interval, t);
}

/** Expected bars with open time in [first, last] (both on the grid). */
export function expectedBars(interval: TimeFrame, first: number, last: number): number {
  if (first > last) return 0;
  const grid = gridOf(interval);
  if (grid) return (last - first) / grid.step + 1;
  let n = 0;
  for (let t = first; t <= last; t = nextTimeFrameStart(interval, t)) n += 1;
  return n;
}

/** Missing ranges from SQL gap pairs (consecutive present bars, sentinels included). */
export function rangesFromPairs(pairs: ReadonlyArray<{ prev: number; next: number }>, step: number): MissingRange[] {
  return pairs.map((p) => ({ from: p.prev + step, to: p.next - step, bars: (p.next - p.prev) / step - 1 }));
}

/** Missing ranges by walking every expected bar (calendar frames, and after a repair). */
export function rangesFromTimes(
  interval: TimeFrame,
  first: number,
  last: number,
  present: ReadonlySet<number>,
): MissingRange[] {
  const out: MissingRange[] = [];
  let open: MissingRange | undefined;
  for (let t = first; t <= last; t = nextTimeFrameStart(interval, t)) {
    if (present.has(t)) {
      open = undefined;
      continue;
    }
    if (open) {
      open.to = t;
      open.bars += 1;
    } else {
      open = { from: t, to: t, bars: 1 };
      out.push(open);
    }
  }
  return out;
}

/** Every bar open time inside the ranges. */
export function barsIn(interval: TimeFrame, ranges: readonly MissingRange[]): number[] {
  const out: number[] = [];
  for (const r of ranges) for (let t = r.from; t <= r.to; t = nextTimeFrameStart(interval, t)) out.push(t);
  return out;
}

/** Groups sorted bar open times into runs of consecutive bars. */
export function groupBars(interval: TimeFrame, times: readonly number[]): MissingRange[] {
  const out: MissingRange[] = [];
  let run: MissingRange | undefined;
  for (const t of times) {
    if (run && nextTimeFrameStart(interval, run.to) === t) {
      run.to = t;
      run.bars += 1;
    } else {
      run = { from: t, to: t, bars: 1 };
      out.push(run);
    }
  }
  return out;
}
