import type { ThrottleConfig } from '../pipeline/pipeline-config';
import type { TradeIdea } from '../pipeline/types';

export interface GateVerdict {
  outcome: 'throttled' | 'duplicate';
  reason: string;
}

/** Identifies "the same idea again" across signal ids: who proposed what, where, at which levels. */
export function ideaFingerprint(idea: TradeIdea): string {
  return [
    idea.detectorKey ?? idea.origin,
    idea.symbol,
    idea.direction ?? '-',
    idea.entry ?? '-',
    idea.stop ?? '-',
    idea.targets.join(','),
  ].join('|');
}

/**
 * Per-symbol throttle (a cooldown after each approved decision) and dedup of repeated signals
 * (same fingerprint within a window). In memory: after a restart the first signal per symbol
 * goes through, which errs on the side of deciding rather than silently dropping.
 */
export function createSignalGate(now: () => number) {
  const lastApproved = new Map<string, number>();
  const seen = new Map<string, number>();

  function prune(config: ThrottleConfig, at: number): void {
    for (const [key, t] of seen) if (at - t >= config.dedupWindowMs) seen.delete(key);
    for (const [key, t] of lastApproved) if (at - t >= config.cooldownMs) lastApproved.delete(key);
  }

  return {
    check(idea: TradeIdea, config: ThrottleConfig): GateVerdict | undefined {
      const at = now();
      if (idea.origin === 'signal') {
        const first = seen.get(ideaFingerprint(idea));
        if (first !== undefined && at - first < config.dedupWindowMs) {
          return {
            outcome: 'duplicate',
            reason: `same idea seen ${at - first} ms ago (window ${config.dedupWindowMs} ms)`,
          };
        }
      }
      const approvedAt = lastApproved.get(idea.symbol);
      if (approvedAt !== undefined && at - approvedAt < config.cooldownMs) {
        return {
          outcome: 'throttled',
          reason: `${idea.symbol} approved ${at - approvedAt} ms ago (cooldown ${config.cooldownMs} ms)`,
        };
      }
      return undefined;
    },
    /** Records a decision that went through the pipeline. */
    note(idea: TradeIdea, approved: boolean, config: ThrottleConfig): void {
      const at = now();
      prune(config, at);
      if (idea.origin === 'signal') seen.set(ideaFingerprint(idea), at);
      if (approved) lastApproved.set(idea.symbol, at);
    },
  };
}
export type SignalGate = ReturnType<typeof createSignalGate>;
