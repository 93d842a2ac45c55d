import type { MarketType } from '@barfinex/enums';
import type { ConnectorEvents } from '../connector';
import { createTradingGate } from './trading-gate';

export interface ReconcileLoopOptions {
  sleep: (ms: number) => Promise<void>;
  retryMs: number;
  onLog: (msg: string, details?: Record<string, unknown>) => void;
}

/**
 * Closes trading for a market, reconciles (retrying with backoff until it succeeds) and opens
 * trading again. Requests that arrive while a run is going schedule exactly one more run.
 */
export function createReconcileLoop(options: ReconcileLoopOptions) {
  const gate = createTradingGate();
  const running = new Map<MarketType, Promise<void>>();
  const again = new Set<MarketType>();
  /** Why the last run of a market failed, until one succeeds (a degraded market reports it). */
  const failures = new Map<MarketType, string>();
  let stopped = false;

  async function loop(market: MarketType, reconcile: NonNullable<ConnectorEvents['reconcile']>): Promise<void> {
    for (let attempt = 0; !stopped; attempt++) {
      again.delete(market);
      try {
        const result = await reconcile(market);
        failures.delete(market);
        options.onLog('reconciled', { market, matched: result.matched, mismatches: result.mismatches.length });
        if (!again.has(market)) {
          gate.open(market);
          return;
        }
        attempt = -1;
      } catch (err) {
        failures.set(market, err instanceof Error ? err.message : String(err));
        options.onLog('reconciliation failed; retrying', { market, err: failures.get(market) });
        await options.sleep(Math.min(30_000, options.retryMs * 2 ** attempt));
      }
    }
  }

  return {
    gate,
    /** The gate's state in words: why trading on `market` waits, or undefined when it is open. */
    waitReason(market: MarketType): string | undefined {
      if (gate.isOpen(market)) return undefined;
      const failure = failures.get(market);
      return failure
        ? `trading waits for reconciliation with the venue, which failed: ${failure}`
        : 'trading waits for reconciliation with the venue';
    },
    request(market: MarketType, reconcile: ConnectorEvents['reconcile']): Promise<void> {
      gate.close(market);
      if (!reconcile) {
        gate.open(market);
        return Promise.resolve();
      }
      const current = running.get(market);
      if (current) {
        again.add(market);
        return current;
      }
      const run = loop(market, reconcile).finally(() => running.delete(market));
      running.set(market, run);
      return run;
    },
    stop() {
      stopped = true;
    },
  };
}
