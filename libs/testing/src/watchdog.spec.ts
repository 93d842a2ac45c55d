// The jest watchdog (tools/jest/watchdog-reporter.cjs) ends a run whose test file never yields to
// the event loop, naming the file, and leaves a good run alone. Runs jest on two fixtures.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { findRepoRoot } from './provider-process';

const root = findRepoRoot();
const fixtures = join(__dirname, 'fixtures');

function runJest(fixture: string, limitMs: number) {
  const config = {
    rootDir: fixtures,
    testMatch: [`**/${fixture}`],
    transform: {},
    reporters: ['default', join(root, 'tools/jest/watchdog-reporter.cjs')],
  };
  const env: NodeJS.ProcessEnv = { ...process.env, JEST_FILE_LIMIT_MS: String(limitMs) };
  delete env['NODE_OPTIONS'];
  return spawnSync(
    process.execPath,
    [join(root, 'node_modules/jest/bin/jest.js'), '--config', JSON.stringify(config), '--ci'],
    { cwd: root, env, encoding: 'utf8', timeout: 120_000 },
  );
}

describe('jest watchdog', () => {
  it('ends a run whose test file never yields, and names the file', () => {
    const res = runJest('spin.fixture.js', 1_000);
    expect(res.error).toBeUndefined();
    expect(res.status).not.toBe(0);
    expect(res.stderr).toMatch(/\[watchdog\] spin\.fixture\.js has run for \d+ s, past the 1 s limit/);
  }, 120_000);

  it('leaves a run that finishes alone', () => {
    const res = runJest('quick.fixture.js', 60_000);
    expect(res.error).toBeUndefined();
    expect(res.status).toBe(0);
    expect(res.stderr).not.toContain('[watchdog]');
    expect(res.stderr).toMatch(/1 passed/);
  }, 120_000);
});
