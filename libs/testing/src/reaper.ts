// Processes a test spawns (a provider, a whole stack, a nats-server) must not outlive the test
// process: a hook that timed out before it could stop one, a run ended by jest's forceExit or by
// a watchdog's SIGKILL would otherwise leave it running, holding its port, its CPU and its
// connections.
//
// An 'exit' handler cannot do it: inside jest a test sees a copy of `process` that never hears the
// real process exit, and nothing runs after a SIGKILL. So a small reaper process holds the list:
// it is told each child's pid through a pipe, and when the pipe closes (the test process is gone,
// however it ended) it kills every child still listed, with its process group.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

const REAPER = `
const pids = new Map();
const lines = require('node:readline').createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const [op, pid, group] = line.split(' ');
  if (op === '+') pids.set(Number(pid), group === 'g');
  else pids.delete(Number(pid));
});
lines.on('close', () => {
  for (const [pid, group] of pids) {
    try { process.kill(group ? -pid : pid, 'SIGKILL'); } catch {}
    if (group) try { process.kill(pid, 'SIGKILL'); } catch {}
  }
  process.exit(0);
});
`;

let reaper: ChildProcess | undefined;

function tell(line: string): void {
  if (reaper === undefined) {
    reaper = spawn(process.execPath, ['-e', REAPER], {
      // Its own group: a terminal's Ctrl-C to the test run must not end it before it has reaped.
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
      env: {},
    });
    reaper.on('error', () => undefined);
    reaper.stdin?.on('error', () => undefined);
    // Neither the reaper nor its pipe may keep the test process alive.
    reaper.unref();
    (reaper.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  }
  reaper.stdin?.write(`${line}\n`);
}

/**
 * Kills `child` (with its process group when it was spawned detached) once this process is gone,
 * if it is still running then.
 */
export function reapOnExit(child: ChildProcess, options: { group?: boolean } = {}): void {
  const pid = child.pid;
  if (pid === undefined) return;
  tell(`+ ${pid} ${options.group ? 'g' : '-'}`);
  child.once('exit', () => tell(`- ${pid}`));
}
