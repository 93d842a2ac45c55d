import type { SimBalance, SimMarketType } from './sim';

/**
 * The simulator's balance changes, announced as a venue announces them.
 *
 * The engine reports each asset an operation changed (a spot fill: base and quote); a venue
 * announces them together. Binance sends one `outboundAccountPosition` "any time an account
 * balance has changed", listing "the assets that were possibly changed by the event that generated
 * the balance change" (Binance Spot API, User Data Streams, "Account Update"). So the balances the
 * engine changed go out as one BALANCE_UPDATE per market once the operation returns (a microtask
 * later), each asset once with its latest values. Operations that run before that microtask
 * (orders whose placements resumed together) share the announcement: the values are absolute, so
 * a follower of the balances misses nothing, and an order costs one durable event less than two
 * per fill.
 */
export interface BalanceAnnouncerOptions {
  announce: (
    market: SimMarketType,
    change: { eventType: 'BALANCE_UPDATE'; time: number; details: Record<string, unknown> },
  ) => void;
  now: () => number;
  /**
   * A consumer that threw. The announcement runs outside the engine's own isolation of its sink
   * calls (sim/emit.ts `safeCall`), from a microtask, where a throw would end the process.
   */
  onError: (err: unknown) => void;
}

/** Returns the engine's `onBalance`: it collects the changes and schedules their announcement. */
export function createBalanceAnnouncer(options: BalanceAnnouncerOptions): (balance: SimBalance) => void {
  const changed = new Map<SimMarketType, Map<string, SimBalance>>();

  const announceAll = (): void => {
    const markets = [...changed];
    changed.clear();
    for (const [market, assets] of markets) {
      try {
        options.announce(market, {
          eventType: 'BALANCE_UPDATE',
          time: options.now(),
          details: {
            balances: [...assets.values()].map((b) => ({
              asset: b.asset,
              free: b.free,
              locked: b.locked,
              total: b.total,
            })),
          },
        });
      } catch (err) {
        options.onError(err);
      }
    }
  };

  return (balance) => {
    if (changed.size === 0) queueMicrotask(announceAll);
    let assets = changed.get(balance.marketType);
    if (assets === undefined) changed.set(balance.marketType, (assets = new Map()));
    assets.set(balance.asset, balance);
  };
}
