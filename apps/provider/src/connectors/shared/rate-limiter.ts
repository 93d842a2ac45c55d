/**
 * Weighted request budget of one venue account, honoured before a request is sent. Windows are
 * fixed and aligned to the clock (Binance counts "weight per minute" that way), and a 429/418
 * from the venue blocks every caller until the venue's Retry-After has passed.
 */
export interface RateLimitRule {
  /** Weight allowed per window. */
  limit: number;
  intervalMs: number;
}

export interface RateLimiterOptions {
  rules: readonly RateLimitRule[];
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

export interface RateLimiter {
  acquire(weight: number): Promise<void>;
  /** The venue's own count (e.g. `X-MBX-USED-WEIGHT-1M`) replaces ours for the current window. */
  observeUsed(intervalMs: number, used: number): void;
  /** After a 429/418: nobody sends before `untilMs`. */
  blockUntil(untilMs: number): void;
  blockedUntil(): number;
}

interface Window {
  rule: RateLimitRule;
  start: number;
  used: number;
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const windows: Window[] = options.rules.map((rule) => ({ rule, start: 0, used: 0 }));
  let blocked = 0;
  // Callers queue so a heavy request is not starved by a stream of light ones.
  let tail: Promise<void> = Promise.resolve();

  function roll(w: Window, t: number): void {
    const start = t - (t % w.rule.intervalMs);
    if (start !== w.start) {
      w.start = start;
      w.used = 0;
    }
  }

  /** Milliseconds to wait before `weight` fits every window (0 = now). */
  function waitFor(weight: number): number {
    const t = options.now();
    let wait = Math.max(0, blocked - t);
    for (const w of windows) {
      roll(w, t);
      // A request heavier than a whole window still goes once the window is fresh.
      if (w.used > 0 && w.used + weight > w.rule.limit) wait = Math.max(wait, w.start + w.rule.intervalMs - t);
    }
    return wait;
  }

  async function take(weight: number): Promise<void> {
    for (let wait = waitFor(weight); wait > 0; wait = waitFor(weight)) await options.sleep(wait);
    for (const w of windows) w.used += weight;
  }

  return {
    acquire(weight) {
      const turn = tail.then(() => take(weight));
      tail = turn.catch(() => undefined);
      return turn;
    },
    observeUsed(intervalMs, used) {
      const t = options.now();
      for (const w of windows) {
        if (w.rule.intervalMs !== intervalMs) continue;
        roll(w, t);
        w.used = Math.max(w.used, used);
      }
    },
    blockUntil(untilMs) {
      blocked = Math.max(blocked, untilMs);
    },
    blockedUntil: () => blocked,
  };
}

export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
