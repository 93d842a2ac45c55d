import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { WebSocketServer } from 'ws';
import type WebSocket from 'ws';

export interface FakeAlpacaOrder {
  id: string;
  client_order_id: string;
  symbol: string;
  created_at: string;
  updated_at: string;
  qty: string;
  filled_qty: string;
  filled_avg_price: string | null;
  type: string;
  side: 'buy' | 'sell';
  time_in_force: string;
  limit_price: string | null;
  stop_price: string | null;
  status: string;
}

/** Assets as `GET /v2/assets` returns them (trimmed). */
const ASSETS = [
  { id: 'b0b6dd9d-8b9b-48a9-ba46-b9d54906e415', class: 'us_equity', exchange: 'NASDAQ', symbol: 'AAPL', name: 'Apple Inc. Common Stock', status: 'active', tradable: true, marginable: true, shortable: true, easy_to_borrow: true, fractionable: true },
  { id: '276e2673-764b-4ab6-a611-caf665ca6340', class: 'crypto', exchange: 'CRYPTO', symbol: 'BTC/USD', name: 'Bitcoin / US Dollar', status: 'active', tradable: true, marginable: false, shortable: false, fractionable: true, min_order_size: '0.0001', min_trade_increment: '0.000000001', price_increment: '1' },
];

/**
 * Alpaca on 127.0.0.1: Trading API v2 and Market Data v2 REST (key headers checked), the
 * `trade_updates` stream (`/stream`) and market-data streams (`/v2/iex`, `/v1beta3/crypto/us`),
 * each requiring the auth message first.
 */
