import type { SimMarketType } from './config';
import { SimErrorCode, reject } from './errors';
import { accountSnapshots, marketActivity, marketCore, orderSnapshot, symbolCore } from './snapshot';
import type { SimMarketActivity, SimMarketCore, SimOrderSnapshot, SimSnapshot, SimSymbolCore } from './snapshot';
import { marketKey } from './state';
import type { Engine, MarketState } from './state';

/**
 * Incremental persistence: the snapshot split into parts that change at different rates, so a
 * save writes what moved since the last one instead of the whole state.
 *
 * - `core`: everything except the orders and each market's ticker and recent trades: clock,
 *   counters, the live start, accounts, positions, the closed-order ids, per symbol the price
 *   process and start price, per market the last price and trade counter. Small; written on every save. Everything orders,
 *   balances and positions depend on lives here.
 * - `market:<marketType>:<symbol>`: that market's `{ ticker, recentTrades }`; display state only.
 * - `order:<id>`: one order.
 *
 * The engine records which orders and markets it touched (`engine.changes`); `drainChanges`
 * takes them, `returnChanges` puts them back when a write failed, and `assembleSnapshot`
 * rebuilds a full snapshot (the one `restore` takes) from stored parts.
 */

export type SimMarketPart = SimMarketActivity;
export type SimCorePart = Omit<SimSnapshot, 'orders' | 'symbols' | 'closed'> & {
  symbols: (SimSymbolCore & { markets: SimMarketCore[] })[];
  /**
   * The retained closed orders' ids as runs `[first id, count]` of consecutive ids, oldest first.
   * Written on every save: as a list of ids the thousand retained orders were 8 KB of the 9 KB
   * core, rewritten with each order; orders mostly close in the order they were placed, so a few
   * runs say the same. A core stored before carries `closed`, the plain list, which still loads.
   */
  closedRuns: [number, number][];
};

/** The most closed orders any configuration retains (`closedOrderRetention`'s maximum). */
const MAX_CLOSED_IDS = 1_000_000;

/** Consecutive numeric ids (`String(++seq.order)`) as `[first, count]` runs, in the given order. */
export function closedRuns(ids: readonly string[]): [number, number][] {
  const runs: [number, number][] = [];
  let last: [number, number] | undefined;
  for (const id of ids) {
    const n = Number(id);
    if (last !== undefined && n === last[0] + last[1]) last[1] += 1;
    else runs.push((last = [n, 1]));
  }
  return runs;
}

/** The ids `closedRuns` encoded; undefined for malformed runs (more ids than any retention keeps, say), which `restore` refuses. */
function closedIds(runs: unknown): string[] | undefined {
  if (!Array.isArray(runs)) return undefined;
  const ids: string[] = [];
  for (const run of runs) {
    if (!Array.isArray(run) || !Number.isSafeInteger(run[0]) || !Number.isSafeInteger(run[1])) return undefined;
    const [first, count] = run as [number, number];
    if (first < 0 || count < 1 || ids.length + count > MAX_CLOSED_IDS) return undefined;
    for (let i = 0; i < count; i++) ids.push(String(first + i));
  }
  return ids;
}

export const CORE_PART = 'core';
export const marketPartName = (marketKey: string): string => `market:${marketKey}`;
export const orderPartName = (id: string): string => `order:${id}`;

export interface SimChanges {
  /** Every part is included: stored parts not named here are stale and must go. */
  full: boolean;
  core: SimCorePart;
  /** Changed markets, keyed by `marketType:symbol` (the part name without its `market:` prefix). */
  markets: { key: string; value: SimMarketPart }[];
  orders: SimOrderSnapshot[];
  /** Order ids dropped from the closed-order retention: their parts must go. */
  evicted: string[];
}

/** Parts by name as read back from storage. */
export type SimStoredParts = ReadonlyMap<string, unknown>;

export function corePart(engine: Engine): SimCorePart {
  return {
    version: 1,
    time: engine.clock.now(),
    paused: engine.clock.isPaused(),
    startedAt: engine.startedAt,
    seq: { ...engine.seq },
    symbols: engine.symbols.map((sym) => ({ ...symbolCore(sym), markets: sym.markets.map(marketCore) })),
    accounts: accountSnapshots(engine),
    closedRuns: closedRuns(engine.closed.slice(engine.closedHead).map((o) => o.id)),
  };
}

export const marketPart = (engine: Engine, ms: MarketState): SimMarketPart => marketActivity(engine, ms);

/**
 * Takes what changed since the last drain. Markets stay recorded unless `markets` is set (or
 * `full`), so a throttled caller writes them later. An order both changed and evicted since the
 * last drain (possible with a zero retention) is only evicted: parts named for writing and for
 * deletion are always disjoint. The engine records changes only from its first drain on, which
 * is therefore full, as is a drain after the eviction bookkeeping overflowed.
 */
