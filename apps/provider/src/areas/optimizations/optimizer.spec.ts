import { createRng } from '@barfinex/detector-kit';
import { runOptimization } from './optimizer';
import type { OptimizationPlan, TrialRecord } from './optimizer';
import type { SearchMethod } from './search';
import { CSCV_BLOCKS } from './scoring';
import type { TrialStats } from './scoring';
import { buildSearchSpace } from './space';
import type { TrialWindow } from './trial-runner';
import { walkForwardFolds } from './walk-forward';

const SCHEMA = {
  type: 'object',
  properties: {
    x: { type: 'integer', minimum: 0, maximum: 30, default: 5 },
    y: { type: 'integer', minimum: 0, maximum: 30, default: 5 },
  },
};
const space = buildSearchSpace(SCHEMA, { x: { min: 0, max: 30, step: 1 }, y: { min: 0, max: 30, step: 1 } });

/** The landscape: a smooth hill whose top is at x = 21, y = 8, plus seeded noise per bar. */
const quality = (p: Record<string, unknown>) => 1 - ((Number(p['x']) - 21) ** 2 + (Number(p['y']) - 8) ** 2) / 400;

/** Per-bar returns of a trial: mean set by the landscape, the same seeded noise for every trial. */
function syntheticStats(
  p: Record<string, unknown>,
  window: TrialWindow,
  signal: (p: Record<string, unknown>) => number,
): TrialStats {
  // Each trial's own noise, the same on every run.
  const rng = createRng(window.scoreFrom * 31 + window.end + Number(p['x']) * 1_009 + Number(p['y']) * 7_919);
  const bars = window.end - window.scoreFrom;
  const blocks = new Array<number>(CSCV_BLOCKS * 3).fill(0);
  const blockLen = Math.ceil(bars / CSCV_BLOCKS);
  let sum = 0;
  let sumSq = 0;
  let equity = 1;
  const curve: Array<[number, number]> = [];
  for (let i = 0; i < bars; i += 1) {
    const r = signal(p) * 0.001 + (rng() - 0.5) * 0.01;
    sum += r;
    sumSq += r * r;
    equity *= 1 + r;
    const b = Math.min(CSCV_BLOCKS - 1, Math.floor(i / blockLen)) * 3;
    blocks[b] = (blocks[b] as number) + 1;
    blocks[b + 1] = (blocks[b + 1] as number) + r;
    blocks[b + 2] = (blocks[b + 2] as number) + r * r;
    if (i % 50 === 0) curve.push([window.scoreFrom + i, equity * 10_000]);
  }
  return {
    bars,
    sum,
    sumSq,
    downSq: 0,
    totalReturn: equity - 1,
    maxDrawdownPct: 1,
    netProfit: (equity - 1) * 10_000,
    grossProfit: 1,
    grossLoss: 1,
    trades: 10,
    blocks,
    curve,
  };
}

function plan(method: SearchMethod, overrides: Partial<OptimizationPlan> = {}): OptimizationPlan {
  return {
    space,
    folds: walkForwardFolds(4_000, undefined) ?? [],
    method,
    trials: 120,
    seed: 42,
    objective: 'sharpe',
    constraints: { minTrades: 0 },
    intervalMs: 60_000,
    timeAt: (i) => i * 60_000,
    prepare: (p) => p,
    ...overrides,
  };
}

async function optimise(
  p: OptimizationPlan,
  options: {
    signal?: (p: Record<string, unknown>) => number;
    stored?: TrialRecord[];
    failAfter?: number;
    shuffle?: boolean;
  } = {},
) {
  const trials: TrialRecord[] = [];
  const windows: Array<{ role: string; window: TrialWindow }> = [];
  const rng = createRng(7);
  const result = await runOptimization(p, {
    stored: options.stored ?? [],
    evaluate: async (params, window) => {
      windows.push({ role: 'any', window });
      // Finish out of order, as a pool of workers would.
      if (options.shuffle) for (let i = Math.floor(rng() * 4); i > 0; i -= 1) await Promise.resolve();
      return syntheticStats(params, window, options.signal ?? quality);
    },
    store: async (t) => {
      if (options.failAfter !== undefined && trials.length >= options.failAfter) throw new Error('killed');
      trials.push(t);
    },
  });
  return { result, trials, windows };
}

