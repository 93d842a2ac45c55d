// Processes a test spawns (a provider, a whole stack, a nats-server) must not outlive the test
// process: a hook that timed out before it could stop one, or a run ended by jest's forceExit,
// would otherwise leave it running, holding its port, its CPU and its connections.
import type { ChildProcess } from 'node:child_process';

const children = new Set<ChildProcess>();
let hooked = false;

function reapAll(): void {
  for (const child of children) {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) continue;
    try {
      // A child spawned detached leads its own group, which reaches a launcher's children too.
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      try {
        child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  children.clear();
}

/** Kills `child` (and its process group) when this process exits, if it is still running then. */
export function reapOnExit(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
  if (!hooked) {
    hooked = true;
    // 'exit' handlers run synchronously on the way out, after process.exit() too.
    process.once('exit', reapAll);
  }
}
