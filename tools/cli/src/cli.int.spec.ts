// The CLI against a real provider process: a sim session is recorded by the event sink, then
// `barfinex replay start` replays it at max speed and follows it to the end.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { eventually, findRepoRoot, startProviderProcess } from '@barfinex/testing';
import type { ProviderProcess } from '@barfinex/testing';

jest.setTimeout(180_000);

const root = findRepoRoot(__dirname);
let provider: ProviderProcess;

function barfinex(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'tools/cli/bin/barfinex.cjs'), ...args], {
      cwd: root,
      env: { ...process.env, NODE_OPTIONS: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  provider = await startProviderProcess({
    env: { SIM_AUTOSTART: 'true', SIM_TICK_MS: '50ms', SIM_SYMBOLS: 'BTCUSDT' },
  });
  // Let the simulator trade for a moment, so the sink holds a session worth replaying.
  await eventually(
    async () => {
      const res = await fetch(`${provider.baseUrl}/api/eventsink?category=marketdata&limit=1`, {
        headers: provider.auth,
      });
      const body = (await res.json()) as { total?: number; meta?: { total?: number } };
      expect(body.total ?? body.meta?.total ?? 0).toBeGreaterThan(20);
    },
    60_000,
    250,
  );
});
afterAll(() => provider.stop());

describe('barfinex replay', () => {
  it('starts a replay at max speed and follows it to the end', async () => {
    const args = [
      'replay',
      'start',
      '--from',
      '0',
      '--to',
      String(Date.now()),
      '--speed',
      'max',
      '--json',
      '--url',
      provider.baseUrl,
      '--token',
      provider.token,
    ];
    const run = await barfinex(args);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { state: string; eventsSent: number; total: number });
    const last = lines.at(-1);
    expect(last?.state).toBe('finished');
    expect(last?.eventsSent).toBe(last?.total);
    expect(last?.total).toBeGreaterThan(0);

    const status = await barfinex(['replay', 'status', '--url', provider.baseUrl], {
      PROVIDER_API_TOKEN: provider.token,
    });
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/: finished, 100\.0%/);
  });

  it('explains a bad invocation with the usage and exit code 2', async () => {
    const run = await barfinex(['replay', 'start', '--url', provider.baseUrl, '--token', provider.token]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('replay start needs --from and --to');
    expect(run.stderr).toContain('usage: barfinex');
  });

  it('backfills a series from the connector and follows it to the end', async () => {
    // Minute-aligned ends: the bars whose open time is in [from, to] number 2 days of minutes + 1.
    const to = Math.floor((Date.now() - 3_600_000) / 60_000) * 60_000;
    const series = ['--connector', 'sim', '--market', 'spot', '--symbol', 'btcusdt', '--interval', 'min1'];
    const run = await barfinex([
      'backfill',
      ...series,
      '--from',
      String(to - 2 * 86_400_000),
      '--to',
      String(to),
      '--json',
      '--url',
      provider.baseUrl,
      '--token',
      provider.token,
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { state: string; upserted: number; pages: number; progress: number });
    expect(lines.at(-1)).toMatchObject({ state: 'finished', upserted: 2_881, pages: 3, progress: 1 });

    const status = await barfinex([
      'backfill',
      'status',
      ...series,
      '--url',
      provider.baseUrl,
      '--token',
      provider.token,
    ]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/backfill sim\/spot\/BTCUSDT\/min1: finished, 100\.0% \(2881 bars in 3 pages\)/);

    const bad = await barfinex([
      'backfill',
      '--connector',
      'sim',
      '--market',
      'spot',
      '--symbol',
      'BTCUSDT',
      '--interval',
      'x',
      '--from',
      '0',
      '--to',
      '1',
      '--url',
      provider.baseUrl,
      '--token',
      provider.token,
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--interval: unknown interval "x"');
  });

  it('reports a provider error with its code', async () => {
    const run = await barfinex(['replay', 'status', '--url', provider.baseUrl, '--token', 'wrong']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('UNAUTHORIZED');
  });
});
