import { Money } from '@barfinex/contracts';
import type { OrderBook, Trade } from '@barfinex/contracts';
import type { VenueFill, VenueOrderState } from '../connector';
import { applyLevels, topLevels } from '../shared/book-levels';
import type { BookSide } from '../shared/book-levels';
import { createReconnectingWs } from '../shared/reconnecting-ws';
import { fromTradeUpdate, toLocalSymbol } from './alpaca-mappers';
import {
  AlpacaStreamMessageSchema,
  AlpacaStreamOrderBookSchema,
  AlpacaStreamTradeSchema,
  AlpacaTradeUpdateSchema,
} from './alpaca-schemas';

export interface AlpacaStreamCommon {
  key: string;
  secret: string;
  proactiveReconnectMs: number;
  initialBackoffMs?: number;
  onLog: (msg: string, details?: Record<string, unknown>) => void;
}

const errText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** What both Alpaca streams share: address, backoff, proactive reconnect and close logging. */
function connection(o: AlpacaStreamCommon & { url: string }, name: string) {
  return {
    url: () => o.url,
    proactiveReconnectMs: o.proactiveReconnectMs,
    ...(o.initialBackoffMs !== undefined ? { initialBackoffMs: o.initialBackoffMs } : {}),
    onClose: ({ code, willReconnect }: { code: number; willReconnect: boolean }) =>
      o.onLog(`${name} closed`, { code, willReconnect }),
  };
}

const BOOK_DEPTH = 20;
const level = (l: { p: number; s: number }): [string, string] => [new Money(l.p).toFixed(), new Money(l.s).toFixed()];

/**
 * One market-data connection per asset class and key (Alpaca allows one per key), multiplexed
 * over every symbol the provider streams; the symbol set is sent again after each reconnect.
 * With `onBook` (the crypto feed has order books, stocks do not) each symbol's book is kept
 * locally from Alpaca's full book (`r: true`, sent on subscribing) and its changes, and the best
 * 20 levels a side are passed on after every message; changes before a full book are ignored.
 */
export function createAlpacaMarketStream(
  options: AlpacaStreamCommon & { url: string; onTrade: (t: Trade) => void; onBook?: (book: OrderBook) => void },
) {
  const symbols = new Set<string>();
  const books = new Map<string, { bids: BookSide; asks: BookSide; time: number }>();
  /**
   * Trades and order books go in separate messages: should Alpaca refuse the books (a plan's
   * channel limit), the trades still stand.
   */
  const send = (
    action: 'subscribe' | 'unsubscribe',
    list: readonly string[],
    socket: { send(data: unknown): void } = ws,
  ) => {
    socket.send({ action, trades: list });
    if (options.onBook) socket.send({ action, orderbooks: list });
  };

  function onBookMessage(m: unknown): void {
    const o = AlpacaStreamOrderBookSchema.parse(m);
    if (!symbols.has(o.S)) return;
    let book = books.get(o.S);
    if (o.r === true) {
      book = { bids: new Map(), asks: new Map(), time: 0 };
      books.set(o.S, book);
    }
    if (book === undefined) return;
    applyLevels(book.bids, o.b.map(level));
    applyLevels(book.asks, o.a.map(level));
    book.time = Date.parse(o.t);
    const current = view(o.S, BOOK_DEPTH);
    if (current) options.onBook?.(current);
  }

  /** The kept book of a venue symbol, best `depth` levels a side; undefined before its full book. */
  function view(venueSymbol: string, depth: number): OrderBook | undefined {
    const book = books.get(venueSymbol);
    return (
      book && {
        symbol: toLocalSymbol(venueSymbol),
        time: book.time,
        bids: topLevels(book.bids, true, depth),
        asks: topLevels(book.asks, false, depth),
      }
    );
  }

  const ws = createReconnectingWs({
    ...connection(options, 'market stream'),
    onOpen: (socket) => {
      // A new connection starts from fresh full books, sent once the symbols are subscribed again.
      books.clear();
      socket.send({ action: 'auth', key: options.key, secret: options.secret });
      if (symbols.size > 0) send('subscribe', [...symbols], socket);
    },
    onMessage: (text) => {
      try {
        for (const m of JSON.parse(text) as Array<{ T?: string }>) {
          if (m.T === 't') {
            const t = AlpacaStreamTradeSchema.parse(m);
            options.onTrade({
              id: String(t.i),
              time: Date.parse(t.t),
              symbol: toLocalSymbol(t.S),
              price: new Money(t.p).toFixed(),
              volume: new Money(t.s).toFixed(),
              side: t.tks === 'S' ? 'SHORT' : 'LONG',
            });
          } else if (m.T === 'o' && options.onBook) onBookMessage(m);
          else if (m.T === 'error') options.onLog('market stream error', { message: m });
        }
      } catch (err) {
        options.onLog('unreadable market message', { err: errText(err) });
      }
    },
  });
  return {
    start: () => ws.start(),
    stop: () => ws.stop(),
    symbols: () => [...symbols],
    book: view,
    setSymbols(list: readonly string[]) {
      const removed = [...symbols].filter((s) => !list.includes(s));
      const added = list.filter((s) => !symbols.has(s));
      symbols.clear();
      for (const s of list) symbols.add(s);
      for (const s of removed) books.delete(s);
      if (added.length > 0) send('subscribe', added);
      if (removed.length > 0) send('unsubscribe', removed);
    },
    opens: () => ws.opens(),
  };
}

