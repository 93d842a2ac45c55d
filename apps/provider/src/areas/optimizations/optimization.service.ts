import { randomUUID } from 'node:crypto';
import type { Bus } from '@barfinex/bus';
import type {
  BacktestRequest,
  OptimizationDetail,
  OptimizationRequest,
  OptimizationResult,
  OptimizationSummary,
  TrialBacktestRequest,
} from '@barfinex/contracts';
import { detectorParamsJsonSchema } from '@barfinex/detector-kit';
import type { Detector } from '@barfinex/detector-kit';
import { timeFrameMs } from '@barfinex/enums';
import { badRequest, conflict, notFound } from '@barfinex/service-kit';
import type { CandlesRepository } from '../candles/candles.repository';
import { findDetector } from '../backtest/detectors';
import type { DetectorCatalog } from '../backtest/detectors';
import type { OptimizationRepository } from './optimization.repository';
import { toTrialView } from './optimization.repository';
import { OptimizationCancelled, plannedTrials, runOptimization } from './optimizer';
import type { OptimizationPlan, TrialRecord } from './optimizer';
import type { TrialPool } from './pool';
import { checkSeries, loadSeries } from './series-loader';
import type { SharedSeries } from './candle-buffer';
import { combineStats } from './scoring';
import { trialBacktestRequest } from './trial-backtest';
import { buildSearchSpace, gridSize } from './space';
import { walkForwardFolds } from './walk-forward';

