// A process a test spawned does not outlive the test process, even one ended by process.exit().
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { eventually } from './eventually';
import { findRepoRoot } from './provider-process';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('reapOnExit', () => {
  it('kills a registered child that is still running when the process exits', async () => {
    const root = findRepoRoot();
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env['NODE_OPTIONS'];
    const res = spawnSync(join(root, 'node_modules/.bin/tsx'), [join(__dirname, 'fixtures/reap.fixture.ts')], {
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(res.status).toBe(0);
    const pid = Number(res.stdout.trim());
    expect(pid).toBeGreaterThan(0);
    await eventually(() => expect(alive(pid)).toBe(false), 10_000);
  }, 60_000);
});
