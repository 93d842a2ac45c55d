// Ctrl-C in a terminal signals the whole process group, and every launcher in the chain (npm,
// tsx) may relay the same SIGINT again: one press must still end in a complete shutdown, and only
// a later press may force the exit.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createTestDatabase, describeWithPostgres, eventually, findRepoRoot } from '@barfinex/testing';
import type { TestDatabase } from '@barfinex/testing';
import { killLaunchedStacks, launchStack } from '@barfinex/testing';
import type { LaunchedStack } from '@barfinex/testing';

jest.setTimeout(240_000);
afterAll(killLaunchedStacks);

/** What `npm start` runs (its script from package.json), without npm, so the exit code is the stack's own. */
function startStack(dataDir: string, extra: Record<string, string>): Promise<LaunchedStack> {
  const root = findRepoRoot(__dirname);
  const script = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
    .scripts['start'];
  return launchStack(['sh', '-c', `PATH="${join(root, 'node_modules', '.bin')}:$PATH" exec ${script}`], {
    BARFINEX_DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    ...extra,
  });
}

const ctrlC = (r: LaunchedStack): void => void process.kill(-(r.child.pid as number), 'SIGINT');

function lastLogMessage(output: string): string | undefined {
  const lines = output
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'));
  const last = lines[lines.length - 1];
  return last ? (JSON.parse(last) as { msg?: string }).msg : undefined;
}

describe('Ctrl-C on npm start (embedded defaults)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bfx-ctrlc-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('one press, delivered to the group and relayed again, ends in a complete shutdown with exit code 0', async () => {
    const r = await startStack(dataDir, {});
    ctrlC(r);
    // What a relaying parent does a moment later: the same press, a second delivery.
    setTimeout(() => ctrlC(r), 20).unref();
    const code = await r.closed;
    const output = r.output();
    expect({ code, last: lastLogMessage(output) }).toEqual({ code: 0, last: 'shutdown complete' });
    expect(output).not.toContain('second signal');
    expect(output).not.toMatch(/stop failed|shutdown step failed/);
    // Nothing of the group outlives it.
    await eventually(() => expect(() => process.kill(-(r.child.pid as number), 0)).toThrow(), 30_000, 100);
  });
});

describeWithPostgres('Ctrl-C pressed twice', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bfx-ctrlc-'));
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('bfx_ctrlc');
  });
  afterAll(async () => {
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a second press after the first has been taken forces the exit while the shutdown is stuck', async () => {
    const r = await startStack(dataDir, { DATABASE_URL: db.url });
    // The provider's last save of the simulator waits on this lock, so the shutdown cannot finish by itself.
    const blocker = new Client({ connectionString: db.url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE sim_state_parts IN ACCESS EXCLUSIVE MODE');
      ctrlC(r);
      await eventually(() => expect(r.output()).toContain('"shutting down"'), 30_000, 50);
      // A real second press comes well after the first (the same press relayed arrives within milliseconds).
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(r.child.exitCode).toBeNull();
      ctrlC(r);
      const code = await r.closed;
      expect({ code, output: code === 1 ? '' : r.output().slice(-3000) }).toEqual({ code: 1, output: '' });
      expect(r.output()).toContain('second signal: exiting without waiting');
      expect(r.output()).not.toContain('shutdown complete');
    } finally {
      await blocker.query('ROLLBACK').catch(() => undefined);
      await blocker.end();
    }
  });
});