export function drainChanges(engine: Engine, options: { markets: boolean; full: boolean }): SimChanges {
  const { changes } = engine;
  const orders: SimOrderSnapshot[] = [];
  const evicted: string[] = [];
  const markets: SimChanges['markets'] = [];
  // The first drain of an engine (tracking starts with it) and one after evictions overflowed
  // the bookkeeping cannot name what changed: they write everything.
  const full = options.full || !changes.tracking || changes.overflow;
  changes.tracking = true;
  changes.overflow = false;
  if (full) {
    for (const order of engine.orders.values()) orders.push(orderSnapshot(order));
    for (const ms of engine.markets.values()) markets.push({ key: ms.key, value: marketPart(engine, ms) });
    changes.orders.clear();
    changes.evicted.clear();
    changes.markets.clear();
  } else {
    for (const order of changes.orders) if (engine.orders.get(order.id) === order) orders.push(orderSnapshot(order));
    for (const id of changes.evicted) if (!engine.orders.has(id)) evicted.push(id);
    changes.orders.clear();
    changes.evicted.clear();
    if (options.markets) {
      for (const ms of changes.markets) markets.push({ key: ms.key, value: marketPart(engine, ms) });
      changes.markets.clear();
    }
  }
  return { full, core: corePart(engine), markets, orders, evicted };
}

/**
 * Puts drained changes back after a failed write, so the next drain covers them again (with the
 * state current by then). Looks objects up by id: whatever was evicted meanwhile is already
 * recorded as evicted.
 */
export function returnChanges(engine: Engine, taken: SimChanges): void {
  const { changes } = engine;
  for (const o of taken.orders) {
    const order = engine.orders.get(o.id);
    if (order !== undefined) changes.orders.add(order);
  }
  for (const id of taken.evicted) if (!engine.orders.has(id)) changes.evicted.add(id);
  for (const m of taken.markets) {
    const ms = engine.markets.get(m.key);
    if (ms !== undefined) changes.markets.add(ms);
  }
}

/** Compares order ids as the non-negative integers they are (`String(++seq.order)`). */
function byNumericId(a: SimOrderSnapshot, b: SimOrderSnapshot): number {
  return a.id.length - b.id.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

const invalid = (message: string): never => reject(SimErrorCode.INVALID_SNAPSHOT, message);
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Rebuilds the full snapshot from stored parts: the core, each market's part (a market never
 * written yet has had no trade: an empty ticker) and the orders in registration order, which is
 * ascending id order. The result is validated by `restore` like any snapshot.
 */
export function assembleSnapshot(parts: SimStoredParts): SimSnapshot {
  const core = parts.get(CORE_PART);
  if (!isRecord(core) || !Array.isArray(core['symbols'])) return invalid('the stored state has no core part');
  const orders: SimOrderSnapshot[] = [];
  for (const [name, value] of parts) {
    if (!name.startsWith('order:')) continue;
    if (!isRecord(value) || value['id'] !== name.slice('order:'.length))
      invalid(`stored part ${name} is not that order`);
    orders.push(value as SimOrderSnapshot);
  }
  orders.sort(byNumericId);
  const symbols = (core['symbols'] as unknown[]).map((s) => {
    if (!isRecord(s) || !Array.isArray(s['markets'])) return s;
    const markets = (s['markets'] as unknown[]).map((m) => {
      if (!isRecord(m)) return m;
      const part = parts.get(marketPartName(marketKey(m['marketType'] as SimMarketType, String(s['symbol']))));
      const value = isRecord(part)
        ? part
        : { ticker: { buckets: [], volume: '0', quote: '0', count: 0 }, recentTrades: [] };
      return { ...m, ticker: value['ticker'], recentTrades: value['recentTrades'] };
    });
    return { ...s, markets };
  });
  // A core stored before the runs carries the plain list; one whose runs do not decode carries
  // none, and `restore` refuses the snapshot as it refuses any other malformed part.
  const { closedRuns: runs, ...rest } = core as Record<string, unknown>;
  const closed = runs === undefined ? rest['closed'] : closedIds(runs);
  return { ...rest, closed, symbols, orders } as unknown as SimSnapshot;
}

/** The parts a full snapshot splits into (tests, tools, migrating a whole snapshot). */
export function splitSnapshot(snap: SimSnapshot): Map<string, unknown> {
  const parts = new Map<string, unknown>();
  const { orders, symbols, closed, ...rest } = snap;
  const core: SimCorePart = {
    ...rest,
    closedRuns: closedRuns(closed),
    symbols: symbols.map(({ markets, ...s }) => ({
      ...s,
      markets: markets.map(({ ticker, recentTrades, ...m }) => {
        parts.set(marketPartName(marketKey(m.marketType, s.symbol)), { ticker, recentTrades });
        return m;
      }),
    })),
  };
  parts.set(CORE_PART, core);
  for (const o of orders) parts.set(orderPartName(o.id), o);
  return parts;
}
