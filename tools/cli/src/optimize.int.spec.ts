// `barfinex optimize` against a real provider process: start a job and follow it to the end, then
// attach to it by id from a second invocation, as another terminal would.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { findRepoRoot, startProviderProcess } from '@barfinex/testing';
import type { ProviderProcess } from '@barfinex/testing';

jest.setTimeout(180_000);

const root = findRepoRoot(__dirname);
let provider: ProviderProcess;

function barfinex(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [join(root, 'tools/cli/bin/barfinex.cjs'), ...args, '--url', provider.baseUrl, '--token', provider.token],
      { cwd: root, env: { ...process.env, NODE_OPTIONS: '' } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  provider = await startProviderProcess({ env: { RESEARCH_WORKERS: '1' } });
});
afterAll(() => provider.stop());

describe('barfinex optimize', () => {
  it('starts an optimisation, follows it to the end, and attaches to it by id', async () => {
    const run = await barfinex([
      'optimize',
      '--detector',
      'ema-cross',
      '--symbols',
      'BTCUSDT',
      '--interval',
      'min1',
      '--bars',
      '4000',
      '--space',
      'fast=3:9:2,slow=20:40:10',
      '--method',
      'random',
      '--trials',
      '6',
      '--folds',
      '2',
      '--json',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; state: string; done: number; total: number });
    const last = lines.at(-1);
    expect(last?.state).toBe('finished');
    expect(last?.done).toBe(last?.total);

    const attached = await barfinex(['optimize', '--attach', last?.id ?? '']);
    expect(attached.code).toBe(0);
    expect(attached.stdout).toMatch(/: finished, \d+\/\d+ trials/);
    expect(attached.stdout).toMatch(/stitched out-of-sample: score/);

    const bad = await barfinex([
      'optimize',
      '--detector',
      'ema-cross',
      '--symbols',
      'BTCUSDT',
      '--interval',
      'min1',
      '--bars',
      '4000',
      '--space',
      'fast=3:9:0.5',
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/space\.fast\.step/);
  });
});
