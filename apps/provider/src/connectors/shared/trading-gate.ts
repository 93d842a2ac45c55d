import type { MarketType } from '@barfinex/enums';
import { VenueRejectError } from '../connector';

/**
 * Orders for a market wait here until reconciliation with the venue has succeeded, so nothing is
 * sent while the database may disagree with the venue (after a restart or a reconnect).
 */
export interface TradingGate {
  open(market: MarketType): void;
  close(market: MarketType): void;
  isOpen(market: MarketType): boolean;
  /** Resolves when open; rejects (nothing was sent) if still closed after `timeoutMs`. */
  wait(market: MarketType, timeoutMs: number): Promise<void>;
}

export function createTradingGate(): TradingGate {
  const opened = new Set<MarketType>();
  const waiters = new Map<MarketType, Array<() => void>>();
  return {
    open(market) {
      opened.add(market);
      for (const wake of waiters.get(market) ?? []) wake();
      waiters.delete(market);
    },
    close: (market) => void opened.delete(market),
    isOpen: (market) => opened.has(market),
    wait(market, timeoutMs) {
      if (opened.has(market)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          const list = waiters.get(market) ?? [];
          waiters.set(
            market,
            list.filter((w) => w !== wake),
          );
          reject(
            new VenueRejectError(
              'NOT_RECONCILED',
              `trading on ${market} waits for reconciliation with the venue`,
              false,
            ),
          );
        }, timeoutMs);
        const wake = () => {
          clearTimeout(timer);
          resolve();
        };
        waiters.set(market, [...(waiters.get(market) ?? []), wake]);
      });
    },
  };
}
