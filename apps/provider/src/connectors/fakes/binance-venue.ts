import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Money } from '@barfinex/contracts';
import { algoUpdateEvent, createAlgoService } from './binance-venue-algo';
import { accountEvent, exchangeInfo, orderEvent } from './binance-venue-events';
import { BinanceRefusal, createVenueOrders, isOpen } from './binance-venue-orders';
import type { BinanceMarketKind, VenueOrder } from './binance-venue-orders';
import { createVenueWs } from './binance-venue-ws';

/**
 * A Binance spot or USD-M futures account on 127.0.0.1, written from Binance's current docs
 * (spot: binance-spot-api-docs, CHANGELOG "Last Updated: 2026-07-17"; futures: the USDⓈ-M
 * derivatives docs and the 2026 WebSocket URL announcement). It is strict where the docs are:
 * - REST "SIGNED (TRADE and USER_DATA) Endpoint security": HMAC-SHA256 of the total params with the
 *   secret, `X-MBX-APIKEY` checked, "Timing security" (`timestamp < serverTime + 1000` and
 *   `serverTime - timestamp <= recvWindow`, recvWindow at most 60000);
 * - spot `POST/PUT/DELETE /api/v3/userDataStream` answer 410 Gone (retired 2026-02-20, CHANGELOG
 *   2026-01-21); futures keeps `POST/PUT/DELETE /fapi/v1/listenKey` ("User Data Streams");
 * - errors are Binance's own codes (errors.md), a -1007 ("execution status unknown") can be
 *   scripted after the order was executed, 429/418 carry `Retry-After`.
 */
export interface BinanceVenueOptions {
  market: BinanceMarketKind;
  apiKey: string;
  apiSecret: string;
  now?: () => number;
  /** USD-M: the client id a triggered conditional order's real order gets (the docs do not say; default the clientAlgoId). */
  algoRealOrderIds?: 'clientAlgoId' | 'venue';
}

type Reply = { status: number; body: unknown; headers?: Record<string, string> };
type Failure = { status: number; code: number; msg: string; retryAfter?: number };

const err = (status: number, code: number, msg: string): Reply => ({ status, body: { code, msg } });
const GONE: Reply = {
  status: 410,
  body: '<html><head><title>410 Gone</title></head><body><center><h1>410 Gone</h1></center></body></html>',
  headers: { 'Content-Type': 'text/html' },
};

/** Request weight of `GET depth` by limit (spot rest-api.md "Order book"; futures "Order Book"). */
export function depthWeight(market: BinanceMarketKind, limit: number): number {
  if (market === 'spot') return limit <= 100 ? 5 : limit <= 500 ? 25 : limit <= 1000 ? 50 : 250;
  return limit <= 50 ? 2 : limit <= 100 ? 5 : limit <= 500 ? 10 : 20;
}

