import { randomUUID } from 'node:crypto';
import type { Bus } from '@barfinex/bus';
import type { BacktestDetail, BacktestProgress, BacktestRequest, BacktestSummary, Candle } from '@barfinex/contracts';
import { timeFrameMs } from '@barfinex/enums';
import { badRequest, conflict, notFound } from '@barfinex/service-kit';
import type { CandlesRepository } from '../candles/candles.repository';
import type { BacktestRepository } from './backtest.repository';
import { barsInRange, storedCandles, syntheticCandles, syntheticWindow } from './candle-source';
import { resolveDetector } from './detectors';
import type { DetectorCatalog } from './detectors';
import { createBacktestEngine } from './engine';

export interface BacktestServiceDeps {
  repo: BacktestRepository;
  candles: Pick<CandlesRepository, 'range'>;
  bus: Bus;
  maxBars: number;
  /** Built-in and user detectors; the built-ins alone when absent. */
  detectors?: DetectorCatalog;
  now?: () => number;
  progressEveryMs?: number;
  /** Bars between turns of the event loop, so HTTP stays responsive during a long run. */
  chunk?: number;
  log?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

type Live = {
  summary: BacktestSummary;
  signals: number;
  trades: number;
  cursor?: number | undefined;
  cancelled?: boolean;
};

const CANCELLED = 'cancelled by a request';

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Backtests run one after another in the background (they are CPU-bound; the machine's cores
 * belong to live traffic first). The summary of a queued or running one comes from memory, a
 * finished one from the database.
 */
export function createBacktestService(deps: BacktestServiceDeps) {
  const now = deps.now ?? Date.now;
  const progressEveryMs = deps.progressEveryMs ?? 250;
  const chunk = deps.chunk ?? 2_000;
  const live = new Map<string, Live>();
  let queue: Promise<void> = Promise.resolve();
  let stopping = false;

  function publish(entry: Live): void {
    const s = entry.summary;
    const state: BacktestProgress['state'] = s.state === 'finished' || s.state === 'failed' ? s.state : 'running';
    void deps.bus
      .publish('PROVIDER_BACKTEST_PROGRESS', {
        backtestId: s.id,
        state,
        detector: s.detector,
        symbol: s.symbol,
        interval: s.interval,
        processed: s.processed,
        total: s.total,
        ...(entry.cursor !== undefined ? { cursor: entry.cursor } : {}),
        signals: entry.signals,
        trades: entry.trades,
        ...(s.error !== undefined ? { error: s.error } : {}),
      })
      .catch((err: unknown) => deps.log?.warn({ err }, 'backtest progress not published'));
  }

  async function* candlesOf(req: BacktestRequest): AsyncGenerator<Candle[]> {
    const series = { symbol: req.symbol, interval: req.interval };
    if (req.source.type === 'stored') {
      yield* storedCandles(deps.candles, req.source, series);
      return;
    }
    const all = syntheticCandles(req.source, series);
    for (let i = 0; i < all.length; i += chunk) yield all.slice(i, i + chunk);
  }

  async function run(
    id: string,
    req: BacktestRequest,
    params: Record<string, unknown>,
    detector: ReturnType<typeof resolveDetector>['detector'],
  ): Promise<void> {
    const entry = live.get(id) as Live;
    const s = entry.summary;
    // Cancelled while queued: it ends without running.
    if (entry.cancelled) throw new Error(CANCELLED);
    s.state = 'running';
    s.startedAt = now();
    await deps.repo.update(id, { state: 'running', startedAt: s.startedAt });
    publish(entry);
    const engine = createBacktestEngine({
      detector,
      params,
      symbol: req.symbol,
      interval: req.interval,
      initialBalance: req.initialBalance,
      positionSizing: req.positionSizing,
      fees: req.fees,
    });
    let lastProgress = now();
    for await (const page of candlesOf(req)) {
      for (let i = 0; i < page.length; i += chunk) {
        if (stopping) throw new Error('stopped by a provider shutdown');
        if (entry.cancelled) throw new Error(CANCELLED);
        const end = Math.min(page.length, i + chunk);
        for (let k = i; k < end; k += 1) engine.onCandle(page[k] as Candle);
        const p = engine.progress();
        Object.assign(entry, { signals: p.signals, trades: p.trades, cursor: p.cursor });
        s.processed = p.processed;
        s.progress = s.total ? Math.min(1, s.processed / s.total) : 0;
        if (now() - lastProgress >= progressEveryMs) {
          lastProgress = now();
          publish(entry);
        }
        await yieldToLoop();
      }
    }
    const outcome = engine.finish();
    s.metrics = outcome.metrics;
    s.total = s.processed;
    s.state = 'finished';
    s.progress = 1;
    s.finishedAt = now();
    entry.trades = outcome.trades.length;
    await deps.repo.complete(
      id,
      { state: 'finished', processed: s.processed, finishedAt: s.finishedAt, metrics: outcome.metrics },
      outcome.trades,
    );
    deps.log?.info(
      {
        backtestId: id,
        bars: s.processed,
        trades: outcome.trades.length,
        netPnl: outcome.metrics.netPnl,
        ms: s.finishedAt - (s.startedAt ?? s.finishedAt),
      },
      'backtest finished',
    );
  }

  function enqueue(
    id: string,
    req: BacktestRequest,
    params: Record<string, unknown>,
    detector: ReturnType<typeof resolveDetector>['detector'],
  ): void {
    queue = queue.then(async () => {
      const entry = live.get(id) as Live;
      try {
        await run(id, req, params, detector);
      } catch (err) {
        entry.summary.state = 'failed';
        entry.summary.error = err instanceof Error ? err.message : String(err);
        entry.summary.finishedAt = now();
        deps.log?.warn({ err, backtestId: id }, 'backtest failed');
        await deps.repo
          .update(id, {
            state: 'failed',
            error: entry.summary.error,
            finishedAt: entry.summary.finishedAt,
            processed: entry.summary.processed,
          })
          .catch(() => undefined);
      }
      publish(entry);
      live.delete(id);
    });
  }

  async function checkSource(req: BacktestRequest): Promise<number> {
    const src = req.source;
    if (req.interval === 'month') throw badRequest('backtests need a fixed-length interval (not month)');
    if (src.type === 'synthetic') {
      if (src.bars > deps.maxBars)
        throw badRequest(`too many bars: ${src.bars} > ${deps.maxBars}`, { maxBars: deps.maxBars });
      const { first, end } = syntheticWindow(src, timeFrameMs(req.interval) ?? 60_000);
      if (end <= first) throw badRequest('source.from: no bar of the synthetic series opens in [from, to]');
      return end - first;
    }
    const bars = barsInRange(src.from, src.to, req.interval);
    if (bars > deps.maxBars)
      throw badRequest(`range too long: up to ${bars} ${req.interval} bars > ${deps.maxBars}`, {
        maxBars: deps.maxBars,
      });
    const key = {
      connectorType: src.connectorType,
      marketType: src.marketType,
      symbol: req.symbol,
      interval: req.interval,
    };
    if ((await deps.candles.range(key, src.from, src.to, 1)).length === 0) {
      throw badRequest(
        `no stored ${req.interval} candles for ${src.connectorType}/${src.marketType}/${req.symbol} in the range (backfill them first)`,
      );
    }
    return bars;
  }

  return {
    async create(req: BacktestRequest): Promise<BacktestSummary> {
      if (stopping) throw conflict('the provider is shutting down');
      const { detector, params } = resolveDetector(req.detector, req.params, req.interval, deps.detectors);
      const total = await checkSource(req);
      const id = randomUUID();
      const summary = await deps.repo.create({
        id,
        state: 'queued',
        detector: detector.name,
        params,
        symbol: req.symbol,
        interval: req.interval,
        source: req.source as Record<string, unknown>,
        request: req,
        initialBalance: req.initialBalance,
        total,
        createdAt: now(),
      });
      live.set(id, { summary, signals: 0, trades: 0 });
      enqueue(id, req, params, detector);
      return { ...summary };
    },

    async list(filter: {
      limit: number;
      detector?: string | undefined;
      symbol?: string | undefined;
    }): Promise<BacktestSummary[]> {
      return (await deps.repo.list(filter)).map((row) => ({ ...(live.get(row.id)?.summary ?? row) }));
    },

    async get(id: string): Promise<BacktestDetail> {
      const stored = await deps.repo.get(id);
      if (!stored) throw notFound(`backtest ${id}`);
      const running = live.get(id);
      return running ? { ...running.summary, trades: [] } : stored;
    },

    /** Asks a queued or running backtest to stop at its next chunk of bars; 409 once it has ended. */
    async cancel(id: string): Promise<BacktestSummary> {
      const entry = live.get(id);
      if (entry) {
        entry.cancelled = true;
        return { ...entry.summary };
      }
      const stored = await deps.repo.get(id);
      if (!stored) throw notFound(`backtest ${id}`);
      throw conflict(`backtest ${id} has already ended (${stored.state})`, { state: stored.state });
    },

    async delete(id: string): Promise<{ ok: boolean }> {
      if (live.has(id)) throw conflict(`backtest ${id} is still ${live.get(id)?.summary.state}; wait until it ends`);
      if (!(await deps.repo.delete(id))) throw notFound(`backtest ${id}`);
      return { ok: true };
    },

    /** Marks runs a previous process left unfinished as failed. */
    recover: () => deps.repo.failUnfinished(now()),

    /** Fails what is queued or running (shutdown) and waits for the queue to drain. */
    async stop(): Promise<void> {
      stopping = true;
      await queue;
    },

    idle: () => queue,
  };
}

export type BacktestService = ReturnType<typeof createBacktestService>;