export interface OptimizationServiceDeps {
  repo: OptimizationRepository;
  candles: Pick<CandlesRepository, 'range'>;
  bus: Pick<Bus, 'publish'>;
  detectors: DetectorCatalog;
  /** The research pool, made on first use (no threads in a provider that never optimises). */
  pool: () => TrialPool;
  maxBars: number;
  maxTrials?: number;
  now?: () => number;
  progressEveryMs?: number;
  log?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

type Live = { summary: OptimizationSummary; cancelled: boolean; startedRun?: number; doneAtStart?: number };
type Best = OptimizationSummary['best'];

/** A checked request: what a job needs before it runs (all 400s happen here). */
function planOf(
  req: OptimizationRequest,
  detector: Detector,
  bars: number,
  maxTrials: number,
): Omit<OptimizationPlan, 'timeAt'> {
  const space = buildSearchSpace(detectorParamsJsonSchema(detector), req.space);
  if (req.search.method === 'grid' && gridSize(space) > maxTrials) {
    throw badRequest(
      `space: the grid has ${gridSize(space)} points, more than ${maxTrials}: narrow it, widen steps or use random/tpe`,
      { issues: [{ path: 'space', message: 'grid too large' }] },
    );
  }
  const folds = walkForwardFolds(bars, req.walkForward);
  if (!folds) {
    throw badRequest(
      `walkForward.folds: ${bars} bars are too few for ${req.walkForward?.folds ?? 1} folds (each window needs at least 20 bars)`,
      { issues: [{ path: 'walkForward.folds', message: 'too many folds for the range' }] },
    );
  }
  return {
    space,
    folds,
    method: req.search.method,
    trials: req.search.trials,
    seed: req.search.seed,
    objective: req.objective,
    constraints: req.constraints,
    intervalMs: timeFrameMs(req.interval) ?? 60_000,
    prepare: (p) => detector.parseParams(p) as Record<string, unknown>,
  };
}

/**
 * Optimisation jobs: one at a time (each uses the whole research pool), stored trial by trial,
 * resumed after a restart from what was stored. Progress goes out as PROVIDER_OPTIMIZATION_PROGRESS.
 */
export function createOptimizationService(deps: OptimizationServiceDeps) {
  const now = deps.now ?? Date.now;
  const maxTrials = deps.maxTrials ?? 5_000;
  const progressEveryMs = deps.progressEveryMs ?? 500;
  const live = new Map<string, Live>();
  let queue: Promise<void> = Promise.resolve();
  let stopping = false;

  function publish(entry: Live): void {
    const s = entry.summary;
    void deps.bus
      .publish('PROVIDER_OPTIMIZATION_PROGRESS', {
        optimizationId: s.id,
        state: s.state,
        done: s.done,
        total: s.total,
        best: s.best,
        etaMs: s.etaMs,
        ...(s.error !== undefined ? { error: s.error } : {}),
      })
      .catch((err: unknown) => deps.log?.warn({ err }, 'optimisation progress not published'));
  }

  async function run(id: string): Promise<void> {
    const entry = live.get(id) as Live;
    const stored = await deps.repo.get(id);
    if (!stored) return;
    const req = stored.request;
    if (entry.cancelled) throw new OptimizationCancelled('cancelled by a request');
    const detector = findDetector(req.detector, req.interval, deps.detectors);
    const series: SharedSeries[] = [];
    for (const symbol of req.symbols) series.push(await loadSeries(deps.candles, req, symbol, deps.maxBars));
    const bars = Math.min(...series.map((s) => s.length));
    const plan: OptimizationPlan = {
      ...planOf(req, detector, bars, maxTrials),
      timeAt: (i) => new Float64Array((series[0] as SharedSeries).buffer)[i] ?? 0,
    };
    const pool = deps.pool();
    series.forEach((s) => pool.share(`${id}:${s.symbol}`, s));
    const trials = await deps.repo.trials(id);
    const s = entry.summary;
    Object.assign(s, {
      state: 'running',
      startedAt: s.startedAt ?? now(),
      done: trials.length,
      total: plannedTrials(plan),
    });
    entry.startedRun = now();
    entry.doneAtStart = trials.length;
    await deps.repo.update(id, { state: 'running', startedAt: s.startedAt, total: s.total });
    publish(entry);
    let lastProgress = 0;
    const settings = { initialBalance: req.initialBalance, positionSizing: req.positionSizing, fees: req.fees };
    const wanted = () => !entry.cancelled && !stopping;
    try {
      const result = await runOptimization(plan, {
        stored: trials,
        evaluate: async (params, window) =>
          combineStats(
            await Promise.all(
              series.map((sr) =>
                pool.run(
                  { detector: detector.name, params, seriesKey: `${id}:${sr.symbol}`, window, settings },
                  wanted,
                ),
              ),
            ),
          ),
        store: async (t: TrialRecord) => {
          const done = s.done + 1;
          const best: Best =
            t.role === 'search' && t.score.score !== null && (!s.best || t.score.score > s.best.score)
              ? { params: t.params, score: t.score.score }
              : s.best;
          await deps.repo.storeTrial(id, t, now(), { done, best });
          s.done = done;
          s.best = best;
        },
        onTrial: (done, total) => {
          s.total = Math.max(total, done);
          s.progress = s.total ? Math.min(1, done / s.total) : 0;
          const ranHere = done - (entry.doneAtStart ?? 0);
          s.etaMs =
            ranHere > 0
              ? Math.round(((now() - (entry.startedRun ?? now())) / ranHere) * Math.max(0, s.total - done))
              : null;
          if (now() - lastProgress >= progressEveryMs) {
            lastProgress = now();
            publish(entry);
          }
        },
        cancelled: () => !wanted(),
      });
      // Stored before it shows as finished, so a reader that sees `finished` also gets the result.
      const finishedAt = now();
      await deps.repo.update(id, { state: 'finished', result, total: s.done, done: s.done, finishedAt });
      Object.assign(s, { state: 'finished', progress: 1, etaMs: 0, total: s.done, finishedAt });
      deps.log?.info(
        { optimizationId: id, trials: s.done, flagged: result.guard.flagged, headline: result.headline?.score ?? null },
        'optimisation finished',
      );
    } finally {
      pool.drop(`${id}:`);
    }
  }

  function enqueue(id: string): void {
    queue = queue.then(async () => {
      const entry = live.get(id) as Live;
      try {
        await run(id);
      } catch (err) {
        // A shutdown leaves the job running in the store: the next start resumes it.
        if (stopping && !entry.cancelled) return;
        const cancelled = entry.cancelled || err instanceof OptimizationCancelled;
        Object.assign(entry.summary, {
          state: cancelled ? 'cancelled' : 'failed',
          error: err instanceof Error ? err.message : String(err),
          finishedAt: now(),
          etaMs: null,
        });
        if (!cancelled) deps.log?.warn({ err, optimizationId: id }, 'optimisation failed');
        await deps.repo
          .update(id, {
            state: entry.summary.state,
            error: entry.summary.error as string,
            finishedAt: entry.summary.finishedAt as number,
          })
          .catch(() => undefined);
      }
      publish(entry);
      live.delete(id);
    });
  }

  return {
    async create(req: OptimizationRequest): Promise<OptimizationSummary> {
      if (stopping) throw conflict('the provider is shutting down');
      const detector = findDetector(req.detector, req.interval, deps.detectors);
      const bars = await checkSeries(deps.candles, req, deps.maxBars);
      const total = plannedTrials({ ...planOf(req, detector, bars, maxTrials) });
      const id = randomUUID();
      const summary = await deps.repo.create({ id, request: req, total, createdAt: now() });
      live.set(id, { summary, cancelled: false });
      enqueue(id);
      return { ...summary };
    },

    async list(filter: { limit: number; detector?: string | undefined }): Promise<OptimizationSummary[]> {
      return (await deps.repo.list(filter)).map((row) => ({ ...(live.get(row.id)?.summary ?? row) }));
    },

    async get(id: string, trials: number): Promise<OptimizationDetail> {
      const stored = await deps.repo.get(id);
      if (!stored) throw notFound(`optimization ${id}`);
      const rows = trials > 0 ? await deps.repo.trials(id, { limit: trials, withStats: false }) : [];
      return {
        ...(live.get(id)?.summary ?? stored.summary),
        request: stored.request as unknown as Record<string, unknown>,
        result: stored.result,
        trials: rows.map(toTrialView),
      };
    },

    async cancel(id: string): Promise<OptimizationSummary> {
      const entry = live.get(id);
      if (entry) {
        entry.cancelled = true;
        return { ...entry.summary };
      }
      const stored = await deps.repo.get(id);
      if (!stored) throw notFound(`optimization ${id}`);
      throw conflict(`optimization ${id} has already ended (${stored.summary.state})`, { state: stored.summary.state });
    },

    async delete(id: string): Promise<{ ok: boolean }> {
      if (live.has(id)) throw conflict(`optimization ${id} is still ${live.get(id)?.summary.state}; cancel it first`);
      if (!(await deps.repo.delete(id))) throw notFound(`optimization ${id}`);
      return { ok: true };
    },

    /** The stored job and one of its trials (or its chosen params), for the backtest and apply calls. */
    async paramsOf(
      id: string,
      fold?: number,
      seq?: number,
    ): Promise<{
      request: OptimizationRequest;
      result: OptimizationResult | null;
      params: Record<string, unknown>;
      trial?: TrialRecord;
    }> {
      const stored = await deps.repo.get(id);
      if (!stored) throw notFound(`optimization ${id}`);
      const job = { request: stored.request, result: stored.result };
      if (fold === undefined || seq === undefined) {
        const chosen = stored.result?.chosen ?? stored.summary.best?.params;
        if (!chosen) throw conflict(`optimization ${id} has no chosen parameters yet`);
        return { ...job, params: chosen };
      }
      const trial = await deps.repo.trial(id, fold, 'search', seq);
      if (!trial) throw notFound(`trial ${fold}/${seq} of optimization ${id}`);
      return { ...job, params: trial.params, trial };
    },

    /** The backtest request that opens a search trial in full (one symbol, one of its fold's windows). */
    async trialBacktest(id: string, fold: number, seq: number, choice: TrialBacktestRequest): Promise<BacktestRequest> {
      const job = await this.paramsOf(id, fold, seq);
      return trialBacktestRequest(deps, job, fold, choice);
    },

    /** Jobs a previous process left queued or running are taken up again, in creation order. */
    async resume(): Promise<number> {
      const ids = await deps.repo.unfinished();
      for (const id of ids) {
        const stored = await deps.repo.get(id);
        if (!stored) continue;
        live.set(id, { summary: stored.summary, cancelled: false });
        enqueue(id);
      }
      return ids.length;
    },

    /** Stops at the next trial; a running job stays `running` in the store and resumes at the next start. */
    async stop(closePool?: () => Promise<void>): Promise<void> {
      stopping = true;
      // Closing the pool fails the trials in flight at once (a trial over a year of bars takes
      // seconds); the job stays `running` in the store and the next start resumes it.
      await closePool?.();
      await queue;
    },

    idle: () => queue,
  };
}

export type OptimizationService = ReturnType<typeof createOptimizationService>;
