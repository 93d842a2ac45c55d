import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { reapOnExit } from './reaper';

// Apps never import each other, so integration specs of the other apps run the real provider as a
// child process (the same entry point operators run) and talk to it over HTTP, WebSocket and NATS.

export interface ProviderProcessOptions {
  /** NATS server; when omitted the provider runs on its in-memory bus (nothing else can reach it). */
  natsUrl?: string;
  /** Run-scoped subject prefix and stream; generated from `runId` when omitted and NATS is used. */
  subjectPrefix?: string;
  streamName?: string;
  /** Unique per run; names the generated prefix/stream. */
  runId?: string;
  token?: string;
  databaseUrl?: string;
  /** Extra environment for the provider (e.g. SIM_SYMBOLS, SIM_TICK_MS, LOG_LEVEL). */
  env?: Record<string, string>;
  /** Generous: the first start compiles TypeScript on the fly. */
  startTimeoutMs?: number;
  /** Repository root; found by walking up to nx.json when omitted. */
  rootDir?: string;
  /** A fixed port (a restart where clients expect the provider); a free one when omitted. */
  port?: number;
  /**
   * How node runs the provider, for benchmarks that measure what ships. With `bundle`, that built
   * bundle (`node <nodeFlags> <bundle>`, as the image's CMD does); with `nodeFlags` alone, the
   * TypeScript source as `npm run start:provider` runs it (`node <nodeFlags> --import tsx`). Omitted:
   * the source through the tsx launcher.
   */
  launch?: { nodeFlags?: readonly string[]; bundle?: string };
}

export interface ProviderProcess {
  baseUrl: string;
  port: number;
  token: string;
  /** `{ Authorization: 'Bearer <token>' }` for fetch. */
  auth: Record<string, string>;
  subjectPrefix: string;
  streamName: string;
  pid: number;
  /** Everything the process wrote so far (stdout and stderr), for failure messages. */
  output(): string;
  /** SIGTERM (graceful shutdown), SIGKILL after the grace period; idempotent. */
  stop(graceMs?: number): Promise<void>;
}

export function findRepoRoot(from: string = __dirname): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no nx.json above ${from}`);
    dir = parent;
  }
}

/** A port that was free a moment ago (the provider does not accept port 0). */
export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => res(port));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((res) => child.once('exit', () => res()));
}

async function waitForHealth(
  baseUrl: string,
  child: ChildProcess,
  timeoutMs: number,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `provider exited (${child.exitCode ?? child.signalCode}) before it was healthy:\n${output().slice(-4000)}`,
      );
    }
    try {
      const res = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`provider not healthy within ${timeoutMs} ms:\n${output().slice(-4000)}`);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    // The tsx launcher runs node as a child; signalling the group reaches any leftover.
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

/** Spawns `apps/provider/src/main.ts` (sim exchange) on a free port and resolves once /health answers. */
export async function startProviderProcess(options: ProviderProcessOptions = {}): Promise<ProviderProcess> {
  const root = options.rootDir ?? findRepoRoot();
  const runId = options.runId ?? `p${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const subjectPrefix = options.subjectPrefix ?? `bfx${runId}`;
  const streamName = options.streamName ?? `BFX_${runId}`;
  // Hex: a token passed on a command line (the CLI suite) must not begin with a dash.
  const token = options.token ?? randomBytes(18).toString('hex');
  const port = options.port ?? (await freePort());
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    PROVIDER_PORT: String(port),
    PROVIDER_HOST: '127.0.0.1',
    PROVIDER_API_TOKEN: token,
    DATABASE_URL: options.databaseUrl ?? 'pglite:memory',
    NATS_SUBJECT_PREFIX: subjectPrefix,
    NATS_STREAM: streamName,
    LOG_LEVEL: 'warn',
    ...options.env,
  };
  // Jest's VM flag is meaningless for a plain node process, and the parent's NATS_URL must not leak in.
  delete env['NODE_OPTIONS'];
  delete env['NATS_URL'];
  if (options.natsUrl) env['NATS_URL'] = options.natsUrl;

  const tsx = join(root, 'node_modules', '.bin', 'tsx');
  const source = ['--conditions=development', 'apps/provider/src/main.ts'];
  const { launch } = options;
  const [command, args] = !launch
    ? [tsx, source]
    : [
        process.execPath,
        [...(launch.nodeFlags ?? []), ...(launch.bundle ? [launch.bundle] : ['--import', 'tsx', ...source])],
      ];
  const child = spawn(command, args, {
    cwd: root,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  reapOnExit(child, { group: true });
  let log = '';
  const append = (chunk: Buffer) => {
    log += chunk.toString('utf8');
    if (log.length > 200_000) log = log.slice(-100_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const output = () => log;
  const baseUrl = `http://127.0.0.1:${port}`;

  let stopping: Promise<void> | undefined;
  const stop = (graceMs = 10_000): Promise<void> => {
    stopping ??= (async () => {
      const done = exited(child);
      // One SIGTERM to the launcher, which relays it: a second signal would force an immediate exit.
      child.kill('SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
      await done;
      clearTimeout(timer);
      killGroup(child, 'SIGKILL');
    })();
    return stopping;
  };

  try {
    await waitForHealth(baseUrl, child, options.startTimeoutMs ?? 60_000, output);
  } catch (err) {
    await stop(2000);
    throw err;
  }
  return {
    baseUrl,
    port,
    token,
    auth: { authorization: `Bearer ${token}` },
    subjectPrefix,
    streamName,
    pid: child.pid ?? -1,
    output,
    stop,
  };
}

/** Removes a run-scoped JetStream stream (a no-op when it is already gone). */
export async function deleteNatsStream(
  name: string,
  natsUrl = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222',
): Promise<void> {
  const { connect } = await import('nats');
  const nc = await connect({ servers: natsUrl });
  try {
    await (await nc.jetstreamManager()).streams.delete(name);
  } catch {
    // already gone
  } finally {
    await nc.close();
  }
}
