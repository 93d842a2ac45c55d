// Opening an optimisation trial as a full backtest: the trial's own symbol choice and fold window,
// over HTTP on a provider with an embedded database, the memory bus and a one-worker research pool.
import Decimal from 'decimal.js';
import { createMemoryBus } from '@barfinex/bus';
import type { BacktestDetail, OptimizationDetail, OptimizationRequest } from '@barfinex/contracts';
import { OptimizationRequestSchema } from '@barfinex/contracts';
import { createTestPglite } from '@barfinex/db/testing';
import type { Database } from '@barfinex/db';
import { eventually } from '@barfinex/testing';
import { startProvider } from '../../testing/harness';
import type { Harness } from '../../testing/harness';
import { trialBacktestRequest } from './trial-backtest';

jest.setTimeout(180_000);

let db: Database;
let h: Harness;
const MINUTE = 60_000;
const START = Date.UTC(2026, 0, 1);

// Both symbols get the same seeded series, so a trial's combined figures are twice one symbol's.
const JOB = {
  detector: 'ema-cross',
  symbols: ['BTCUSDT', 'ETHUSDT'],
  interval: 'min1',
  source: { type: 'synthetic', bars: 4_000, seed: 11, startPrice: 60_000, volatility: 0.004, start: START },
  space: { fast: { values: [3, 5] }, slow: { values: [20, 30] } },
  search: { method: 'grid', trials: 4, seed: 1 },
  walkForward: { mode: 'rolling', folds: 2, inSampleRatio: 0.6 },
};

