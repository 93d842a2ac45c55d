import type { SharedSeries } from './candle-buffer';
import type { TrialStats } from './scoring';
import type { TrialSettings, TrialWindow } from './trial-runner';

export interface WorkerInit {
  detectorsDir: string | undefined;
  /** Added to the worker thread's nice value (Linux): 0 keeps the provider's priority. */
  nice: number;
}

export interface TrialTask {
  detector: string;
  params: Record<string, unknown>;
  seriesKey: string;
  window: TrialWindow;
  settings: TrialSettings;
}

export type WorkerRequest =
  | { type: 'series'; key: string; series: SharedSeries }
  | { type: 'drop'; prefix: string }
  | { type: 'trial'; id: number; task: TrialTask };

/** `cpuMs`: the worker thread's own CPU time for the trial (Linux), what a loaded machine cannot distort. */
export type WorkerReply = { type: 'result'; id: number; stats?: TrialStats; error?: string; cpuMs?: number };