describe('optimisation search', () => {
  it.each<SearchMethod>(['grid', 'random', 'tpe'])(
    '%s finds the known best region of a seeded synthetic landscape',
    async (method) => {
      const grid = buildSearchSpace(SCHEMA, { x: { min: 0, max: 30, step: 2 }, y: { min: 0, max: 30, step: 2 } });
      const { result, trials } = await optimise(plan(method, method === 'grid' ? { space: grid } : {}));
      const chosen = result.chosen as { x: number; y: number };
      // Near the top the hill is flatter than the noise: within a few steps is the known region.
      expect(Math.abs(chosen.x - 21)).toBeLessThanOrEqual(4);
      expect(Math.abs(chosen.y - 8)).toBeLessThanOrEqual(4);
      expect(quality(chosen)).toBeGreaterThan(0.9);
      expect(trials.filter((t) => t.role === 'search')).toHaveLength(method === 'grid' ? 16 * 16 : 120);
    },
  );

  it('the model-based search spends its trials nearer the top than random does', async () => {
    const near = (ts: TrialRecord[]) => ts.filter((t) => t.role === 'search' && quality(t.params) > 0.8).length;
    const tpe = await optimise(plan('tpe'));
    const random = await optimise(plan('random'));
    expect(near(tpe.trials)).toBeGreaterThan(near(random.trials) * 1.5);
  });

  it.each<SearchMethod>(['random', 'tpe'])(
    '%s: the same seed gives identical trials, whatever order they finish in',
    async (method) => {
      const a = await optimise(plan(method));
      const b = await optimise(plan(method), { shuffle: true });
      const key = (ts: TrialRecord[]) =>
        ts.map((t) => `${t.fold}/${t.role}/${t.seq} ${JSON.stringify(t.params)} ${t.score.score}`).sort();
      expect(key(b.trials)).toEqual(key(a.trials));
      const c = await optimise(plan(method, { seed: 43 }));
      expect(key(c.trials)).not.toEqual(key(a.trials));
    },
  );

  it('a job cut short resumes from its stored trials and runs every trial exactly once', async () => {
    const full = await optimise(plan('tpe'));
    const first = await optimise(plan('tpe'), { failAfter: 37 }).catch(() => undefined);
    expect(first).toBeUndefined();
    const stored: TrialRecord[] = [];
    await runOptimization(plan('tpe'), {
      stored: [],
      evaluate: async (p, w) => syntheticStats(p, w, quality),
      store: async (t) => {
        if (stored.length >= 37) throw new Error('killed');
        stored.push(t);
      },
    }).catch(() => undefined);
    expect(stored).toHaveLength(37);
    const rest = await optimise(plan('tpe'), { stored });
    const all = [...stored, ...rest.trials];
    const ids = all.map((t) => `${t.fold}/${t.role}/${t.seq}`);
    expect(new Set(ids).size).toBe(ids.length);
    const key = (ts: TrialRecord[]) => ts.map((t) => `${t.fold}/${t.role}/${t.seq} ${JSON.stringify(t.params)}`).sort();
    expect(key(all)).toEqual(key(full.trials));
    expect(rest.result.chosen).toEqual(full.result.chosen);
  });
});

describe('walk-forward', () => {
  it('rolling folds tile the out-of-sample windows; anchored ones start at bar 0', () => {
    const rolling = walkForwardFolds(1_000, { mode: 'rolling', folds: 4, inSampleRatio: 0.75 }) ?? [];
    expect(rolling).toHaveLength(4);
    for (let k = 0; k < rolling.length; k += 1) {
      const f = rolling[k];
      expect(f?.isEnd).toBe(f?.oos?.start);
      if (k > 0) expect(f?.oos?.start).toBe(rolling[k - 1]?.oos?.end);
      expect((f?.isEnd ?? 0) - (f?.isStart ?? 0)).toBe((rolling[0]?.isEnd ?? 0) - (rolling[0]?.isStart ?? 0));
    }
    expect(rolling[3]?.oos?.end).toBe(1_000);
    const anchored = walkForwardFolds(1_000, { mode: 'anchored', folds: 4, inSampleRatio: 0.75 }) ?? [];
    expect(anchored.every((f) => f.isStart === 0)).toBe(true);
    expect(walkForwardFolds(50, { mode: 'rolling', folds: 10, inSampleRatio: 0.75 })).toBeUndefined();
  });

  it('no in-sample trial reads a bar at or after its fold’s out-of-sample start', async () => {
    const folds = walkForwardFolds(4_000, { mode: 'rolling', folds: 3, inSampleRatio: 0.7 }) ?? [];
    const seen: Array<{ fold: number; window: TrialWindow; oos: boolean }> = [];
    await runOptimization(plan('tpe', { folds, trials: 30 }), {
      stored: [],
      evaluate: async (p, w) => {
        const fold = folds.find((f) => f.isStart === w.runFrom) ?? folds[0];
        seen.push({ fold: fold?.index ?? -1, window: w, oos: w.scoreFrom !== w.runFrom });
        return syntheticStats(p, w, quality);
      },
      store: async () => undefined,
    });
    for (const s of seen.filter((x) => !x.oos)) expect(s.window.end).toBeLessThanOrEqual(folds[s.fold]?.isEnd ?? 0);
    expect(seen.filter((x) => x.oos)).toHaveLength(3);
  });

  it('a noise landscape is flagged: the in-sample best does not survive out of sample', async () => {
    const folds = walkForwardFolds(4_000, { mode: 'rolling', folds: 3, inSampleRatio: 0.7 }) ?? [];
    // A flat landscape: the best-looking parameters are an accident of their own noise.
    const { result } = await optimise(plan('random', { folds, trials: 60 }), { signal: () => 0 });
    expect(result.guard.flagged).toBe(true);
    expect(result.guard.verdict).toMatch(/^Do not trust/);
  });

  it('a real edge passes the guard', async () => {
    const folds = walkForwardFolds(4_000, { mode: 'rolling', folds: 3, inSampleRatio: 0.7 }) ?? [];
    const { result } = await optimise(
      plan('grid', {
        folds,
        space: buildSearchSpace(SCHEMA, { x: { min: 15, max: 27, step: 2 }, y: { min: 2, max: 14, step: 2 } }),
      }),
    );
    expect(result.headlineKind).toBe('outOfSample');
    expect(result.headline?.score).toBeGreaterThan(0);
    expect(result.guard.robustness).toBeGreaterThan(0.5);
    expect(result.guard.flagged).toBe(false);
  });
});
