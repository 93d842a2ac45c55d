/**
 * A research worker thread: holds the shared series it is given and runs trials on them. Runs at
 * a lower scheduling priority than the provider's own thread, so the money path keeps its core.
 */
import { readFileSync, readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { loadDetectorCatalog } from '../backtest/detectors';
import type { DetectorCatalog } from '../backtest/detectors';
import type { SharedSeries } from './candle-buffer';
import type { WorkerInit, WorkerReply, WorkerRequest } from './pool-protocol';
import { runTrial } from './trial-runner';

/** Linux keeps a priority per thread: this thread's id is the tail of /proc/thread-self. */
function lowerOwnPriority(nice: number): void {
  if (nice <= 0 || process.platform !== 'linux') return;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, nice);
  } catch {
    // No /proc or no permission: the worker runs at normal priority.
  }
}

/** This thread's user + system CPU time in ms (Linux: /proc/thread-self/stat, 100 ticks a second), else undefined. */
function threadCpuMs(): number | undefined {
  try {
    const fields = readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

const init = workerData as WorkerInit;
lowerOwnPriority(init.nice);
const series = new Map<string, SharedSeries>();
let catalog: Promise<DetectorCatalog> | undefined;

parentPort?.on('message', (msg: WorkerRequest) => {
  if (msg.type === 'series') {
    series.set(msg.key, msg.series);
    return;
  }
  if (msg.type === 'drop') {
    for (const key of [...series.keys()]) if (key.startsWith(msg.prefix)) series.delete(key);
    return;
  }
  // require, not import(): from source the worker has tsx's require hook only (see pool.ts).
  catalog ??= loadDetectorCatalog(init.detectorsDir, async (file) => require(file) as unknown);
  void catalog
    .then((c): WorkerReply => {
      const detector = c.get(msg.task.detector);
      const data = series.get(msg.task.seriesKey);
      if (!detector) return { type: 'result', id: msg.id, error: `unknown detector ${msg.task.detector}` };
      if (!data)
        return { type: 'result', id: msg.id, error: `series ${msg.task.seriesKey} was not sent to this worker` };
      const before = threadCpuMs();
      const stats = runTrial(detector, msg.task.params, data, msg.task.window, msg.task.settings);
      const after = threadCpuMs();
      return {
        type: 'result',
        id: msg.id,
        stats,
        ...(before !== undefined && after !== undefined ? { cpuMs: after - before } : {}),
      };
    })
    .catch((err: unknown): WorkerReply => ({
      type: 'result',
      id: msg.id,
      error: err instanceof Error ? err.message : String(err),
    }))
    .then((reply) => parentPort?.postMessage(reply));
});
