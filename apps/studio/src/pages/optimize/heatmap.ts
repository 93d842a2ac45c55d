import type { OptimizationTrial } from '@barfinex/contracts';

export interface Heatmap {
  xs: readonly (string | number | boolean)[];
  ys: readonly (string | number | boolean)[];
  /** cells[y][x]: the best score of the trials at that pair (null: none run, or none scored). */
  cells: (number | null)[][];
  min: number;
  max: number;
}

const order = (a: unknown, b: unknown) =>
  typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));

/** The objective over two parameters: each cell holds the best in-sample score among the trials at that pair. */
export function heatmap(trials: readonly OptimizationTrial[], xParam: string, yParam: string, fold?: number): Heatmap {
  const scored = trials.filter(
    (t) =>
      t.role !== 'oos' &&
      (fold === undefined || t.fold === fold) &&
      t.params[xParam] !== undefined &&
      t.params[yParam] !== undefined,
  );
  const xs = [...new Set(scored.map((t) => t.params[xParam] as string | number | boolean))].sort(order);
  const ys = [...new Set(scored.map((t) => t.params[yParam] as string | number | boolean))].sort(order);
  const cells = ys.map(() => xs.map((): number | null => null));
  let min = Infinity;
  let max = -Infinity;
  for (const t of scored) {
    const s = t.score.score;
    if (s === null) continue;
    const row = cells[ys.indexOf(t.params[yParam] as string | number | boolean)] as (number | null)[];
    const x = xs.indexOf(t.params[xParam] as string | number | boolean);
    row[x] = Math.max(row[x] ?? -Infinity, s);
    min = Math.min(min, s);
    max = Math.max(max, s);
  }
  return { xs, ys, cells, min: Number.isFinite(min) ? min : 0, max: Number.isFinite(max) ? max : 0 };
}

/** A cell's colour: red (worst) through grey to green (best). */
export function heatColor(value: number | null, min: number, max: number): string {
  if (value === null) return 'transparent';
  const t = max > min ? (value - min) / (max - min) : 0.5;
  const hue = Math.round(t * 120);
  return `hsl(${hue} 60% 42%)`;
}

/** [time ms, equity] points as the equity chart's points (seconds, drawdown from the running peak). */
export function curvePoints(
  curve: readonly (readonly [number, number])[],
): { time: number; equity: number; drawdownPct: number }[] {
  let peak = -Infinity;
  const out: { time: number; equity: number; drawdownPct: number }[] = [];
  for (const [t, v] of curve) {
    peak = Math.max(peak, v);
    const time = Math.floor(t / 1000);
    const point = { time, equity: v, drawdownPct: peak > 0 ? ((v - peak) / peak) * 100 : 0 };
    const last = out[out.length - 1];
    if (last && last.time >= time) out[out.length - 1] = { ...point, time: last.time };
    else out.push(point);
  }
  return out;
}
