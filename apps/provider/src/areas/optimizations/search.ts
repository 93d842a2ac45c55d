import { createRng } from '@barfinex/detector-kit';
import { gridSize, pointKey } from './space';
import type { Point, SearchSpace } from './space';

export type SearchMethod = 'grid' | 'random' | 'tpe';

/** A trial the search has a score for; null = invalid params or a failed constraint. */
export interface Evaluated {
  point: Point;
  score: number | null;
}

/**
 * Proposes the next points from what has been scored so far. Proposals depend only on the
 * method, the seed, the space and the scored history in order, never on timing or worker count,
 * so the same request gives the same trials, and a resumed job continues the same sequence.
 */
export interface Searcher {
  readonly total: number;
  /** Points that can be proposed now (a model-based search waits for a whole batch to be scored). */
  next(history: readonly Evaluated[]): Point[];
}

/** Trials a model-based search proposes between model updates; fixed so results do not depend on the pool size. */
export const TPE_BATCH = 8;

function gridPoint(space: SearchSpace, index: number): Point {
  const point: number[] = new Array<number>(space.dimensions.length);
  let rest = index;
  for (let i = space.dimensions.length - 1; i >= 0; i -= 1) {
    const n = (space.dimensions[i] as { values: readonly unknown[] }).values.length;
    point[i] = rest % n;
    rest = Math.floor(rest / n);
  }
  return point;
}

/** `count` distinct points drawn uniformly (the whole space, shuffled, when it is smaller). */
function randomPoints(space: SearchSpace, count: number, seed: number): Point[] {
  const rng = createRng(seed);
  const size = gridSize(space);
  if (size <= count) {
    const all = Array.from({ length: size }, (_, i) => gridPoint(space, i));
    for (let i = all.length - 1; i > 0; i -= 1) {
      const j = Math.floor(rng() * (i + 1));
      [all[i], all[j]] = [all[j] as Point, all[i] as Point];
    }
    return all;
  }
  const seen = new Set<string>();
  const out: Point[] = [];
  while (out.length < count) {
    const p = space.dimensions.map((d) => Math.floor(rng() * d.values.length));
    const key = pointKey(p);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}

/** Parzen density over one dimension's value indices: a Gaussian kernel per observation plus a flat prior. */
function density(n: number, observed: readonly number[]): number[] {
  const bw = Math.max(1, n * 0.1);
  const out = new Array<number>(n).fill(1 / n);
  for (const o of observed)
    for (let k = 0; k < n; k += 1) out[k] = (out[k] as number) + Math.exp(-0.5 * ((k - o) / bw) ** 2);
  const sum = out.reduce((a, b) => a + b, 0);
  return out.map((v) => v / sum);
}

function sample(weights: readonly number[], u: number): number {
  let acc = 0;
  for (let k = 0; k < weights.length; k += 1) {
    acc += weights[k] as number;
    if (u < acc) return k;
  }
  return weights.length - 1;
}

const CANDIDATES = 32;
const GAMMA = 0.25;

/**
 * Tree-structured Parzen estimator (Bergstra et al., 2011) over the discrete value grid: after a
 * random start, the scored trials are split into the best quarter and the rest, each dimension
 * gets a density for each group, and of 32 candidates drawn from the good densities the one with
 * the highest good/bad ratio that has not been tried is proposed.
 */
function tpeBatch(space: SearchSpace, history: readonly Evaluated[], count: number, seed: number): Point[] {
  const rng = createRng(seed);
  const ranked = [...history].sort((a, b) => (b.score ?? -Infinity) - (a.score ?? -Infinity));
  const nGood = Math.max(1, Math.ceil(ranked.filter((e) => e.score !== null).length * GAMMA));
  const good = ranked.slice(0, nGood);
  const bad = ranked.slice(nGood);
  const l = space.dimensions.map((d, i) =>
    density(
      d.values.length,
      good.map((e) => e.point[i] as number),
    ),
  );
  const g = space.dimensions.map((d, i) =>
    density(
      d.values.length,
      bad.map((e) => e.point[i] as number),
    ),
  );
  const tried = new Set(history.map((e) => pointKey(e.point)));
  const out: Point[] = [];
  for (let b = 0; b < count; b += 1) {
    let best: Point | undefined;
    let bestRatio = -Infinity;
    for (let c = 0; c < CANDIDATES; c += 1) {
      const p = l.map((w) => sample(w, rng()));
      if (tried.has(pointKey(p))) continue;
      const ratio = p.reduce((acc, k, i) => acc + Math.log((l[i]?.[k] ?? 1e-12) / (g[i]?.[k] ?? 1e-12)), 0);
      if (ratio > bestRatio) {
        bestRatio = ratio;
        best = p;
      }
    }
    // Every candidate already tried (a small space): fall back to an untried uniform draw.
    best ??= randomPoints(space, Math.min(gridSize(space), tried.size + 1), seed + b).find(
      (p) => !tried.has(pointKey(p)),
    );
    if (!best) break;
    tried.add(pointKey(best));
    out.push(best);
  }
  return out;
}

export function createSearcher(
  method: SearchMethod,
  space: SearchSpace,
  options: { trials: number; seed: number },
): Searcher {
  const size = gridSize(space);
  if (method === 'grid') {
    return {
      total: size,
      next: (history) => Array.from({ length: size - history.length }, (_, i) => gridPoint(space, history.length + i)),
    };
  }
  const total = Math.min(options.trials, size);
  if (method === 'random') {
    const points = randomPoints(space, total, options.seed);
    return { total, next: (history) => points.slice(history.length) };
  }
  const startup = Math.min(total, Math.max(10, Math.ceil(total * 0.2)));
  const initial = randomPoints(space, startup, options.seed);
  return {
    total,
    next(history) {
      if (history.length < startup) return initial.slice(history.length);
      const batch = Math.min(TPE_BATCH, total - history.length);
      // Seeded by the position in the sequence, so a resumed job proposes what the first run would have.
      return batch > 0 ? tpeBatch(space, history, batch, options.seed * 1_000_003 + history.length) : [];
    },
  };
}
