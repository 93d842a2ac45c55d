import type { OptimizationObjective, OptimizationResult, TrialScore } from '@barfinex/contracts';
import { deflatedSharpe, judge, probabilityOfOverfitting, robustnessScore } from './guard';
import { createSearcher } from './search';
import type { Evaluated, SearchMethod } from './search';
import { CSCV_BLOCKS, NO_SCORE, scoreTrial } from './scoring';
import type { Constraints, TrialStats } from './scoring';
import { neighbours, paramsAt, pointKey } from './space';
import type { Point, SearchSpace } from './space';
import type { TrialWindow } from './trial-runner';
import { stitchStats } from './walk-forward';
import type { Fold } from './walk-forward';

export type TrialRole = 'search' | 'neighbour' | 'oos';

/** A finished trial as stored (stats without a curve are enough to resume). */
export interface TrialRecord {
  fold: number;
  seq: number;
  role: TrialRole;
  params: Record<string, unknown>;
  score: TrialScore;
  stats: TrialStats | null;
  error?: string | undefined;
}

export interface OptimizationPlan {
  space: SearchSpace;
  folds: readonly Fold[];
  method: SearchMethod;
  trials: number;
  seed: number;
  objective: OptimizationObjective;
  constraints: Constraints;
  intervalMs: number;
  /** Open time of bar i (for the result's windows). */
  timeAt: (index: number) => number;
  /** The params with defaults filled; throws when the detector's schema refuses a combination (fast >= slow): such a trial is not run. */
  prepare: (params: Record<string, unknown>) => Record<string, unknown>;
}

export interface OptimizerDeps {
  /** Runs one parameter set over a window on every symbol and combines the results. */
  evaluate(params: Record<string, unknown>, window: TrialWindow): Promise<TrialStats>;
  /** Called once per finished trial, in any order; a resumed job never repeats a stored one. */
  store(trial: TrialRecord): Promise<void>;
  /** Trials a previous run stored (resume). */
  stored: readonly TrialRecord[];
  onTrial?(done: number, total: number, best: { params: Record<string, unknown>; score: number } | null): void;
  cancelled?(): boolean;
}

export class OptimizationCancelled extends Error {
  override readonly name = 'OptimizationCancelled';
}

/** Trials a plan runs at most: every fold's search, its neighbours and one out-of-sample run. */
export function plannedTrials(plan: Pick<OptimizationPlan, 'space' | 'folds' | 'method' | 'trials' | 'seed'>): number {
  const search = createSearcher(plan.method, plan.space, { trials: plan.trials, seed: plan.seed }).total;
  return plan.folds.reduce((n, f) => n + search + plan.space.dimensions.length * 2 + (f.oos ? 1 : 0), 0);
}

const trialKey = (fold: number, role: TrialRole, seq: number) => `${fold}:${role}:${seq}`;
const thin = (stats: TrialStats | null): TrialStats | null => (stats ? { ...stats, curve: [] } : null);

/**
 * Runs a whole optimisation: for each fold, the seeded search on the in-sample window, the
 * chosen point's neighbours (robustness), PBO over the fold's trials, and the chosen params on
 * the out-of-sample window. Trials of a batch run concurrently (the pool decides how many at
 * once); results enter the search history in proposal order, so the trials do not depend on
 * timing, the pool size or a restart in between.
 */
