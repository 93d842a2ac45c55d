// The watch the watchdog reporter starts: `node watchdog.cjs <jest pid> <limit ms>`. Reads one
// JSON line per file start or end on stdin; when a file has run past the limit it names the file
// on stderr and ends the jest process (SIGTERM, then SIGKILL if that is not enough: a process that
// never yields to its event loop cannot run a SIGTERM handler). Exits when stdin closes.
const readline = require('node:readline');

const [, , pidArg, limitArg] = process.argv;
const pid = Number(pidArg);
const limitMs = Number(limitArg);
const running = new Map();
const CHECK_MS = Math.min(5_000, Math.max(100, Math.floor(limitMs / 10)));

const lines = readline.createInterface({ input: process.stdin });
lines.on('line', (line) => {
  let message;
  try {
    message = JSON.parse(line);
  } catch {
    return;
  }
  if (typeof message.start === 'string') running.set(message.start, Date.now());
  if (typeof message.end === 'string') running.delete(message.end);
});
lines.on('close', () => process.exit(0));

function alive() {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const timer = setInterval(() => {
  if (!alive()) process.exit(0);
  const now = Date.now();
  const over = [...running].filter(([, since]) => now - since > limitMs);
  if (over.length === 0) return;
  clearInterval(timer);
  for (const [file, since] of over)
    process.stderr.write(
      `\n[watchdog] ${file} has run for ${Math.round((now - since) / 1000)} s, past the ${Math.round(limitMs / 1000)} s limit for one test file: ending this jest run (pid ${pid}).\n`,
    );
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    process.exit(0);
  }
  setTimeout(() => {
    if (alive()) {
      process.stderr.write(`[watchdog] jest (pid ${pid}) did not end on SIGTERM: SIGKILL.\n`);
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
    process.exit(0);
  }, 10_000);
}, CHECK_MS);
