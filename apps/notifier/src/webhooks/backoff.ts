/**
 * The wait after the `attempt`-th failed attempt (1-based): 1 s, 2 s, 4 s, ... up to `maxMs`, each
 * drawn uniformly from its upper half (jitter, so receivers coming back are not hit by every
 * notifier at the same instant). `random` is injected: tests decide the draw.
 */
export function backoffMs(attempt: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, 1_000 * 2 ** Math.min(Math.max(attempt - 1, 0), 30));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