export async function runOptimization(plan: OptimizationPlan, deps: OptimizerDeps): Promise<OptimizationResult> {
  const stored = new Map(deps.stored.map((t) => [trialKey(t.fold, t.role, t.seq), t]));
  let total = plannedTrials(plan);
  let done = deps.stored.length;
  let best: { params: Record<string, unknown>; score: number } | null = null;
  for (const t of deps.stored)
    if (t.role === 'search' && t.score.score !== null && (!best || t.score.score > best.score))
      best = { params: t.params, score: t.score.score };

  async function trial(
    fold: number,
    role: TrialRole,
    seq: number,
    params: Record<string, unknown>,
    window: TrialWindow,
  ): Promise<TrialRecord> {
    const existing = stored.get(trialKey(fold, role, seq));
    if (existing) return existing;
    if (deps.cancelled?.()) throw new OptimizationCancelled('cancelled by a request');
    let record: TrialRecord;
    let parsed: Record<string, unknown>;
    try {
      parsed = plan.prepare(params);
    } catch (err) {
      record = {
        fold,
        seq,
        role,
        params,
        score: NO_SCORE,
        stats: null,
        error: err instanceof Error ? err.message : String(err),
      };
      await deps.store(record);
      done += 1;
      deps.onTrial?.(done, total, best);
      return record;
    }
    const stats = await deps.evaluate(parsed, window);
    record = {
      fold,
      seq,
      role,
      params,
      score: scoreTrial(stats, plan.objective, plan.constraints, plan.intervalMs),
      stats,
    };
    await deps.store(record);
    done += 1;
    if (role === 'search' && record.score.score !== null && (!best || record.score.score > best.score))
      best = { params, score: record.score.score };
    deps.onTrial?.(done, total, best);
    return record;
  }

  const folds: OptimizationResult['folds'] = [];
  const oosStats: TrialStats[] = [];
  let lastChosen: Record<string, unknown> | null = null;
  let lastIsCurve: Array<[number, number]> = [];
  let bestIs: number | null = null;
  const robustness: number[] = [];
  const pbos: number[] = [];
  const dsrs: number[] = [];

  for (const fold of plan.folds) {
    const isWindow = { runFrom: fold.isStart, scoreFrom: fold.isStart, end: fold.isEnd };
    const searcher = createSearcher(plan.method, plan.space, { trials: plan.trials, seed: plan.seed + fold.index });
    const history: Evaluated[] = [];
    const records: TrialRecord[] = [];
    let chosenAt = -1;
    let bestCurve: Array<[number, number]> = [];
    for (;;) {
      const points = searcher.next(history);
      if (points.length === 0) break;
      const base = history.length;
      const results = await Promise.all(
        points.map((p, i) => trial(fold.index, 'search', base + i, paramsAt(plan.space, p), isWindow)),
      );
      results.forEach((r, i) => {
        history.push({ point: points[i] as Point, score: r.score.score });
        const record = { ...r, stats: thin(r.stats) };
        if (r.score.score !== null && (chosenAt < 0 || r.score.score > (history[chosenAt]?.score ?? -Infinity))) {
          chosenAt = records.length;
          // Only the best so far keeps its equity curve: memory does not grow with the trials.
          bestCurve = r.stats?.curve ?? [];
        }
        records.push(record);
      });
    }
    const chosen = chosenAt >= 0 ? records[chosenAt] : undefined;
    let foldRobustness: number | undefined;
    let foldOos: TrialRecord | undefined;
    if (chosen) {
      const chosenPoint = history[chosenAt]?.point as Point;
      const scored = new Map(history.map((e) => [pointKey(e.point), e.score]));
      const around = neighbours(plan.space, chosenPoint);
      const scores = await Promise.all(
        around.map(async (p, i) =>
          scored.has(pointKey(p))
            ? (scored.get(pointKey(p)) ?? null)
            : (await trial(fold.index, 'neighbour', i, paramsAt(plan.space, p), isWindow)).score.score,
        ),
      );
      foldRobustness = robustnessScore(chosen.score.score, scores);
      if (fold.oos)
        foldOos = await trial(fold.index, 'oos', 0, chosen.params, {
          runFrom: fold.isStart,
          scoreFrom: fold.oos.start,
          end: fold.oos.end,
        });
      if (foldOos?.stats) oosStats.push(foldOos.stats);
      lastChosen = chosen.params;
      lastIsCurve = bestCurve;
      bestIs = bestIs === null ? chosen.score.score : Math.max(bestIs, chosen.score.score ?? -Infinity);
    }
    const withStats = records.flatMap((r) => (r.stats ? [r.stats] : []));
    const foldDsr = chosen?.stats ? deflatedSharpe(chosen.stats, withStats) : undefined;
    if (foldDsr !== undefined) dsrs.push(foldDsr);
    const foldPbo = probabilityOfOverfitting(
      records.filter((r) => r.stats !== null).map((r) => r.stats?.blocks ?? []),
      CSCV_BLOCKS,
    );
    if (foldRobustness !== undefined) robustness.push(foldRobustness);
    if (foldPbo !== undefined) pbos.push(foldPbo);
    folds.push({
      fold: fold.index,
      inSample: { from: plan.timeAt(fold.isStart), to: plan.timeAt(fold.isEnd - 1) },
      outOfSample: fold.oos ? { from: plan.timeAt(fold.oos.start), to: plan.timeAt(fold.oos.end - 1) } : null,
      chosen: chosen?.params ?? null,
      inSampleScore: chosen?.score ?? null,
      outOfSampleScore: foldOos?.score ?? null,
      robustness: foldRobustness ?? null,
      pbo: foldPbo ?? null,
      deflatedSharpe: foldDsr ?? null,
    });
  }
  total = done;
  deps.onTrial?.(done, total, best);

  const walkForward = plan.folds.some((f) => f.oos);
  const stitched = walkForward ? stitchStats(oosStats) : undefined;
  const headline = walkForward
    ? stitched
      ? scoreTrial(stitched, plan.objective, plan.constraints, plan.intervalMs)
      : null
    : (folds[0]?.inSampleScore ?? null);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : undefined);
  const guardRobustness = mean(robustness);
  const guardPbo = mean(pbos);
  const guardDsr = mean(dsrs);
  const verdict = judge({
    inSampleBest: bestIs,
    outOfSample: walkForward ? (headline?.score ?? null) : bestIs,
    walkForward,
    robustness: guardRobustness,
    pbo: guardPbo,
  });
  return {
    headline,
    headlineKind: walkForward ? 'outOfSample' : 'inSample',
    chosen: lastChosen,
    folds,
    guard: { robustness: guardRobustness ?? null, pbo: guardPbo ?? null, deflatedSharpe: guardDsr ?? null, ...verdict },
    equity: { outOfSample: stitched?.curve ?? [], inSample: lastIsCurve },
  };
}