/**
 * The `trade_updates` stream as "Websocket Streaming" (docs.alpaca.markets, read 2026-12) documents
 * it: `{"action":"authenticate","data":{"key_id","secret_key"}}`, then `listen` once the
 * `authorization` stream answers `authorized`, and only when `listening` names `trade_updates` is
 * the stream open (`onConnected` reconciles). The paper host sends binary frames, read as UTF-8.
 */
export function createAlpacaTradeStream(
  options: AlpacaStreamCommon & {
    url: string;
    onOrder: (state: VenueOrderState, fill?: VenueFill) => void;
    onConnected: () => void;
    onState: (state: { open: boolean; reason?: string }) => void;
  },
) {
  let open = false;
  /** Why Alpaca refused the last login; kept when it then closes the socket, so the reason stays the useful one. */
  let refusal: string | undefined;
  const ws = createReconnectingWs({
    ...connection(options, 'trade stream'),
    onOpen: (socket) => {
      open = false;
      socket.send({ action: 'authenticate', data: { key_id: options.key, secret_key: options.secret } });
    },
    onMessage: (text) => {
      try {
        const msg = AlpacaStreamMessageSchema.parse(JSON.parse(text));
        if (msg.stream === 'authorization') {
          if (msg.data['status'] === 'authorized' && msg.data['action'] === 'authenticate')
            ws.send({ action: 'listen', data: { streams: ['trade_updates'] } });
          else {
            refusal = `Alpaca refused the trade stream login (${String(msg.data['action'])}: ${String(msg.data['status'])})`;
            options.onState({ open: false, reason: refusal });
          }
          return;
        }
        if (msg.stream === 'listening') {
          const streams = Array.isArray(msg.data['streams']) ? (msg.data['streams'] as unknown[]) : [];
          open = streams.includes('trade_updates');
          if (open) refusal = undefined;
          options.onState(open ? { open } : { open, reason: 'Alpaca did not grant the trade_updates stream' });
          if (open) options.onConnected();
          return;
        }
        if (msg.stream !== 'trade_updates' || !open) return;
        const { state, fill } = fromTradeUpdate(AlpacaTradeUpdateSchema.parse(msg));
        options.onOrder(state, fill);
      } catch (err) {
        options.onLog('unreadable trade update', { err: errText(err) });
      }
    },
    onClose: ({ code, willReconnect }) => {
      open = false;
      if (willReconnect)
        options.onState({ open: false, reason: refusal ?? `trade stream closed (${code}); reconnecting` });
      options.onLog('trade stream closed', { code, willReconnect });
    },
  });
  return { start: () => ws.start(), stop: () => ws.stop(), opens: () => ws.opens() };
}
