// A process a test spawned does not outlive the test process, however that ends: process.exit()
// (jest's forceExit) or SIGKILL (a watchdog).
import { spawn } from 'node:child_process';
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

/** Runs the fixture and resolves with the pid of the sleep it spawned, and the fixture's own process. */
function runFixture(mode: 'exit' | 'wait') {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['NODE_OPTIONS'];
  const proc = spawn(
    join(findRepoRoot(), 'node_modules/.bin/tsx'),
    [join(__dirname, 'fixtures/reap.fixture.ts'), mode],
    {
      env,
      // Its own group, so the SIGKILL below reaches tsx's launcher and the process it runs.
      detached: true,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise<{ sleep: number; proc: typeof proc }>((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve({ sleep: Number(out.trim()), proc });
    });
    proc.once('error', reject);
    proc.once('exit', () => (out.includes('\n') ? undefined : reject(new Error('fixture exited without a pid'))));
  });
}

describe('reapOnExit', () => {
  it('kills a registered child when the process that spawned it exits', async () => {
    const { sleep } = await runFixture('exit');
    expect(sleep).toBeGreaterThan(0);
    await eventually(() => expect(alive(sleep)).toBe(false), 10_000);
  }, 60_000);

  it('kills a registered child when the process that spawned it is killed with SIGKILL', async () => {
    const { sleep, proc } = await runFixture('wait');
    expect(alive(sleep)).toBe(true);
    // tsx runs the fixture in a child of its own: the group's SIGKILL ends both at once.
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    process.kill(-proc.pid!, 'SIGKILL');
    await exited;
    await eventually(() => expect(alive(sleep)).toBe(false), 10_000);
  }, 60_000);
});