async function call<T>(method: string, path: string, body?: unknown) {
  const res = await fetch(`${h.baseUrl}/api${path}`, {
    method,
    headers: { ...h.auth, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as T & { error?: { code: string; message: string } } };
}

async function until<T extends { state: string }>(path: string, states: string[]): Promise<T> {
  let last: T | undefined;
  await eventually(
    async () => {
      last = (await call<T>('GET', path)).body;
      expect(states).toContain(last.state);
    },
    150_000,
    50,
  );
  return last as T;
}

let job: OptimizationDetail;

beforeAll(async () => {
  db = await createTestPglite();
  h = await startProvider({ db, bus: createMemoryBus(), env: { RESEARCH_WORKERS: '1', BACKTEST_MAX_BARS: '50000' } });
  const started = await call<{ id: string }>('POST', '/optimizations', JOB);
  expect(started.status).toBe(202);
  job = await until<OptimizationDetail>(`/optimizations/${started.body.id}?trials=1000`, ['finished', 'failed']);
  expect(job.state).toBe('finished');
}, 120_000);
afterAll(async () => {
  await h?.stop();
  await db?.close();
});

const searchTrial = (fold: number) => {
  const t = job.trials.find((x) => x.fold === fold && x.role === 'search' && x.score.trades > 0);
  if (!t) throw new Error(`no search trial with trades in fold ${fold}`);
  return t;
};
const open = (fold: number, seq: number, body?: unknown) =>
  call<BacktestDetail>('POST', `/optimizations/${job.id}/trials/${fold}/${seq}/backtest`, body);

describe('POST /api/optimizations/:id/trials/:fold/:seq/backtest', () => {
  it('asks which symbol when the job has several, and refuses one the job did not run on', async () => {
    const t = searchTrial(1);
    const none = await open(1, t.seq);
    expect(none.status).toBe(400);
    expect(none.body.error?.message).toMatch(/^symbol: .*BTCUSDT, ETHUSDT/);
    const other = await open(1, t.seq, { symbol: 'XRPUSDT' });
    expect(other.status).toBe(400);
    expect(other.body.error?.message).toMatch(/^symbol: XRPUSDT is not one of the job's symbols/);
    const badWindow = await open(1, t.seq, { symbol: 'ETHUSDT', window: 'everything' });
    expect(badWindow.status).toBe(400);
  });

  it('runs the trial on the chosen symbol over exactly its fold in-sample window, with the trial’s own figures', async () => {
    const t = searchTrial(1);
    const fold = job.result?.folds[1];
    expect(fold).toBeDefined();
    const started = await open(1, t.seq, { symbol: 'ETHUSDT' });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({
      symbol: 'ETHUSDT',
      params: expect.objectContaining(t.params),
      source: { type: 'synthetic', from: fold?.inSample.from, to: fold?.inSample.to },
    });
    const run = await until<BacktestDetail>(`/backtests/${started.body.id}`, ['finished', 'failed']);
    expect(run.state).toBe('finished');
    const bars = ((fold?.inSample.to ?? 0) - (fold?.inSample.from ?? 0)) / MINUTE + 1;
    expect(run.metrics?.bars).toBe(bars);
    expect(run.trades[0]?.entryTime).toBeGreaterThanOrEqual(fold?.inSample.from ?? Infinity);
    expect(run.trades.at(-1)?.exitTime).toBeLessThan((fold?.inSample.to ?? 0) + MINUTE);
    // The trial scored both (identical) symbols: twice this run's trades and net profit.
    expect(run.metrics?.trades).toBe(t.score.trades / 2);
    expect(new Decimal(run.metrics?.netPnl ?? 'NaN').times(2).toNumber()).toBeCloseTo(t.score.netProfit, 6);
  });

  it('runs the fold’s out-of-sample window on request', async () => {
    const t = searchTrial(0);
    const fold = job.result?.folds[0];
    const started = await open(0, t.seq, { symbol: 'BTCUSDT', window: 'outOfSample' });
    expect(started.status).toBe(202);
    expect(started.body.source).toMatchObject({ from: fold?.outOfSample?.from, to: fold?.outOfSample?.to });
    expect(started.body.total).toBe(((fold?.outOfSample?.to ?? 0) - (fold?.outOfSample?.from ?? 0)) / MINUTE + 1);
    const run = await until<BacktestDetail>(`/backtests/${started.body.id}`, ['finished', 'failed']);
    expect(run.state).toBe('finished');
    expect(run.trades.every((x) => x.entryTime >= (fold?.outOfSample?.from ?? Infinity))).toBe(true);
  });

  it('answers 404 for a trial that does not exist', async () => {
    expect((await open(0, 999, { symbol: 'BTCUSDT' })).status).toBe(404);
  });
});

describe('the windows of a job that has no result yet', () => {
  it('are worked out as the job does: the same spans as the finished job stored', async () => {
    const request = OptimizationRequestSchema.parse(JOB) as OptimizationRequest;
    const deps = { candles: { range: async () => [] }, maxBars: 50_000 };
    for (const fold of [0, 1]) {
      for (const window of ['inSample', 'outOfSample'] as const) {
        const stored = job.result?.folds[fold];
        const span = window === 'inSample' ? stored?.inSample : stored?.outOfSample;
        const req = await trialBacktestRequest(deps, { request, result: null, params: { fast: 3, slow: 20 } }, fold, {
          symbol: 'BTCUSDT',
          window,
        });
        expect(req.source).toMatchObject({ from: span?.from, to: span?.to });
      }
    }
  });

  it('refuses the out-of-sample window of a job without walk-forward, naming the field', async () => {
    const { walkForward: _omitted, ...rest } = JOB;
    const request = OptimizationRequestSchema.parse(rest) as OptimizationRequest;
    const deps = { candles: { range: async () => [] }, maxBars: 50_000 };
    const job1 = { request, result: null, params: {} };
    await expect(
      trialBacktestRequest(deps, job1, 0, { symbol: 'BTCUSDT', window: 'outOfSample' }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/^window: fold 0 has no out-of-sample window/) });
    await expect(trialBacktestRequest(deps, job1, 3, { symbol: 'BTCUSDT', window: 'inSample' })).rejects.toMatchObject({
      message: expect.stringMatching(/^fold: the job has no fold 3/),
    });
    const whole = await trialBacktestRequest(deps, job1, 0, { symbol: 'BTCUSDT', window: 'inSample' });
    expect(whole.source).toMatchObject({ from: START, to: START + 3_999 * MINUTE });
  });
});
