// A detector made with the generator goes through the research lab and into live trading through
// the provider's API only: it is written to its own detectors/<name>/ project (nothing else is
// touched), then backtested, optimised, and its chosen params applied to a detector app hosting it.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { eventually, findRepoRoot, freePort, startProviderProcess } from '@barfinex/testing';
import type { ProviderProcess } from '@barfinex/testing';
import { detectorGenerator } from './generator';

jest.setTimeout(240_000);

const ROOT = findRepoRoot(__dirname);
const NAME = 'lab-breakout';
// Under tools/ so the generated project resolves the workspace packages as it would in detectors/.
const work = fs.mkdtempSync(path.join(__dirname, '..', '.tmp-lab-'));
const detectorsDir = path.join(work, 'detectors');
let provider: ProviderProcess | undefined;
let detectorApp: ReturnType<typeof spawn> | undefined;

async function api<T>(method: string, route: string, body?: unknown): Promise<{ status: number; body: T }> {
  const p = provider as ProviderProcess;
  const res = await fetch(`${p.baseUrl}/api${route}`, {
    method,
    headers: { ...p.auth, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as T };
}

beforeAll(async () => {
  const tree = createTreeWithEmptyWorkspace();
  detectorGenerator(tree, { name: NAME });
  const written: string[] = [];
  for (const change of tree.listChanges()) {
    if (!change.path.startsWith('detectors/') || !change.content) continue;
    const file = path.join(work, change.path);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, change.content);
    written.push(change.path);
  }
  expect(written.every((f) => f.startsWith(`detectors/${NAME}/`))).toBe(true);
  provider = await startProviderProcess({ env: { DETECTORS_DIR: detectorsDir, RESEARCH_WORKERS: '1' } });
});

afterAll(async () => {
  detectorApp?.kill('SIGTERM');
  await provider?.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('a generated detector in the research lab', () => {
  let chosen: Record<string, unknown> = {};
  let optimizationId = '';

  it('is listed with its params schema, backtested and optimised through the API', async () => {
    const catalog = await api<
      Array<{ name: string; origin: string; paramsSchema: { properties: Record<string, unknown> } }>
    >('GET', '/research/detectors');
    const mine = catalog.body.find((d) => d.name === NAME);
    expect(mine?.origin).toBe('user');
    expect(Object.keys(mine?.paramsSchema.properties ?? {})).toEqual(['channel', 'volumePeriod', 'targetR']);

    const source = { type: 'synthetic', bars: 6_000, seed: 11, volatility: 0.004 };
    const bt = await api<{ id: string }>('POST', '/backtests', {
      detector: NAME,
      symbol: 'BTCUSDT',
      interval: 'min1',
      source,
    });
    expect(bt.status).toBe(202);
    await eventually(
      async () => {
        const d = (await api<{ state: string; metrics: { bars: number } | null }>('GET', `/backtests/${bt.body.id}`))
          .body;
        expect(d.state).toBe('finished');
        expect(d.metrics?.bars).toBe(6_000);
      },
      60_000,
      200,
    );

    const opt = await api<{ id: string }>('POST', '/optimizations', {
      detector: NAME,
      symbols: ['BTCUSDT'],
      interval: 'min1',
      source,
      space: { channel: { min: 10, max: 30, step: 10 }, targetR: { values: [1, 2, 3] } },
      search: { method: 'grid' },
      walkForward: { folds: 2 },
    });
    expect(opt.status).toBe(202);
    optimizationId = opt.body.id;
    await eventually(
      async () => {
        const d = (
          await api<{
            state: string;
            result: { chosen: Record<string, unknown> | null; guard: { verdict: string } } | null;
          }>('GET', `/optimizations/${optimizationId}?trials=0`)
        ).body;
        expect(d.state).toBe('finished');
        expect(d.result?.chosen).not.toBeNull();
        chosen = d.result?.chosen ?? {};
      },
      120_000,
      250,
    );
    expect(Object.keys(chosen).sort()).toEqual(['channel', 'targetR']);
  });

  it('runs live in a detector app that found it in the detectors dir, with the chosen params applied through the provider', async () => {
    const p = provider as ProviderProcess;
    const port = await freePort();
    detectorApp = spawn(
      path.join(ROOT, 'node_modules/.bin/tsx'),
      ['--conditions=development', 'apps/detector/src/main.ts'],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          NODE_OPTIONS: '',
          PROVIDER_URL: p.baseUrl,
          PROVIDER_API_TOKEN: p.token,
          DETECTOR_PORT: String(port),
          DETECTOR_HOST: '127.0.0.1',
          DETECTOR_APP_KEY: 'lab',
          DETECTORS_DIR: detectorsDir,
          DETECTOR_DEFINITIONS: '',
          DETECTOR_HEARTBEAT_MS: '1s',
          LOG_LEVEL: 'warn',
        },
        stdio: 'ignore',
      },
    );
    await eventually(
      async () => {
        const res = await api<{ detectors: unknown[] }>('GET', `/detectors/lab/detectors/${NAME}`);
        expect(res.status).toBe(200);
      },
      60_000,
      250,
    );
    const applied = await api<{ status: number; params: Record<string, unknown> }>(
      'POST',
      `/optimizations/${optimizationId}/apply`,
      { appKey: 'lab' },
    );
    expect(applied.status).toBe(200);
    expect(applied.body.params).toEqual(chosen);
    const live = await api<{ params: Record<string, unknown> }>('GET', `/detectors/lab/detectors/${NAME}`);
    expect(live.body.params).toMatchObject(chosen);
  });
});
