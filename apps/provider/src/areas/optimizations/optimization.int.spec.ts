import { createTestDatabase, describeWithPostgres, eventually, startProviderProcess } from '@barfinex/testing';
import type { ProviderProcess, TestDatabase } from '@barfinex/testing';

const REQUEST = {
  detector: 'ema-cross',
  symbols: ['BTCUSDT'],
  interval: 'min1',
  source: { type: 'synthetic', bars: 12_000, seed: 5, volatility: 0.004 },
  space: { fast: { min: 3, max: 8, step: 1 }, slow: { min: 20, max: 30, step: 5 } },
  search: { method: 'tpe', trials: 14, seed: 3 },
  walkForward: { mode: 'rolling', folds: 2, inSampleRatio: 0.7 },
};

type Trial = {
  fold: number;
  seq: number;
  role: string;
  params: Record<string, unknown>;
  score: { score: number | null };
};
type Detail = {
  state: string;
  done: number;
  total: number;
  trials: Trial[];
  result: { headlineKind: string; guard: { verdict: string } } | null;
};

async function api<T>(
  p: ProviderProcess,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${p.baseUrl}/api${path}`, {
    method,
    headers: { ...p.auth, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as T };
}

const trialKey = (t: Trial) => `${t.fold}/${t.role}/${t.seq} ${JSON.stringify(t.params)} ${t.score.score}`;

async function finished(p: ProviderProcess, id: string): Promise<Detail> {
  let detail: Detail | undefined;
  await eventually(
    async () => {
      detail = (await api<Detail>(p, 'GET', `/optimizations/${id}?trials=20000`)).body;
      expect(detail.state).toBe('finished');
    },
    120_000,
    200,
  );
  return detail as Detail;
}

describeWithPostgres('optimisation jobs survive a provider killed mid-job (PostgreSQL)', () => {
  let db: TestDatabase;
  const providers: ProviderProcess[] = [];
  beforeAll(async () => {
    db = await createTestDatabase('optimize_resume');
  });
  afterAll(async () => {
    await Promise.all(providers.map((p) => p.stop()));
    await db?.drop();
  });

  it('resumes after SIGKILL and finishes with every trial exactly once, the same trials as an uninterrupted run', async () => {
    const env = { RESEARCH_WORKERS: '1' };
    const first = await startProviderProcess({ databaseUrl: db.url, env });
    providers.push(first);
    const bad = await api<{ error: { code: string; message: string } }>(first, 'POST', '/optimizations', {
      ...REQUEST,
      space: { fast: { min: 3, max: 8, step: 0.5 } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/space\.fast\.step/);

    const reference = await api<{ id: string }>(first, 'POST', '/optimizations', REQUEST);
    expect(reference.status).toBe(202);
    const whole = await finished(first, reference.body.id);

    const job = await api<{ id: string }>(first, 'POST', '/optimizations', REQUEST);
    await eventually(
      async () => {
        const d = (await api<Detail>(first, 'GET', `/optimizations/${job.body.id}?trials=0`)).body;
        expect(d.done).toBeGreaterThanOrEqual(3);
      },
      60_000,
      20,
    );
    process.kill(-first.pid, 'SIGKILL');
    await first.stop();
    const cut = (await api<Detail>(await startAgain(), 'GET', `/optimizations/${job.body.id}?trials=0`)).body;
    expect(cut.done).toBeLessThan(whole.trials.length);

    const again = providers[providers.length - 1] as ProviderProcess;
    const resumed = await finished(again, job.body.id);
    const keys = resumed.trials.map((t) => `${t.fold}/${t.role}/${t.seq}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(resumed.done).toBe(resumed.trials.length);
    expect(resumed.trials.map(trialKey).sort()).toEqual(whole.trials.map(trialKey).sort());
    expect(resumed.result?.headlineKind).toBe('outOfSample');

    async function startAgain(): Promise<ProviderProcess> {
      const p = await startProviderProcess({ databaseUrl: db.url, env, token: first.token });
      providers.push(p);
      return p;
    }
  }, 300_000);

  it('a graceful stop mid-job leaves it to the next start, which finishes it', async () => {
    const env = { RESEARCH_WORKERS: '1' };
    const first = await startProviderProcess({ databaseUrl: db.url, env });
    providers.push(first);
    const job = await api<{ id: string }>(first, 'POST', '/optimizations', REQUEST);
    await eventually(
      async () =>
        expect(
          (await api<Detail>(first, 'GET', `/optimizations/${job.body.id}?trials=0`)).body.done,
        ).toBeGreaterThanOrEqual(2),
      60_000,
      20,
    );
    await first.stop();
    expect(first.output()).not.toMatch(/optimisation failed/);
    const again = await startProviderProcess({ databaseUrl: db.url, env, token: first.token });
    providers.push(again);
    const resumed = await finished(again, job.body.id);
    const keys = resumed.trials.map((t) => `${t.fold}/${t.role}/${t.seq}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(resumed.done).toBe(resumed.trials.length);
  }, 300_000);
});
