// A jest reporter that bounds how long one test file may run. Jest's own timeouts only bound a
// test or a hook that yields to the event loop; a file whose code never yields (a loop of
// resolved promises), or whose leftovers keep running after a timed-out hook, can hold a run
// until the CI job's own limit, with nothing in the log saying which file it was.
//
// The watch runs in a separate process (a spinning test process cannot run its own timers): it is
// told when each file starts and ends, and when a file has run past the limit it names the file
// on stderr and ends the test process. JEST_FILE_LIMIT_MS sets the limit (default 15 minutes;
// 0 turns the watch off). The slowest file today takes about a minute under a full CI load.
const { spawn } = require('node:child_process');
const path = require('node:path');

const DEFAULT_LIMIT_MS = 15 * 60_000;

class WatchdogReporter {
  constructor(globalConfig, options = {}) {
    const fromEnv = process.env.JEST_FILE_LIMIT_MS;
    this.limitMs = fromEnv !== undefined && fromEnv !== '' ? Number(fromEnv) : (options.limitMs ?? DEFAULT_LIMIT_MS);
    this.rootDir = globalConfig.rootDir;
    this.child = undefined;
  }

  send(message) {
    const stdin = this.child?.stdin;
    if (!stdin || stdin.destroyed) return;
    try {
      stdin.write(`${JSON.stringify(message)}\n`);
    } catch {
      // the watch is gone: the run goes on unwatched
    }
  }

  onRunStart() {
    if (!(this.limitMs > 0)) return;
    this.child = spawn(
      process.execPath,
      [path.join(__dirname, 'watchdog.cjs'), String(process.pid), String(this.limitMs)],
      // Its stderr is the run's: what it says lands in the CI log next to jest's own output.
      { stdio: ['pipe', 'ignore', 'inherit'], detached: false },
    );
    this.child.on('error', () => {
      this.child = undefined;
    });
    // Neither the watch nor its pipe may keep a finished run alive.
    this.child.unref();
    this.child.stdin.on('error', () => undefined);
    this.child.stdin.unref?.();
  }

  onTestFileStart(test) {
    this.send({ start: path.relative(this.rootDir, test.path) });
  }

  onTestFileResult(test) {
    this.send({ end: path.relative(this.rootDir, test.path) });
  }

  onRunComplete() {
    this.child?.stdin?.end();
  }
}

module.exports = WatchdogReporter;
