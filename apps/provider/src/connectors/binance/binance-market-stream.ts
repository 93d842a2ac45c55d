import type { OrderBook, SymbolPrice, Trade } from '@barfinex/contracts';
import { createReconnectingWs } from '../shared/reconnecting-ws';
import type { BinanceMarket } from './binance-hosts';
import type { BinanceDepthSnapshot } from './binance-schemas';
import { BinanceAggTradeSchema, BinanceDepthUpdateSchema, BinanceTickerSchema } from './binance-schemas';
import { createDepthSync } from './depth-sync';
import type { DepthSync } from './depth-sync';

export type MarketStreamKind = 'aggTrade' | 'depth' | 'ticker';

export interface MarketStreamOptions {
  /**
   * One combined-stream connection per entry, carrying the streams of its kinds. Spot serves every
   * stream at one host; USD-M futures serves depth on `/public` and the rest on `/market` (legacy
   * URLs retired 2026-04-23).
   */
  connections: ReadonlyArray<{ wsBase: string; kinds: readonly MarketStreamKind[] }>;
  market: BinanceMarket;
  snapshot: (symbol: string) => Promise<BinanceDepthSnapshot>;
  onTrade: (trade: Trade) => void;
  onBook: (book: OrderBook) => void;
  onTicker: (ticker: SymbolPrice) => void;
  onLog: (msg: string, details?: Record<string, unknown>) => void;
  proactiveReconnectMs: number;
  initialBackoffMs?: number;
}

const STREAM_NAMES: Record<MarketStreamKind, (s: string) => string> = {
  aggTrade: (s) => `${s}@aggTrade`,
  depth: (s) => `${s}@depth@100ms`,
  ticker: (s) => `${s}@ticker`,
};
const ALL_KINDS: readonly MarketStreamKind[] = ['aggTrade', 'depth', 'ticker'];
const streamsOf = (kinds: readonly MarketStreamKind[]) => (symbol: string) =>
  ALL_KINDS.filter((k) => kinds.includes(k)).map((k) => STREAM_NAMES[k](symbol.toLowerCase()));

/** Combined-stream connections of one market; the symbol set is resubscribed after every reconnect. */
export function createBinanceMarketStream(options: MarketStreamOptions) {
  const symbols = new Set<string>();
  const books = new Map<string, DepthSync>();
  let requestId = 0;

  function bookFor(symbol: string): DepthSync {
    let sync = books.get(symbol);
    if (!sync) {
      sync = createDepthSync({
        symbol,
        market: options.market,
        snapshot: () => options.snapshot(symbol),
        onBook: options.onBook,
        onResync: (reason) => options.onLog('depth resync', { symbol, reason }),
      });
      books.set(symbol, sync);
    }
    return sync;
  }

  function onMessage(text: string, reconnect: () => void): void {
    const msg = JSON.parse(text) as {
      stream?: string;
      data?: { e?: string };
      result?: unknown;
      id?: number;
      code?: number;
      msg?: string;
    };
    // web-socket-streams.md "Error Messages": a refused SUBSCRIBE is answered with a code, never silently.
    if (msg.code !== undefined)
      return options.onLog('market stream refused a request', { code: msg.code, msg: msg.msg, id: msg.id });
    const data = msg.data;
    if (!data) return;
    // web-socket-streams.md "Server Shutdown": `!serverShutdown` announces a disconnect; a new connection is opened at once.
    if (data.e === 'serverShutdown') {
      options.onLog('venue announced a server shutdown; reconnecting');
      return reconnect();
    }
    if (data.e === 'aggTrade') {
      const t = BinanceAggTradeSchema.parse(data);
      // `m`: the buyer was the maker, so the seller was the aggressor.
      options.onTrade({
        id: String(t.a),
        time: t.T,
        symbol: t.s,
        price: t.p,
        volume: t.q,
        side: t.m ? 'SHORT' : 'LONG',
      });
    } else if (data.e === 'depthUpdate') {
      const d = BinanceDepthUpdateSchema.parse(data);
      if (symbols.has(d.s)) bookFor(d.s).onEvent(d);
    } else if (data.e === '24hrTicker') {
      options.onTicker(BinanceTickerSchema.parse(data) as unknown as SymbolPrice);
    }
  }

  const sockets = options.connections.map((c) => {
    const names = streamsOf(c.kinds);
    const ws = createReconnectingWs({
      url: () => `${c.wsBase}/stream`,
      proactiveReconnectMs: options.proactiveReconnectMs,
      ...(options.initialBackoffMs !== undefined ? { initialBackoffMs: options.initialBackoffMs } : {}),
      onOpen: (socket, reconnect) => {
        if (reconnect && c.kinds.includes('depth')) for (const b of books.values()) b.reset();
        const params = [...symbols].flatMap(names);
        if (params.length > 0) socket.send({ method: 'SUBSCRIBE', params, id: ++requestId });
      },
      onMessage: (text) => {
        try {
          onMessage(text, () => ws.reconnect());
        } catch (err) {
          options.onLog('unreadable market message', { err: err instanceof Error ? err.message : String(err) });
        }
      },
      onClose: ({ code, willReconnect }) =>
        options.onLog('market stream closed', { code, willReconnect, url: c.wsBase }),
    });
    return { ws, names };
  });

  return {
    start: () => Promise.all(sockets.map((x) => x.ws.start())).then(() => undefined),
    async stop() {
      for (const b of books.values()) b.stop();
      await Promise.all(sockets.map((x) => x.ws.stop()));
    },
    symbols: () => [...symbols].sort(),
    setSymbols(list: readonly string[]) {
      const next = new Set(list);
      const added = [...next].filter((s) => !symbols.has(s));
      const removed = [...symbols].filter((s) => !next.has(s));
      symbols.clear();
      for (const s of next) symbols.add(s);
      for (const s of removed) {
        books.get(s)?.stop();
        books.delete(s);
      }
      for (const { ws, names } of sockets) {
        if (added.length > 0) ws.send({ method: 'SUBSCRIBE', params: added.flatMap(names), id: ++requestId });
        if (removed.length > 0) ws.send({ method: 'UNSUBSCRIBE', params: removed.flatMap(names), id: ++requestId });
      }
    },
    book: (symbol: string, depth: number) => books.get(symbol)?.book(depth),
    resyncs: (symbol: string) => books.get(symbol)?.resyncs() ?? 0,
    opens: () => Math.min(...sockets.map((x) => x.ws.opens())),
  };
}

export type BinanceMarketStream = ReturnType<typeof createBinanceMarketStream>;
