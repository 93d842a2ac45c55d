import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Decimal from 'decimal.js';
import { createFakeBinanceWs } from './fake-binance-ws';
import { FUTURES_EXCHANGE_INFO, SPOT_EXCHANGE_INFO } from './fixtures';
import { fakeOrderEvent } from './fake-binance-events';
import type { FakeOrder } from './fake-binance-events';

export interface FakeBinanceOptions {
  market: 'spot' | 'futures';
  apiKey: string;
  apiSecret: string;
  now?: () => number;
}

type Reply = { status: number; body: unknown; headers?: Record<string, string> };
type Failure = { status: number; code: number; msg: string; retryAfter?: number };

const err = (status: number, code: number, msg: string): Reply => ({ status, body: { code, msg } });

/**
 * A Binance spot or USD-M futures venue on 127.0.0.1 speaking the documented REST and WebSocket
 * formats: it verifies HMAC signatures and recvWindow, matches orders against a set price, pushes
 * user-stream events, and can be scripted to fail (429/418, slow replies, dropped sockets).
 */
export async function startFakeBinance(options: FakeBinanceOptions) {
  const now = options.now ?? Date.now;
  const futures = options.market === 'futures';
  const p = futures ? { v: '/fapi/v1', account: '/fapi/v2/account', trades: '/fapi/v1/userTrades', listenKey: '/fapi/v1/listenKey' } : { v: '/api/v3', account: '/api/v3/account', trades: '/api/v3/myTrades', listenKey: '/api/v3/userDataStream' };
  const orders = new Map<string, FakeOrder>();
  const trades: Array<Record<string, unknown>> = [];
  const prices = new Map<string, string>([['BTCUSDT', '95000.00'], ['ETHUSDT', '3500.00']]);
  const depth = new Map<string, unknown>();
  const klines = new Map<string, unknown[][]>();
  const listenKeys = new Set<string>();
  const failures: Failure[] = [];
  const requests: Array<{ method: string; path: string; query: URLSearchParams; headers: IncomingMessage['headers'] }> = [];
  let nextOrderId = 1000;
  let nextTradeId = 5000;
  let orderReplyDelayMs = 0;
  const state = { positions: [] as Array<Record<string, unknown>>, leverage: new Map<string, number>() };

  function verify(query: string, headers: IncomingMessage['headers']): Reply | undefined {
    if (headers['x-mbx-apikey'] !== options.apiKey) return err(401, -2015, 'Invalid API-key, IP, or permissions for action.');
    const at = query.lastIndexOf('&signature=');
    if (at < 0) return err(400, -1102, "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.");
    const expected = createHmac('sha256', options.apiSecret).update(query.slice(0, at)).digest();
    const given = Buffer.from(query.slice(at + 11), 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return err(400, -1022, 'Signature for this request is not valid.');
    const q = new URLSearchParams(query);
    const ts = Number(q.get('timestamp'));
    const window = Number(q.get('recvWindow') ?? 5000);
    if (ts > now() + 1000 || now() - ts > window) return err(400, -1021, 'Timestamp for this request is outside of the recvWindow.');
    return undefined;
  }

  function place(q: URLSearchParams): Reply {
    const clientOrderId = q.get('newClientOrderId') ?? `fake-${nextOrderId}`;
    if ([...orders.values()].some((o) => o.clientOrderId === clientOrderId && (o.status === 'NEW' || o.status === 'PARTIALLY_FILLED'))) return err(400, -2010, 'Duplicate order sent.');
    const symbol = q.get('symbol') ?? '';
    if (!prices.has(symbol)) return err(400, -1121, 'Invalid symbol.');
    const type = q.get('type') ?? 'LIMIT';
    const t = now();
    const o: FakeOrder = { symbol, orderId: nextOrderId++, clientOrderId, price: q.get('price') ?? '0', origQty: q.get('quantity') ?? '0', executedQty: '0', cummulativeQuoteQty: '0', status: 'NEW', timeInForce: q.get('timeInForce') ?? 'GTC', type, side: q.get('side') === 'SELL' ? 'SELL' : 'BUY', stopPrice: q.get('stopPrice') ?? '0', time: t, updateTime: t };
    orders.set(clientOrderId, o);
    const fills: Array<Record<string, unknown>> = [];
    if (type === 'MARKET') {
      const price = prices.get(symbol) as string;
      const trade = { symbol, id: nextTradeId++, orderId: o.orderId, price, qty: o.origQty, quoteQty: new Decimal(price).times(o.origQty).toFixed(), commission: '0.00000100', commissionAsset: 'BNB', time: t, isBuyer: o.side === 'BUY', buyer: o.side === 'BUY', isMaker: false, maker: false, realizedPnl: '0' };
      trades.push(trade);
      Object.assign(o, { executedQty: o.origQty, cummulativeQuoteQty: trade.quoteQty, status: 'FILLED' });
      fills.push({ price, qty: o.origQty, commission: trade.commission, commissionAsset: 'BNB', tradeId: trade.id });
      ws.pushUser(fakeOrderEvent(options.market, o, 'TRADE', trade));
    } else ws.pushUser(fakeOrderEvent(options.market, o, 'NEW'));
    const body = futures ? { ...o, avgPrice: new Decimal(o.executedQty).isZero() ? '0' : new Decimal(o.cummulativeQuoteQty).div(o.executedQty).toFixed(), cumQuote: o.cummulativeQuoteQty } : { ...o, transactTime: t, fills };
    return { status: 200, body };
  }

  function route(method: string, path: string, q: URLSearchParams, query: string, headers: IncomingMessage['headers']): Reply {
    if (path === `${p.v}/time`) return { status: 200, body: { serverTime: now() } };
    if (path === `${p.v}/exchangeInfo`) return { status: 200, body: futures ? FUTURES_EXCHANGE_INFO : SPOT_EXCHANGE_INFO };
    if (path === `${p.v}/depth`) return depth.has(q.get('symbol') ?? '') ? { status: 200, body: depth.get(q.get('symbol') ?? '') } : err(400, -1121, 'Invalid symbol.');
    if (path === `${p.v}/klines`) {
      const from = Number(q.get('startTime') ?? 0);
      const to = Number(q.get('endTime') ?? Number.MAX_SAFE_INTEGER);
      const rows = (klines.get(q.get('symbol') ?? '') ?? []).filter((k) => (k[0] as number) >= from && (k[0] as number) <= to);
      return { status: 200, body: rows.slice(0, Number(q.get('limit') ?? 500)) };
    }
    if (path === p.listenKey) {
      if (headers['x-mbx-apikey'] !== options.apiKey) return err(401, -2015, 'Invalid API-key, IP, or permissions for action.');
      if (method === 'POST') {
        const key = `lk${listenKeys.size + 1}${'x'.repeat(58)}`;
        listenKeys.add(key);
        return { status: 200, body: { listenKey: key } };
      }
      return { status: 200, body: {} };
    }
    const denied = verify(query, headers);
    if (denied) return denied;
    const cid = q.get('origClientOrderId') ?? '';
    if (path === `${p.v}/order` && method === 'POST') return place(q);
    if (path === `${p.v}/order` && method === 'GET') return orders.has(cid) ? { status: 200, body: orders.get(cid) } : err(400, -2013, 'Order does not exist.');
    if (path === `${p.v}/order` && method === 'DELETE') {
      const o = orders.get(cid);
      if (!o || (o.status !== 'NEW' && o.status !== 'PARTIALLY_FILLED')) return err(400, -2011, 'Unknown order sent.');
      Object.assign(o, { status: 'CANCELED', updateTime: now() });
      ws.pushUser(fakeOrderEvent(options.market, o, 'CANCELED'));
      return { status: 200, body: o };
    }
    if (path === `${p.v}/openOrders`) return { status: 200, body: [...orders.values()].filter((o) => o.status === 'NEW' || o.status === 'PARTIALLY_FILLED') };
    if (path === p.trades) return { status: 200, body: trades.filter((t) => String(t['orderId']) === q.get('orderId')) };
    if (path === p.account) {
      if (futures) return { status: 200, body: { assets: [{ asset: 'USDT', walletBalance: '10000.00000000', availableBalance: '9500.00000000' }], positions: state.positions } };
      return { status: 200, body: { balances: [{ asset: 'USDT', free: '10000.00000000', locked: '0.00000000' }, { asset: 'BTC', free: '0.50000000', locked: '0.00000000' }] } };
    }
    if (path === '/fapi/v1/leverage' && futures) {
      state.leverage.set(q.get('symbol') ?? '', Number(q.get('leverage')));
      return { status: 200, body: { leverage: Number(q.get('leverage')), maxNotionalValue: '1000000', symbol: q.get('symbol') } };
    }
    return err(404, -1, `no route ${method} ${path}`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const query = (req.url ?? '').split('?')[1] ?? '';
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers });
    const failure = failures.shift();
    let reply: Reply = failure ? { status: failure.status, body: { code: failure.code, msg: failure.msg }, ...(failure.retryAfter !== undefined ? { headers: { 'Retry-After': String(failure.retryAfter) } } : {}) } : route(req.method ?? 'GET', url.pathname, url.searchParams, query, req.headers);
    if (!failure && req.method === 'POST' && url.pathname.endsWith('/order') && orderReplyDelayMs > 0) {
      const delay = orderReplyDelayMs;
      orderReplyDelayMs = 0;
      await new Promise((r) => setTimeout(r, delay));
      if (res.destroyed) return;
    }
    reply = { ...reply, headers: { 'Content-Type': 'application/json', 'X-MBX-USED-WEIGHT-1M': String(requests.length), ...reply.headers } };
    res.writeHead(reply.status, reply.headers);
    res.end(JSON.stringify(reply.body));
  }

  const server = createServer((req, res) => void handle(req, res));
  const ws = createFakeBinanceWs(server, (key) => listenKeys.has(key));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    restUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    ws,
    orders,
    requests,
    prices,
    state,
    setDepth: (symbol: string, snapshot: unknown) => void depth.set(symbol, snapshot),
    setKlines: (symbol: string, rows: unknown[][]) => void klines.set(symbol, rows),
    /** The next requests (any path) answer with these errors instead. */
    failNext: (...list: Failure[]) => void failures.push(...list),
    /** The next order POST is executed at once but answered only after `ms` (a lost reply). */
    delayNextOrderReply: (ms: number) => void (orderReplyDelayMs = ms),
    /** An order that exists on the venue but was never placed through the provider. */
    addVenueOrder(o: Omit<FakeOrder, 'orderId'>): FakeOrder {
      const order = { ...o, orderId: nextOrderId++ };
      orders.set(order.clientOrderId, order);
      return order;
    },
    orderPosts: (clientOrderId: string) => requests.filter((r) => r.method === 'POST' && r.path.endsWith('/order') && r.query.get('newClientOrderId') === clientOrderId).length,
    async close(): Promise<void> {
      await ws.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type FakeBinance = Awaited<ReturnType<typeof startFakeBinance>>;
