import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SharedSeries } from './candle-buffer';
import type { TrialTask, WorkerInit, WorkerReply, WorkerRequest } from './pool-protocol';
import type { TrialStats } from './scoring';

export interface TrialPoolOptions {
  /** Worker threads; default one fewer than the cores (at least 1), leaving one for the money path. */
  size?: number;
  detectorsDir?: string | undefined;
  nice?: number;
}

/** The default pool size: every core but one, so the provider's own thread keeps a core. */
export const defaultPoolSize = () => Math.max(1, availableParallelism() - 1);

/**
 * The worker's entry: the TypeScript source next to this file when running from source (tsx
 * registers itself for the worker; under jest, and anywhere the parent has no loader, the
 * bootstrap registers it), the bundled `trial.worker.js` next to the bundle otherwise.
 */
function spawn(init: WorkerInit): Worker {
  // A worker inherits the process's flags, and refuses per-process V8 ones (the images' and
  // `npm start`'s --max-semi-space-size): only the resolution conditions are passed on.
  const conditions = process.execArgv.filter((a) => a.startsWith('--conditions='));
  if (__filename.endsWith('.ts')) {
    const code = `require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register(); require(${JSON.stringify(join(__dirname, 'trial.worker.ts'))});`;
    const execArgv = [...conditions.filter((a) => a !== '--conditions=development'), '--conditions=development'];
    return new Worker(code, { eval: true, workerData: init, execArgv });
  }
  return new Worker(join(__dirname, 'trial.worker.js'), { workerData: init, execArgv: conditions });
}

interface Pending {
  resolve: (stats: TrialStats) => void;
  reject: (err: Error) => void;
}

/**
 * A fixed pool of worker threads that run trials. Series are posted to every worker once and
 * shared (SharedArrayBuffer), so a trial message carries only its params and window; each worker
 * runs one trial at a time, so memory does not grow with the number of trials queued.
 */
export function createTrialPool(options: TrialPoolOptions = {}) {
  const size = Math.max(1, options.size ?? defaultPoolSize());
  const init: WorkerInit = { detectorsDir: options.detectorsDir, nice: options.nice ?? 10 };
  const queue: Array<{ id: number; task: TrialTask; wanted?: () => boolean }> = [];
  const pending = new Map<number, Pending>();
  const idle: Worker[] = [];
  const busy = new Map<Worker, number>();
  const workers: Worker[] = [];
  const sent = new Map<string, SharedSeries>();
  let nextId = 1;
  let closed = false;
  let cpuMs = 0;

  const pump = () => {
    while (idle.length > 0 && queue.length > 0) {
      const job = queue.shift() as { id: number; task: TrialTask; wanted?: () => boolean };
      // A trial whose job was cancelled or is stopping is dropped here, not run.
      if (job.wanted && !job.wanted()) {
        pending.get(job.id)?.reject(new Error('the trial is no longer wanted'));
        pending.delete(job.id);
        continue;
      }
      const worker = idle.pop() as Worker;
      busy.set(worker, job.id);
      worker.postMessage({ type: 'trial', id: job.id, task: job.task } satisfies WorkerRequest);
    }
  };

  const add = (): Worker => {
    const worker = spawn(init);
    worker.unref();
    for (const [key, series] of sent) worker.postMessage({ type: 'series', key, series } satisfies WorkerRequest);
    worker.on('message', (reply: WorkerReply) => {
      const p = pending.get(reply.id);
      pending.delete(reply.id);
      cpuMs += reply.cpuMs ?? 0;
      busy.delete(worker);
      idle.push(worker);
      if (p) {
        if (reply.stats) p.resolve(reply.stats);
        else p.reject(new Error(reply.error ?? 'trial failed'));
      }
      pump();
    });
    worker.on('error', (err) => {
      // A crashed worker fails its own trial and is replaced; the others go on.
      const id = busy.get(worker);
      busy.delete(worker);
      workers.splice(workers.indexOf(worker), 1);
      if (id !== undefined) {
        pending.get(id)?.reject(err);
        pending.delete(id);
      }
      if (!closed) {
        workers.push(add());
        pump();
      }
    });
    idle.push(worker);
    return worker;
  };
  for (let i = 0; i < size; i += 1) workers.push(add());

  return {
    size,
    /** Shares a series with every worker (now and any that replace a crashed one). */
    share(key: string, series: SharedSeries): void {
      sent.set(key, series);
      for (const w of workers) w.postMessage({ type: 'series', key, series } satisfies WorkerRequest);
    },
    /** Forgets the series whose keys start with `prefix` (a job that ended). */
    drop(prefix: string): void {
      for (const key of [...sent.keys()]) if (key.startsWith(prefix)) sent.delete(key);
      for (const w of workers) w.postMessage({ type: 'drop', prefix } satisfies WorkerRequest);
    },
    /** Runs a trial when a worker is free; `wanted` is asked then, and a trial no longer wanted is rejected unrun. */
    run(task: TrialTask, wanted?: () => boolean): Promise<TrialStats> {
      if (closed) return Promise.reject(new Error('the research pool is closed'));
      const id = nextId++;
      return new Promise<TrialStats>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        queue.push({ id, task, ...(wanted ? { wanted } : {}) });
        pump();
      });
    },
    queued: () => queue.length + busy.size,
    /** CPU time the workers spent in trials so far (Linux; 0 elsewhere). */
    cpuMs: () => cpuMs,
    async close(): Promise<void> {
      closed = true;
      for (const p of pending.values()) p.reject(new Error('the research pool is closed'));
      pending.clear();
      queue.length = 0;
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

export type TrialPool = ReturnType<typeof createTrialPool>;