export async function startBinanceVenue(options: BinanceVenueOptions) {
  const now = options.now ?? Date.now;
  const futures = options.market === 'futures';
  const v = futures ? '/fapi/v1' : '/api/v3';
  const paths = {
    account: futures ? '/fapi/v2/account' : '/api/v3/account',
    trades: futures ? '/fapi/v1/userTrades' : '/api/v3/myTrades',
  };
  const depth = new Map<string, unknown>();
  const klines = new Map<string, unknown[][]>();
  const listenKeys = new Map<string, number>();
  const failures: Failure[] = [];
  const requests: Array<{
    method: string;
    path: string;
    query: URLSearchParams;
    headers: IncomingMessage['headers'];
    weight: number;
  }> = [];
  const state = { positions: [] as Array<Record<string, unknown>>, leverage: new Map<string, number>() };
  let usedWeight = 0;
  let orderReplyDelayMs = 0;
  let nextOrderAnswer: Failure | undefined;
  let cancels = 0;

  const httpServer = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => void handle(req, res, body));
  });
  const ws = createVenueWs(httpServer, {
    market: options.market,
    apiKey: options.apiKey,
    apiSecret: options.apiSecret,
    now,
    isListenKey: (k) => listenKeys.has(k),
  });
  const book = createVenueOrders({
    market: options.market,
    now,
    symbols: () => exchangeInfo(options.market).symbols,
    onChange: (o, execution, trade, cancelId) => {
      ws.pushUser(orderEvent(options.market, o, execution, trade, cancelId));
      if (trade) ws.pushUser(accountEvent(options.market, o.updateTime));
      algo.orderChanged(o);
    },
  });
  const algo = createAlgoService({
    orders: book,
    now,
    ...(options.algoRealOrderIds ? { realOrderIds: options.algoRealOrderIds } : {}),
    onChange: (a) =>
      ws.pushUser(
        algoUpdateEvent(
          a,
          [...book.orders.values()].find((o) => String(o.orderId) === a.actualOrderId),
        ),
      ),
  });

  /** REST "SIGNED Endpoint security": signature = HMAC-SHA256(secret, totalParams without signature). */
  function verify(query: string, body: string, headers: IncomingMessage['headers']): Reply | undefined {
    if (headers['x-mbx-apikey'] !== options.apiKey)
      return err(401, -2015, 'Invalid API-key, IP, or permissions for action.');
    const total = [query, body].filter(Boolean).join('&');
    const params = new URLSearchParams(total);
    const signature = params.get('signature');
    if (!signature)
      return err(400, -1102, "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.");
    const at = total.lastIndexOf('&signature=');
    const payload = at >= 0 ? total.slice(0, at) + total.slice(at + 11 + signature.length) : total;
    const expected = createHmac('sha256', options.apiSecret).update(payload).digest();
    const given = Buffer.from(signature, 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      return err(400, -1022, 'Signature for this request is not valid.');
    const ts = Number(params.get('timestamp'));
    const window = Number(params.get('recvWindow') ?? 5000);
    if (window > 60_000) return err(400, -1131, 'recvWindow must be less than 60000');
    if (!(ts < now() + 1000 && now() - ts <= window))
      return err(400, -1021, 'Timestamp for this request is outside of the recvWindow.');
    return undefined;
  }

  function placementBody(o: VenueOrder, fills: ReturnType<typeof book.place>['fills'], respType: string): unknown {
    if (futures)
      return {
        ...o,
        avgPrice: new Money(o.executedQty).isZero()
          ? '0'
          : new Money(o.cummulativeQuoteQty).div(o.executedQty).toFixed(),
        cumQuote: o.cummulativeQuoteQty,
      };
    const base = {
      ...o,
      transactTime: o.updateTime,
      orderListId: -1,
      workingTime: o.time,
      selfTradePreventionMode: 'NONE',
    };
    // rest-api.md "New order": newOrderRespType FULL adds `fills`; RESULT leaves them out.
    return respType === 'FULL'
      ? {
          ...base,
          fills: fills.map((t) => ({
            price: t.price,
            qty: t.qty,
            commission: t.commission,
            commissionAsset: t.commissionAsset,
            tradeId: t.id,
          })),
        }
      : base;
  }

  function trading(method: string, path: string, q: URLSearchParams): Reply {
    const cid = q.get('origClientOrderId') ?? '';
    const byId = () => [...book.orders.values()].find((o) => String(o.orderId) === q.get('orderId'));
    if (path === `${v}/order` && method === 'POST') {
      const placed = book.place({
        symbol: q.get('symbol') ?? '',
        side: q.get('side') ?? '',
        type: q.get('type') ?? '',
        ...(q.get('quantity') ? { quantity: q.get('quantity') as string } : {}),
        ...(q.get('price') ? { price: q.get('price') as string } : {}),
        ...(q.get('stopPrice') ? { stopPrice: q.get('stopPrice') as string } : {}),
        ...(q.get('timeInForce') ? { timeInForce: q.get('timeInForce') as string } : {}),
        ...(q.get('newClientOrderId') ? { newClientOrderId: q.get('newClientOrderId') as string } : {}),
      });
      return {
        status: 200,
        body: placementBody(
          placed.order,
          placed.fills,
          q.get('newOrderRespType') ?? (q.get('type') === 'MARKET' || q.get('type') === 'LIMIT' ? 'FULL' : 'ACK'),
        ),
      };
    }
    if (path === `${v}/order` && method === 'GET') {
      const o = cid ? book.orders.get(cid) : byId();
      return o ? { status: 200, body: o } : err(400, -2013, 'Order does not exist.');
    }
    if (path === `${v}/order` && method === 'DELETE') {
      const o = cid ? book.orders.get(cid) : byId();
      // spot: `clientOrderId` of the reply is the cancel's own id, `origClientOrderId` the order's.
      const cancelId = q.get('newClientOrderId') ?? `cancel-${++cancels}`;
      const done = book.cancel(o?.clientOrderId ?? cid, cancelId);
      return {
        status: 200,
        body: futures
          ? done
          : {
              ...done,
              origClientOrderId: done.clientOrderId,
              clientOrderId: cancelId,
              transactTime: now(),
              orderListId: -1,
              selfTradePreventionMode: 'NONE',
            },
      };
    }
    if (futures && path === '/fapi/v1/algoOrder') {
      if (method === 'POST') return { status: 200, body: algo.place(q) };
      if (method === 'GET') return { status: 200, body: algo.query(q) };
      if (method === 'DELETE') return { status: 200, body: algo.cancel(q) };
    }
    if (futures && path === '/fapi/v1/openAlgoOrders') return { status: 200, body: algo.open(q.get('symbol')) };
    if (path === `${v}/openOrders`)
      return {
        status: 200,
        body: [...book.orders.values()].filter((o) => isOpen(o) && (!q.get('symbol') || o.symbol === q.get('symbol'))),
      };
    if (path === paths.trades) {
      if (!q.get('symbol'))
        return err(400, -1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.");
      return {
        status: 200,
        body: book.trades.filter(
          (t) => t.symbol === q.get('symbol') && (!q.get('orderId') || String(t.orderId) === q.get('orderId')),
        ),
      };
    }
    if (path === paths.account) {
      if (futures)
        return {
          status: 200,
          body: {
            assets: [{ asset: 'USDT', walletBalance: '10000.00000000', availableBalance: '9500.00000000' }],
            positions: state.positions,
          },
        };
      return {
        status: 200,
        body: {
          balances: [
            { asset: 'USDT', free: '10000.00000000', locked: '0.00000000' },
            { asset: 'BTC', free: '0.50000000', locked: '0.00000000' },
          ],
        },
      };
    }
    if (futures && path === '/fapi/v1/leverage' && method === 'POST') {
      state.leverage.set(q.get('symbol') ?? '', Number(q.get('leverage')));
      return {
        status: 200,
        body: { leverage: Number(q.get('leverage')), maxNotionalValue: '1000000', symbol: q.get('symbol') },
      };
    }
    return err(404, -1, `no route ${method} ${path}`);
  }

  function listenKey(method: string, headers: IncomingMessage['headers']): Reply {
    // "USER_STREAM" endpoints need the API key only, no signature.
    if (headers['x-mbx-apikey'] !== options.apiKey)
      return err(401, -2015, 'Invalid API-key, IP, or permissions for action.');
    const current = [...listenKeys.keys()][0];
    if (method === 'POST') {
      // "If the account has an active listenKey, that listenKey will be returned and its validity extended."
      const key = current ?? `lk${listenKeys.size + 1}${'q'.repeat(60)}`;
      listenKeys.set(key, now() + 60 * 60_000);
      return { status: 200, body: { listenKey: key } };
    }
    if (!current) return err(400, -1125, 'This listenKey does not exist.');
    if (method === 'PUT') {
      listenKeys.set(current, now() + 60 * 60_000);
      return { status: 200, body: {} };
    }
    listenKeys.delete(current);
    ws.pushUser({ e: 'listenKeyExpired', E: now(), listenKey: current });
    return { status: 200, body: {} };
  }

  function route(
    method: string,
    path: string,
    q: URLSearchParams,
    query: string,
    body: string,
    headers: IncomingMessage['headers'],
  ): Reply {
    if (!futures && path === '/api/v3/userDataStream') return GONE;
    if (futures && path === '/fapi/v1/listenKey') return listenKey(method, headers);
    if (path === `${v}/ping`) return { status: 200, body: {} };
    if (path === `${v}/time`) return { status: 200, body: { serverTime: now() } };
    if (path === `${v}/exchangeInfo`)
      return { status: 200, body: { ...exchangeInfo(options.market), serverTime: now() } };
    if (path === `${v}/depth`)
      return depth.has(q.get('symbol') ?? '')
        ? { status: 200, body: depth.get(q.get('symbol') ?? '') }
        : err(400, -1121, 'Invalid symbol.');
    if (path === `${v}/klines`) {
      const from = Number(q.get('startTime') ?? 0);
      const to = Number(q.get('endTime') ?? Number.MAX_SAFE_INTEGER);
      const rows = (klines.get(q.get('symbol') ?? '') ?? []).filter(
        (k) => (k[0] as number) >= from && (k[0] as number) <= to,
      );
      return { status: 200, body: rows.slice(0, Number(q.get('limit') ?? 500)) };
    }
    const denied = verify(query, body, headers);
    if (denied) return denied;
    try {
      return trading(method, path, new URLSearchParams([query, body].filter(Boolean).join('&')));
    } catch (e) {
      if (e instanceof BinanceRefusal) return err(e.status, e.code, e.message);
      throw e;
    }
  }

  function weightOf(path: string, q: URLSearchParams): number {
    if (path.endsWith('/depth')) return depthWeight(options.market, Number(q.get('limit') ?? 100));
    // "New Algo Order": 0 on the IP limit; "Current All Algo Open Orders": 1 for a symbol, 40 without.
    if (futures && path === '/fapi/v1/algoOrder' && q.get('algoType') !== null) return 0;
    if (futures && path === '/fapi/v1/openAlgoOrders') return q.get('symbol') ? 1 : 40;
    return 1;
  }

  async function handle(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://venue');
    const query = (req.url ?? '').split('?')[1] ?? '';
    const method = req.method ?? 'GET';
    const weight = weightOf(url.pathname, url.searchParams);
    usedWeight += weight;
    requests.push({ method, path: url.pathname, query: url.searchParams, headers: req.headers, weight });
    const failure = failures.shift();
    const isOrderPost =
      method === 'POST' && (url.pathname === `${v}/order` || (futures && url.pathname === '/fapi/v1/algoOrder'));
    let reply: Reply;
    if (failure)
      reply = {
        status: failure.status,
        body: { code: failure.code, msg: failure.msg },
        ...(failure.retryAfter !== undefined ? { headers: { 'Retry-After': String(failure.retryAfter) } } : {}),
      };
    else {
      reply = route(method, url.pathname, url.searchParams, query, body, req.headers);
      // errors.md -1006/-1007: the order went through, the answer says the outcome is unknown.
      if (isOrderPost && reply.status === 200 && nextOrderAnswer) {
        reply = { status: nextOrderAnswer.status, body: { code: nextOrderAnswer.code, msg: nextOrderAnswer.msg } };
        nextOrderAnswer = undefined;
      }
    }
    if (!failure && isOrderPost && orderReplyDelayMs > 0) {
      const delay = orderReplyDelayMs;
      orderReplyDelayMs = 0;
      await new Promise((r) => setTimeout(r, delay));
      if (res.destroyed) return;
    }
    const headers = {
      'Content-Type': 'application/json',
      'X-MBX-USED-WEIGHT-1M': String(usedWeight),
      ...reply.headers,
    };
    res.writeHead(reply.status, headers);
    res.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
  }

  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', () => resolve()));
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const http = `http://127.0.0.1:${port}`;
  const wsBase = `ws://127.0.0.1:${port}`;

  return {
    restUrl: http,
    /** Connector overrides pointing every documented host of this market at the fake. */
    endpoints: futures
      ? { restUrl: http, wsUrl: `${wsBase}/market`, publicWsUrl: `${wsBase}/public`, userWsUrl: `${wsBase}/private` }
      : { restUrl: http, wsUrl: wsBase, userWsUrl: `${wsBase}/ws-api/v3` },
    ws,
    orders: book.orders,
    trades: book.trades,
    requests,
    prices: book.prices,
    /** Futures: conditional orders of the Algo Service by clientAlgoId. */
    algoOrders: algo.algos,
    /** The last price moves (as trades on the venue would move it); conditional orders it crosses fire. */
    setPrice(symbol: string, price: string): void {
      book.prices.set(symbol, price);
      if (futures) algo.priceMoved(symbol, price);
    },
    state,
    listenKeys: () => [...listenKeys.keys()],
    setDepth: (symbol: string, snapshot: unknown) => void depth.set(symbol, snapshot),
    setKlines: (symbol: string, rows: unknown[][]) => void klines.set(symbol, rows),
    /** The next requests (any path) answer with these errors instead, executing nothing. */
    failNext: (...list: Failure[]) => void failures.push(...list),
    /** The next order POST (classic or algo) is executed, then answered with this error (e.g. -1007 TIMEOUT). */
    answerNextOrderWith: (f: Failure) => void (nextOrderAnswer = f),
    /** The next order POST is executed at once but answered only after `ms` (a lost reply). */
    delayNextOrderReply: (ms: number) => void (orderReplyDelayMs = ms),
    /** A resting order trades on the venue (pushed to user streams that are connected, if any). */
    fill: (clientOrderId: string, qty?: string) => book.fill(clientOrderId, qty),
    addVenueOrder: (o: Omit<VenueOrder, 'orderId'>) => book.add(o),
    /** Futures: the venue forgets the listen key without telling the socket (the next keep-alive answers -1125). */
    forgetListenKeys: () => listenKeys.clear(),
    /** Futures: the venue forgets the listen key (a later keep-alive answers -1125). */
    expireListenKeys(): void {
      for (const k of listenKeys.keys()) ws.pushUser({ e: 'listenKeyExpired', E: now(), listenKey: k });
      listenKeys.clear();
    },
    orderPosts: (clientOrderId: string) =>
      requests.filter(
        (r) => r.method === 'POST' && r.path === `${v}/order` && r.query.get('newClientOrderId') === clientOrderId,
      ).length,
    algoOrderPosts: (clientAlgoId: string) =>
      requests.filter(
        (r) => r.method === 'POST' && r.path === '/fapi/v1/algoOrder' && r.query.get('clientAlgoId') === clientAlgoId,
      ).length,
    async close(): Promise<void> {
      await ws.close();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}

export type BinanceVenue = Awaited<ReturnType<typeof startBinanceVenue>>;
