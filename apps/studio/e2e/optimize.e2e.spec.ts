// The Optimize page in Debian's Chromium against the whole platform as `npm start` runs it (sim
// exchange, embedded database, in-memory bus), on free ports: a researcher starts a walk-forward
// optimisation on two symbols, watches its progress arrive live, reads the result (trials, the
// out-of-sample vs in-sample equity, the heatmap) and opens one trial as a full backtest.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BacktestDetail, OptimizationDetail } from '@barfinex/contracts';
import { eventually, findRepoRoot, killLaunchedStacks, launchStack } from '@barfinex/testing';
import type { LaunchedStack } from '@barfinex/testing';
import { chartInk, openBrowser, screenshotPath } from './browser';
import type { Browser } from './browser';

const TOKEN = 'studio-e2e-optimize-token-0123456789';
const root = findRepoRoot(__dirname);
jest.setTimeout(300_000);

let stack: LaunchedStack;
let browser: Browser;
let dataDir: string;
let jobId = '';

async function api<T>(url: string): Promise<T> {
  const res = await fetch(`${stack.base}/api${url}`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

async function shot(name: string): Promise<void> {
  const file = screenshotPath(name, root);
  mkdirSync(path.dirname(file), { recursive: true });
  // The form, the job, the verdict, the curves, the heatmap and the first trials.
  await browser.page.screenshot({ path: file, fullPage: true, clip: { x: 0, y: 0, width: 1440, height: 1500 } });
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'studio-e2e-optimize-'));
  // One research worker, so the job's progress is slow enough to be seen moving.
  stack = await launchStack(['npm', 'start'], {
    BARFINEX_DATA_DIR: dataDir,
    PROVIDER_API_TOKEN: TOKEN,
    RESEARCH_WORKERS: '1',
  });
  browser = await openBrowser(1440, 1000);
  const { page } = browser;
  await page.goto(`${stack.base}/`);
  await page.getByLabel('API token').fill(TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('html[data-ws="connected"]').waitFor({ timeout: 60_000 });
});