export async function startFakeAlpaca(options: { keyId: string; secretKey: string; lastPrice?: string; refuseOrderBooks?: boolean }) {
  const orders = new Map<string, FakeAlpacaOrder>();
  const bars = new Map<string, unknown[]>();
  const requests: Array<{ method: string; path: string; query: URLSearchParams }> = [];
  const market = new Map<WebSocket, Set<string>>();
  const traders = new Set<WebSocket>();
  const subscribeMessages: unknown[] = [];
  type BookLevels = { b: { p: number; s: number }[]; a: { p: number; s: number }[] };
  const bookMarket = new Map<WebSocket, Set<string>>();
  const books = new Map<string, BookLevels>();
  let seq = 1;

  function send(res: ServerResponse, status: number, body?: unknown): void {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(body === undefined ? '' : JSON.stringify(body));
  }
  const notFound = { code: 40410000, message: 'order not found' };

  function pushUpdate(event: string, o: FakeAlpacaOrder, fill?: { price: string; qty: string }): void {
    const msg = JSON.stringify({ stream: 'trade_updates', data: { event, order: o, timestamp: o.updated_at, ...(fill ? { execution_id: `exec-${seq++}`, price: fill.price, qty: fill.qty, position_qty: fill.qty } : {}) } });
    for (const s of traders) s.send(msg);
  }

  function handle(req: IncomingMessage, res: ServerResponse, body: string): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams });
    if (req.headers['apca-api-key-id'] !== options.keyId || req.headers['apca-api-secret-key'] !== options.secretKey) return send(res, 401, { code: 40110000, message: 'request is not authorized' });
    const q = url.searchParams;
    const p = url.pathname;
    if (p === '/v2/assets') return send(res, 200, ASSETS);
    if (p === '/v2/account') return send(res, 200, { id: 'acct-1', account_number: 'PA3XXXX', status: 'ACTIVE', currency: 'USD', cash: '100000', buying_power: '200000', equity: '100000' });
    if (p === '/v2/positions') return send(res, 200, []);
    if (p === '/v2/stocks/bars' || p === '/v1beta3/crypto/us/bars') {
      const symbol = q.get('symbols') ?? '';
      const all = (bars.get(symbol) ?? []) as Array<{ t: string }>;
      const from = Number(q.get('page_token') ?? 0);
      const page = all.slice(from, from + 1000);
      return send(res, 200, { bars: { [symbol]: page }, next_page_token: from + 1000 < all.length ? String(from + 1000) : null });
    }
    if (p === '/v2/orders' && req.method === 'POST') {
      const b = JSON.parse(body) as Record<string, string>;
      if ([...orders.values()].some((o) => o.client_order_id === b['client_order_id'])) return send(res, 422, { code: 40010001, message: 'client_order_id must be unique' });
      const t = new Date().toISOString();
      const o: FakeAlpacaOrder = { id: `ord-${seq++}`, client_order_id: b['client_order_id'] ?? '', symbol: b['symbol'] ?? '', created_at: t, updated_at: t, qty: b['qty'] ?? '0', filled_qty: '0', filled_avg_price: null, type: b['type'] ?? 'market', side: b['side'] === 'sell' ? 'sell' : 'buy', time_in_force: b['time_in_force'] ?? 'day', limit_price: b['limit_price'] ?? null, stop_price: null, status: 'accepted' };
      orders.set(o.client_order_id, o);
      send(res, 200, { ...o });
      if (o.type === 'market') {
        Object.assign(o, { status: 'filled', filled_qty: o.qty, filled_avg_price: options.lastPrice ?? '190.25' });
        pushUpdate('fill', o, { price: o.filled_avg_price as string, qty: o.qty });
      } else pushUpdate('new', o);
      return;
    }
    if (p === '/v2/orders' && req.method === 'GET') return send(res, 200, [...orders.values()].filter((o) => ['new', 'accepted', 'partially_filled'].includes(o.status)));
    if (p === '/v2/orders:by_client_order_id') {
      const o = orders.get(q.get('client_order_id') ?? '');
      return o ? send(res, 200, o) : send(res, 404, notFound);
    }
    if (p.startsWith('/v2/orders/') && req.method === 'DELETE') {
      const o = [...orders.values()].find((x) => x.id === p.slice('/v2/orders/'.length));
      if (!o) return send(res, 404, notFound);
      Object.assign(o, { status: 'canceled', updated_at: new Date().toISOString() });
      pushUpdate('canceled', o);
      return send(res, 204);
    }
    send(res, 404, { code: 40410000, message: `no route ${p}` });
  }

  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => handle(req, res, body));
  });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (socket, req) => {
    let authed = false;
    const isTrading = req.url === '/stream';
    if (!isTrading) socket.send(JSON.stringify([{ T: 'success', msg: 'connected' }]));
    socket.on('message', (raw: WebSocket.RawData) => {
      const m = JSON.parse(String(raw)) as { action: string; key?: string; secret?: string; trades?: string[]; orderbooks?: string[]; data?: { streams: string[] } };
      if (m.action === 'auth') {
        authed = m.key === options.keyId && m.secret === options.secretKey;
        socket.send(JSON.stringify(isTrading ? { stream: 'authorization', data: { status: authed ? 'authorized' : 'unauthorized', action: 'authenticate' } } : [authed ? { T: 'success', msg: 'authenticated' } : { T: 'error', code: 402, msg: 'auth failed' }]));
        return;
      }
      if (!authed) return socket.send(JSON.stringify([{ T: 'error', code: 401, msg: 'not authenticated' }]));
      if (isTrading && m.action === 'listen') {
        traders.add(socket);
        socket.on('close', () => traders.delete(socket));
        return socket.send(JSON.stringify({ stream: 'listening', data: { streams: ['trade_updates'] } }));
      }
      if (m.action === 'subscribe') {
        subscribeMessages.push(m);
        // A plan whose channel limit is reached: Alpaca refuses the whole message and changes nothing.
        if (options.refuseOrderBooks && m.orderbooks) return socket.send(JSON.stringify([{ T: 'error', code: 405, msg: 'symbol limit exceeded' }]));
        const subs = market.get(socket) ?? new Set<string>();
        for (const s of m.trades ?? []) subs.add(s);
        market.set(socket, subs);
        const bookSubs = bookMarket.get(socket) ?? new Set<string>();
        for (const s of m.orderbooks ?? []) bookSubs.add(s);
        bookMarket.set(socket, bookSubs);
        socket.on('close', () => {
          market.delete(socket);
          bookMarket.delete(socket);
        });
        socket.send(JSON.stringify([{ T: 'subscription', trades: [...subs], quotes: [], orderbooks: [...bookSubs], bars: [] }]));
        // As Alpaca does: a full book (`r: true`) for each newly subscribed order book.
        for (const s of m.orderbooks ?? []) {
          const full = books.get(s);
          if (full) socket.send(JSON.stringify([{ T: 'o', S: s, t: new Date(0).toISOString(), ...full, r: true }]));
        }
      }
    });
  });
  /** Sends `message` to every client whose subscriptions in `subscribed` include `symbol`; returns how many. */
  function broadcast(subscribed: Map<WebSocket, Set<string>>, symbol: string, message: Record<string, unknown>): number {
    let n = 0;
    for (const [socket, subs] of subscribed) {
      if (!subs.has(symbol)) continue;
      socket.send(JSON.stringify([message]));
      n++;
    }
    return n;
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  const base = `127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  return {
    urls: { trading: `http://${base}`, data: `http://${base}`, tradingWs: `ws://${base}`, dataWs: `ws://${base}` },
    orders,
    requests,
    subscribeMessages,
    setBars: (symbol: string, list: unknown[]) => void bars.set(symbol, list),
    /** The full book sent to a client when it subscribes to `symbol`'s order book. */
    setBook: (symbol: string, book: BookLevels) => void books.set(symbol, book),
    /** Sends changed levels (size 0 removes one) to every client subscribed to `symbol`'s book. */
    pushBookChange: (symbol: string, change: BookLevels & { t: string }): number => broadcast(bookMarket, symbol, { T: 'o', S: symbol, ...change }),
    pushTrade: (symbol: string, trade: Record<string, unknown>): number => broadcast(market, symbol, { T: 't', S: symbol, ...trade }),
    traders: () => traders.size,
    dropAll: () => [...market.keys(), ...traders].forEach((s) => s.terminate()),
    addVenueOrder: (o: FakeAlpacaOrder) => void orders.set(o.client_order_id, o),
    async close() {
      for (const s of wss.clients) s.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
