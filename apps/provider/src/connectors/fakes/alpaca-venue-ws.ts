import type { Server } from 'node:http';
import { WebSocketServer } from 'ws';
import type WebSocket from 'ws';

/**
 * The WebSocket side of the Alpaca fake (docs.alpaca.markets, read 2026-12):
 * - "Websocket Streaming" at `/stream`: `{"action":"authenticate","data":{"key_id","secret_key"}}`
 *   answered on the `authorization` stream, then `listen`; anything else (the market-data `auth`,
 *   a `listen` before authorization) is answered `unauthorized` and the socket closed. Frames are
 *   binary, as the paper host sends them;
 * - Market Data "Real-time stream" (`/v2/iex`, `/v2/sip`, `/v1beta3/crypto/us`): `connected`, then
 *   `auth` before `subscribe`; its error table (400 invalid syntax, 401 not authenticated, 402 auth
 *   failed, 405 symbol limit exceeded); a full order book (`r: true`) on subscribing.
 */
export type BookLevels = { b: { p: number; s: number }[]; a: { p: number; s: number }[] };

export function createAlpacaVenueWs(
  server: Server,
  options: { keyId: string; secretKey: string; refuseOrderBooks?: boolean },
) {
  const market = new Map<WebSocket, Set<string>>();
  const bookMarket = new Map<WebSocket, Set<string>>();
  const traders = new Set<WebSocket>();
  const tradeMessages: unknown[] = [];
  const subscribeMessages: unknown[] = [];
  const books = new Map<string, BookLevels>();

  function onTradingMessage(socket: WebSocket, state: { authed: boolean }, raw: string): void {
    const reply = (m: unknown) => socket.send(Buffer.from(JSON.stringify(m)), { binary: true });
    let m: { action?: unknown; data?: { key_id?: unknown; secret_key?: unknown; streams?: unknown } };
    try {
      m = JSON.parse(raw) as typeof m;
    } catch {
      return reply({ stream: 'authorization', data: { status: 'unauthorized', action: 'unknown' } });
    }
    tradeMessages.push(m);
    if (m.action === 'authenticate') {
      state.authed = !loginRefused && m.data?.key_id === options.keyId && m.data?.secret_key === options.secretKey;
      reply({
        stream: 'authorization',
        data: { status: state.authed ? 'authorized' : 'unauthorized', action: 'authenticate' },
      });
      if (!state.authed) socket.close(1008, 'unauthorized');
      return;
    }
    if (m.action === 'listen' && state.authed) {
      const streams = Array.isArray(m.data?.streams) ? (m.data.streams as unknown[]).map(String) : [];
      if (streams.includes('trade_updates')) traders.add(socket);
      else traders.delete(socket);
      return reply({ stream: 'listening', data: { streams: streams.filter((s) => s === 'trade_updates') } });
    }
    // The market-data login (`auth`), a `listen` before authorization, or anything else.
    reply({ stream: 'authorization', data: { status: 'unauthorized', action: String(m.action) } });
    socket.close(1008, 'unauthorized');
  }

  function onMarketMessage(socket: WebSocket, state: { authed: boolean }, raw: string): void {
    const reply = (m: unknown) => socket.send(JSON.stringify([m]));
    let m: { action?: unknown; key?: unknown; secret?: unknown; trades?: string[]; orderbooks?: string[] };
    try {
      m = JSON.parse(raw) as typeof m;
    } catch {
      return reply({ T: 'error', code: 400, msg: 'invalid syntax' });
    }
    if (m.action === 'auth') {
      state.authed = m.key === options.keyId && m.secret === options.secretKey;
      return reply(
        state.authed ? { T: 'success', msg: 'authenticated' } : { T: 'error', code: 402, msg: 'auth failed' },
      );
    }
    if (m.action !== 'subscribe' && m.action !== 'unsubscribe')
      return reply({ T: 'error', code: 400, msg: 'invalid syntax' });
    if (!state.authed) return reply({ T: 'error', code: 401, msg: 'not authenticated' });
    subscribeMessages.push(m);
    // A plan whose channel limit is reached: the whole message is refused and nothing changes.
    if (options.refuseOrderBooks && m.orderbooks) return reply({ T: 'error', code: 405, msg: 'symbol limit exceeded' });
    const subs = market.get(socket) ?? new Set<string>();
    const bookSubs = bookMarket.get(socket) ?? new Set<string>();
    const change = (set: Set<string>, list: string[] | undefined) => {
      for (const s of list ?? []) {
        if (m.action === 'subscribe') set.add(s);
        else set.delete(s);
      }
    };
    change(subs, m.trades);
    change(bookSubs, m.orderbooks);
    market.set(socket, subs);
    bookMarket.set(socket, bookSubs);
    reply({ T: 'subscription', trades: [...subs], quotes: [], orderbooks: [...bookSubs], bars: [] });
    // A full book (`r: true`) for each newly subscribed order book.
    if (m.action === 'subscribe')
      for (const s of m.orderbooks ?? [])
        if (books.has(s)) reply({ T: 'o', S: s, t: new Date(0).toISOString(), ...books.get(s), r: true });
  }

  const MARKET_PATHS = new Set(['/v2/iex', '/v2/sip', '/v1beta3/crypto/us']);
  let tradeStreamDown = false;
  let loginRefused = false;
  const wss = new WebSocketServer({
    server,
    verifyClient: (info, done) => {
      if (info.req.url === '/stream') return tradeStreamDown ? done(false, 503, 'Service Unavailable') : done(true);
      return MARKET_PATHS.has(info.req.url ?? '') ? done(true) : done(false, 404, 'Not Found');
    },
  });
  wss.on('connection', (socket, req) => {
    const state = { authed: false };
    socket.on('close', () => {
      traders.delete(socket);
      market.delete(socket);
      bookMarket.delete(socket);
    });
    if (req.url === '/stream') {
      socket.on('message', (raw: WebSocket.RawData) => onTradingMessage(socket, state, String(raw)));
      return;
    }
    socket.send(JSON.stringify([{ T: 'success', msg: 'connected' }]));
    socket.on('message', (raw: WebSocket.RawData) => onMarketMessage(socket, state, String(raw)));
  });
  function broadcast(
    subscribed: Map<WebSocket, Set<string>>,
    symbol: string,
    message: Record<string, unknown>,
  ): number {
    let n = 0;
    for (const [socket, subs] of subscribed) {
      if (!subs.has(symbol)) continue;
      socket.send(JSON.stringify([message]));
      n++;
    }
    return n;
  }

  return {
    tradeMessages,
    subscribeMessages,
    /** Sends a trade update to every client listening to `trade_updates`. */
    pushUpdate(message: unknown): void {
      const frame = Buffer.from(JSON.stringify(message));
      for (const s of traders) s.send(frame, { binary: true });
    },
    setBook: (symbol: string, book: BookLevels) => void books.set(symbol, book),
    pushBookChange: (symbol: string, change: BookLevels & { t: string }): number =>
      broadcast(bookMarket, symbol, { T: 'o', S: symbol, ...change }),
    pushTrade: (symbol: string, trade: Record<string, unknown>): number =>
      broadcast(market, symbol, { T: 't', S: symbol, ...trade }),
    traders: () => traders.size,
    /** Trading-stream logins answered `unauthorized` (a key without streaming access). */
    setLoginRefused(refused: boolean): void {
      loginRefused = refused;
    },
    /** While down, trading-stream connections are refused (503) and open ones are dropped. */
    setTradeStreamDown(down: boolean): void {
      tradeStreamDown = down;
      if (down) for (const s of traders) s.terminate();
    },
    dropAll: () => [...wss.clients].forEach((s) => s.terminate()),
    close: () =>
      new Promise<void>((r) => {
        for (const s of wss.clients) s.terminate();
        wss.close(() => r());
      }),
  };
}
