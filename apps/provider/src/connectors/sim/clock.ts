/**
 * Simulated time. The exchange moves it (`step`, scripted events); the live driver only asks the
 * exchange to advance when the clock is not paused, so tests and demos can freeze the market and
 * move it by exact amounts.
 */
export interface SimClock {
  now(): number;
  set(timeMs: number): void;
  isPaused(): boolean;
  pause(): void;
  resume(): void;
}

export interface SimClockOptions {
  startMs: number;
  paused?: boolean;
}

export function createSimClock(options: SimClockOptions): SimClock {
  let now = options.startMs;
  let paused = options.paused ?? false;
  return {
    now: () => now,
    set: (timeMs) => {
      if (!Number.isFinite(timeMs)) throw new RangeError(`clock time must be finite, got ${timeMs}`);
      now = timeMs;
    },
    isPaused: () => paused,
    pause: () => {
      paused = true;
    },
    resume: () => {
      paused = false;
    },
  };
}