afterAll(async () => {
  await browser?.close();
  killLaunchedStacks();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** "done/total" of the job's row in the jobs table, while it runs. */
async function progressOf(): Promise<number | null> {
  const row = browser.page.getByTestId('optimization-jobs').locator('tbody tr').first();
  if ((await row.getAttribute('data-state')) !== 'running' || (await row.locator('progress').count()) === 0)
    return null;
  const m = /(\d+)\/(\d+)/.exec((await row.getByTestId('job-progress').textContent()) ?? '');
  return m ? Number(m[1]) : null;
}

describe('the Optimize page', () => {
  it('starts a walk-forward job from the form and shows its progress as it arrives', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Optimize' }).click();
    const form = page.getByRole('form', { name: 'Start an optimisation' });
    await form.getByLabel('Detector').selectOption('ema-cross-atr');
    await form.getByLabel('Symbols').fill('BTCUSDT, ETHUSDT');
    await form.getByLabel('Synthetic bars').fill('8000');
    await form.getByLabel('Search').selectOption('tpe');
    await form.getByLabel('Trials per fold').fill('14');
    await form.getByLabel('Seed').fill('3');
    await form.getByLabel('Walk-forward folds (0: none)').fill('2');
    await form
      .getByLabel(/^Parameter space/)
      .fill('{"fast":{"min":3,"max":12,"step":1},"slow":{"min":20,"max":60,"step":5}}');
    await form.getByRole('button', { name: 'Start' }).click();

    const row = page.getByTestId('optimization-jobs').locator('tbody tr').first();
    await row.filter({ hasText: 'ema-cross-atr BTCUSDT,ETHUSDT tpe' }).waitFor();
    // The jobs table is only refetched when a job changes state: a count that grows while the job
    // runs came from PROVIDER_OPTIMIZATION_PROGRESS over the WebSocket.
    const seen = new Set<number>();
    await eventually(
      async () => {
        const done = await progressOf();
        if (done !== null) seen.add(done);
        expect(seen.size).toBeGreaterThanOrEqual(2);
      },
      180_000,
      100,
    );
    const list = await api<Array<{ id: string }>>('/optimizations?limit=1');
    jobId = list[0]?.id ?? '';
    expect(jobId).not.toBe('');
    await page
      .getByTestId('optimization-jobs')
      .locator('tbody tr[data-state="finished"]')
      .first()
      .waitFor({ timeout: 240_000 });
  });

  it('shows the trials, the out-of-sample vs in-sample equity and the heatmap of the result', async () => {
    const { page } = browser;
    const job = await api<OptimizationDetail>(`/optimizations/${jobId}?trials=5000`);
    expect(job.state).toBe('finished');
    await page.getByTestId('optimization-verdict').waitFor();
    await page.getByTestId('optimization-verdict').locator('strong', { hasText: 'Stitched out-of-sample' }).waitFor();

    // Every stored trial is a row, its params as sent.
    const rows = page.getByTestId('optimization-trials').locator('tbody tr');
    await eventually(async () => expect(await rows.count()).toBe(job.trials.length), 10_000, 100);
    const first = job.trials[0];
    await rows
      .first()
      .filter({ hasText: JSON.stringify(first?.params) })
      .waitFor();

    // Both curves are drawn: the legend names them and the chart has ink.
    const legend = page.getByTestId('equity-legend');
    await legend.locator('[data-run="OOS"]').waitFor();
    await legend.locator('[data-run="IS"]').waitFor();
    await eventually(async () => expect(await chartInk(page, 'equity-chart')).toBeGreaterThan(300), 30_000, 200);

    // The heatmap has a cell per (fast, slow) pair tried, coloured by its score.
    const heat = page.getByTestId('optimization-heatmap');
    const [x, y] = Object.keys(job.trials[0]?.params ?? {});
    const inSample = job.trials.filter((t) => t.role !== 'oos');
    const xs = new Set(inSample.map((t) => t.params[x ?? '']));
    const ys = new Set(inSample.map((t) => t.params[y ?? '']));
    expect(xs.size).toBeGreaterThan(1);
    await eventually(async () => expect(await heat.locator('td').count()).toBe(xs.size * ys.size), 10_000, 100);
    const coloured = await heat
      .locator('td')
      .evaluateAll(
        (cells) => cells.filter((c) => !['', 'transparent'].includes((c as HTMLElement).style.backgroundColor)).length,
      );
    expect(coloured).toBeGreaterThan(1);
    await page.getByTestId('optimization-verdict').scrollIntoViewIfNeeded();
    await shot('optimize');
  });

  it('opens a trial as a backtest of its symbol and fold window, chosen on the page', async () => {
    const { page } = browser;
    const job = await api<OptimizationDetail>(`/optimizations/${jobId}?trials=5000`);
    const trial = job.trials.find((t) => t.role === 'search' && t.fold === 1 && t.score.trades > 0);
    expect(trial).toBeDefined();
    const fold = job.result?.folds.find((f) => f.fold === 1);
    expect(fold?.outOfSample).not.toBeNull();
    await page.getByRole('button', { name: `Open trial 1/${trial?.seq} as a backtest` }).click();
    const opener = page.getByRole('form', { name: 'Open the trial as a backtest' });
    await opener.getByLabel('Symbol').selectOption('ETHUSDT');
    await opener.getByRole('radio', { name: /^out-of-sample/ }).check();
    await opener.getByRole('button', { name: 'Run backtest' }).click();

    await page.waitForURL(/\/studio\/backtests\?id=/);
    const id = new URL(page.url()).searchParams.get('id') ?? '';
    await page.getByTestId('backtest-metrics').waitFor({ timeout: 120_000 });
    await page.getByTestId('backtest-run').filter({ hasText: 'ETHUSDT' }).waitFor();
    const run = await api<BacktestDetail>(`/backtests/${id}`);
    expect(run).toMatchObject({
      symbol: 'ETHUSDT',
      detector: 'ema-cross-atr',
      params: expect.objectContaining(trial?.params),
      source: expect.objectContaining({ from: fold?.outOfSample?.from, to: fold?.outOfSample?.to }),
    });
    expect(run.metrics?.bars).toBe(((fold?.outOfSample?.to ?? 0) - (fold?.outOfSample?.from ?? 0)) / 60_000 + 1);
    await page.getByTestId('equity-chart').waitFor();
    expect(browser.errors).toEqual([]);
  });
});
