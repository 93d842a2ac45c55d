import { RecentMap } from '@barfinex/bus';

/**
 * A token bucket per key: `ratePerSec` requests a second on average, up to `burst` at once. Answers
 * 0 when the request may go, else the seconds until one would be allowed (for `Retry-After`).
 */
export function createRateLimiter(options: { ratePerSec: number; burst: number; now: () => number; maxKeys?: number }) {
  // The oldest keys go first past `maxKeys`, in O(1): evicting with `keys().next()` rescans the
  // holes deleted entries leave, which an attacker rotating keys would turn into a CPU cost per request.
  const buckets = new RecentMap<string, { tokens: number; at: number }>(options.maxKeys ?? 100_000);
  return {
    take(key: string): number {
      if (options.ratePerSec <= 0) return 0;
      const at = options.now();
      let bucket = buckets.get(key);
      if (!bucket) {
        bucket = { tokens: options.burst, at };
        buckets.set(key, bucket);
      } else {
        bucket.tokens = Math.min(options.burst, bucket.tokens + ((at - bucket.at) / 1000) * options.ratePerSec);
        bucket.at = at;
      }
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - bucket.tokens) / options.ratePerSec));
    },
    size: () => buckets.size,
  };
}

/**
 * Failed authentications per client address in a fixed window: past `maxFailures`, the address is
 * refused (429) until the window ends, whatever it presents, so secrets cannot be guessed at speed.
 */
export function createFailureThrottle(options: {
  maxFailures: number;
  windowMs: number;
  now: () => number;
  maxKeys?: number;
}) {
  const windows = new RecentMap<string, { failures: number; until: number }>(options.maxKeys ?? 100_000);
  const current = (address: string, at: number) => {
    const w = windows.get(address);
    if (w && w.until <= at) {
      windows.delete(address);
      return undefined;
    }
    return w;
  };
  return {
    /** Seconds until the address may try again; 0 when it may now. */
    blockedFor(address: string): number {
      if (options.maxFailures <= 0) return 0;
      const at = options.now();
      const w = current(address, at);
      return w && w.failures >= options.maxFailures ? Math.max(1, Math.ceil((w.until - at) / 1000)) : 0;
    },
    fail(address: string): void {
      if (options.maxFailures <= 0) return;
      const at = options.now();
      let w = current(address, at);
      if (!w) {
        w = { failures: 0, until: at + options.windowMs };
        windows.set(address, w);
      }
      w.failures += 1;
    },
    /** Addresses refused right now: the gauge on /metrics. */
    blocked(): number {
      const at = options.now();
      let n = 0;
      for (const [address, w] of windows) {
        if (w.until <= at) windows.delete(address);
        else if (w.failures >= options.maxFailures) n += 1;
      }
      return n;
    },
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
export type FailureThrottle = ReturnType<typeof createFailureThrottle>;
