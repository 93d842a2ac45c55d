// Test support: the whole stack as a newcomer's terminal runs it, in its own process group.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { eventually } from './eventually';
import { findRepoRoot, freePort } from './provider-process';
import { reapOnExit } from './reaper';

export interface LaunchedStack {
  child: ChildProcess;
  /** The provider's root URL. */
  base: string;
  output(): string;
  /** Resolves with the exit code (or the signal) once the process has exited and its output is closed. */
  closed: Promise<number | string | null>;
}

const launched: ChildProcess[] = [];

/** SIGKILL to every group launched here that is still running (for an afterAll, so no failed test leaves a stack behind). */
export function killLaunchedStacks(): void {
  for (const child of launched) {
    try {
      if (child.exitCode === null && child.signalCode === null) process.kill(-(child.pid as number), 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/**
 * Spawns `command` (e.g. `npm start`) at the repository root on free ports and resolves once it
 * prints that it is running. CI's NATS_URL, DATABASE_URL and token never leak in: `env` sets what a run needs.
 */
export async function launchStack(
  command: readonly [string, ...string[]],
  env: Record<string, string>,
): Promise<LaunchedStack> {
  const [provider, detector, advisor, inspector, notifier] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ['NATS_URL', 'DATABASE_URL', 'PROVIDER_API_TOKEN', 'NODE_OPTIONS']) delete base[key];
  const [file, ...args] = command;
  const child = spawn(file, args, {
    cwd: findRepoRoot(__dirname),
    // Its own process group, so a test can send Ctrl-C the way a terminal does: to the whole group.
    detached: true,
    env: {
      ...base,
      PROVIDER_PORT: String(provider),
      DETECTOR_PORT: String(detector),
      ADVISOR_PORT: String(advisor),
      INSPECTOR_PORT: String(inspector),
      NOTIFIER_PORT: String(notifier),
      SIM_TICK_MS: '100ms',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  launched.push(child);
  reapOnExit(child, { group: true });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const closed = new Promise<number | string | null>((resolve) =>
    child.once('close', (code, signal) => resolve(code ?? signal)),
  );
  await eventually(
    () => {
      if (child.exitCode !== null) throw Object.assign(new Error(`${command.join(' ')} exited early`), { final: true });
      if (!out.includes('Barfinex is running')) throw new Error('the stack has not said it is running yet');
    },
    180_000,
    200,
  ).catch((err: unknown) => {
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n--- output ---\n${out.slice(-4000)}`);
  });
  return { child, base: `http://127.0.0.1:${provider}`, output: () => out, closed };
}
