import type { Logger } from 'pino';

export type ShutdownHandler = () => Promise<void> | void;

export interface ShutdownResult {
  ok: boolean;
  failed: string[];
}

/** What `listen` needs from `process`; injectable so tests can raise signals safely. */
export interface SignalSource {
  on(signal: NodeJS.Signals, listener: () => void): unknown;
  off(signal: NodeJS.Signals, listener: () => void): unknown;
}

export interface ShutdownOptions {
  logger: Logger;
  /** Longest each handler may take before it is abandoned. */
  timeoutMs: number;
  exit?: (code: number) => void;
  signals?: SignalSource;
  /**
   * A signal this soon after the first is the same Ctrl-C delivered again, not a second one: a
   * terminal signals the whole process group, and a parent such as npm relays it as well. Default 1 s.
   */
  repeatGraceMs?: number;
  now?: () => number;
}

export interface Shutdown {
  /** Registers a cleanup step; steps run in reverse order (last opened, first closed). */
  add(name: string, fn: ShutdownHandler): void;
  /** Runs every step once; later calls return the same promise. Does not exit the process. */
  run(reason: string): Promise<ShutdownResult>;
  /**
   * On the first signal runs the steps then exits (0 if all succeeded, else 1); a second signal
   * (one arriving later than `repeatGraceMs` after the first) exits at once with 1. Returns a
   * function that removes the listeners.
   */
  listen(signals?: readonly NodeJS.Signals[]): () => void;
}

/** Runs `fn`, rejecting if it has not settled within `timeoutMs` (the work itself is not cancelled). */
export async function withTimeout(fn: ShutdownHandler, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      Promise.resolve().then(fn),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`did not finish within ${timeoutMs}ms`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Exits once the log is written out: pino writes stdout asynchronously, and a pipe whose reader is
 * slow (a busy machine, a supervisor) could otherwise lose the last lines, "shutdown complete"
 * among them. Bounded: a log that cannot drain does not hold the exit for more than a second.
 */
function flushThenExit(logger: Logger, code: number): void {
  const timer = setTimeout(() => process.exit(code), 1_000);
  timer.unref();
  try {
    logger.flush(() => process.exit(code));
  } catch {
    process.exit(code);
  }
}

export function createShutdown(options: ShutdownOptions): Shutdown {
  const { logger, timeoutMs } = options;
  const exit = options.exit ?? ((code: number) => flushThenExit(logger, code));
  const source: SignalSource = options.signals ?? process;
  const now = options.now ?? Date.now;
  const repeatGraceMs = options.repeatGraceMs ?? 1_000;
  let firstSignalAt: number | undefined;
  const steps: { name: string; fn: ShutdownHandler }[] = [];
  let running: Promise<ShutdownResult> | undefined;

  async function runSteps(reason: string): Promise<ShutdownResult> {
    logger.info({ reason, steps: steps.length }, 'shutting down');
    const failed: string[] = [];
    for (const step of [...steps].reverse()) {
      try {
        await withTimeout(step.fn, timeoutMs);
        logger.debug({ step: step.name }, 'shutdown step done');
      } catch (err) {
        failed.push(step.name);
        logger.error({ step: step.name, err }, 'shutdown step failed');
      }
    }
    logger.info({ reason, failed }, 'shutdown complete');
    return { ok: failed.length === 0, failed };
  }

  const shutdown: Shutdown = {
    add(name, fn) {
      if (running) throw new Error(`cannot add shutdown step "${name}": shutdown already started`);
      steps.push({ name, fn });
    },
    run(reason) {
      running ??= runSteps(reason);
      return running;
    },
    listen(signals = ['SIGINT', 'SIGTERM']) {
      const listeners = signals.map((signal) => {
        const listener = (): void => {
          if (firstSignalAt !== undefined && now() - firstSignalAt < repeatGraceMs) {
            logger.debug({ signal }, 'signal repeated by the process group or a parent; still shutting down');
            return;
          }
          if (running) {
            logger.warn({ signal }, 'second signal: exiting without waiting');
            exit(1);
            return;
          }
          firstSignalAt = now();
          void shutdown.run(signal).then((result) => exit(result.ok ? 0 : 1));
        };
        source.on(signal, listener);
        return { signal, listener };
      });
      return () => {
        for (const { signal, listener } of listeners) source.off(signal, listener);
      };
    },
  };
  return shutdown;
}
