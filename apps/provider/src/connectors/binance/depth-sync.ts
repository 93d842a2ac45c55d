import type { OrderBook } from '@barfinex/contracts';
import { applyLevels, topLevels } from '../shared/book-levels';
import type { BookSide } from '../shared/book-levels';
import type { BinanceMarket } from './binance-hosts';
import type { BinanceDepthSnapshot, BinanceDepthUpdate } from './binance-schemas';

export interface DepthSyncOptions {
  symbol: string;
  market: BinanceMarket;
  snapshot: () => Promise<BinanceDepthSnapshot>;
  onBook: (book: OrderBook) => void;
  onResync?: (reason: string) => void;
  depth?: number;
}

/**
 * A local book kept from a REST snapshot plus the diff stream, as Binance documents it: events
 * are buffered while the snapshot loads, the first applied event must straddle the snapshot id,
 * and every later one must continue the previous (spot: U <= u + 1, overlaps allowed; futures: pu = previous u).
 * A gap throws the book away and starts again from a fresh snapshot.
 */
export function createDepthSync(options: DepthSyncOptions) {
  const depth = options.depth ?? 20;
  let bids: BookSide = new Map();
  let asks: BookSide = new Map();
  let lastId: number | undefined;
  let synced = false;
  let loading: Promise<void> | undefined;
  let buffer: BinanceDepthUpdate[] = [];
  let resyncs = 0;
  let stopped = false;
  let lastTime = 0;

  function emit(time: number): void {
    lastTime = time;
    options.onBook({
      symbol: options.symbol,
      time,
      lastUpdateId: lastId ?? 0,
      bids: topLevels(bids, true, depth),
      asks: topLevels(asks, false, depth),
    });
  }

  function continues(e: BinanceDepthUpdate): boolean {
    if (lastId === undefined) return false;
    if (!synced)
      return options.market === 'spot' ? e.U <= lastId + 1 && e.u >= lastId + 1 : e.U <= lastId && e.u >= lastId;
    if (options.market === 'futures' && e.pu !== undefined) return e.pu === lastId;
    // web-socket-streams.md "How to manage a local order book correctly": an event is a gap only when
    // `U` > local id + 1; one that overlaps (U <= id < u; older ones were skipped above) applies.
    return e.U <= lastId + 1;
  }

  /** Applies one event; false on a gap. */
  function step(e: BinanceDepthUpdate): boolean {
    if (lastId !== undefined && e.u <= lastId && !(options.market === 'futures' && !synced && e.u === lastId))
      return true;
    if (!continues(e)) return false;
    applyLevels(bids, e.b);
    applyLevels(asks, e.a);
    lastId = e.u;
    synced = true;
    emit(e.E);
    return true;
  }

  async function load(): Promise<void> {
    const snap = await options.snapshot();
    if (stopped) return;
    bids = new Map();
    asks = new Map();
    applyLevels(bids, snap.bids);
    applyLevels(asks, snap.asks);
    lastId = snap.lastUpdateId;
    synced = false;
    const pending = buffer;
    buffer = [];
    for (const e of pending) {
      if (!step(e)) return resync('gap in buffered events');
    }
  }

  function resync(reason: string): void {
    resyncs++;
    options.onResync?.(reason);
    lastId = undefined;
    synced = false;
    start();
  }

  function start(): void {
    loading = load()
      .catch(() => {
        if (!stopped) setTimeout(start, 1000).unref();
      })
      .finally(() => {
        loading = undefined;
      });
  }

  return {
    /** Feed every diff event in arrival order. */
    onEvent(e: BinanceDepthUpdate): void {
      if (loading || lastId === undefined) {
        buffer.push(e);
        if (!loading && lastId === undefined) start();
        return;
      }
      if (step(e)) return;
      resync(`sequence gap at U=${e.U} after ${lastId}`);
      // The fresh snapshot may predate this event, so it is replayed once the snapshot is in.
      buffer.push(e);
    },
    /** After a reconnect the stream restarted: the old book can no longer be continued. */
    reset(): void {
      buffer = [];
      lastId = undefined;
      synced = false;
    },
    stop(): void {
      stopped = true;
    },
    book(n: number): OrderBook | undefined {
      if (lastId === undefined) return undefined;
      return {
        symbol: options.symbol,
        time: lastTime,
        lastUpdateId: lastId,
        bids: topLevels(bids, true, n),
        asks: topLevels(asks, false, n),
      };
    },
    resyncs: () => resyncs,
    synced: () => synced,
  };
}

export type DepthSync = ReturnType<typeof createDepthSync>;
