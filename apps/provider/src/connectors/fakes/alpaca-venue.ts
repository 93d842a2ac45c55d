import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Money } from '@barfinex/contracts';
import { ALPACA_RULES, alpacaAssetClassOf } from './alpaca-venue-rules';
import { createAlpacaVenueWs } from './alpaca-venue-ws';

/**
 * Alpaca on 127.0.0.1, written from Alpaca's docs (docs.alpaca.markets, read 2026-12):
 * - Trading API v2 REST with the `APCA-API-KEY-ID`/`APCA-API-SECRET-KEY` headers: assets, account,
 *   positions, orders (`POST` checked against "Crypto Orders" and "Orders at Alpaca", see
 *   alpaca-venue-rules.ts; `client_order_id` unique), `orders:by_client_order_id`, cancel, and
 *   "Account Activities" `GET /v2/account/activities/FILL` (paged by `page_token`);
 * - the trading and market-data streams of alpaca-venue-ws.ts, on the same port.
 */
export interface AlpacaVenueOrder {
  id: string;
  client_order_id: string;
  symbol: string;
  asset_class?: string;
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
  {
    id: 'b0b6dd9d-8b9b-48a9-ba46-b9d54906e415',
    class: 'us_equity',
    exchange: 'NASDAQ',
    symbol: 'AAPL',
    name: 'Apple Inc. Common Stock',
    status: 'active',
    tradable: true,
    marginable: true,
    shortable: true,
    easy_to_borrow: true,
    fractionable: true,
  },
  {
    id: '276e2673-764b-4ab6-a611-caf665ca6340',
    class: 'crypto',
    exchange: 'CRYPTO',
    symbol: 'BTC/USD',
    name: 'Bitcoin / US Dollar',
    status: 'active',
    tradable: true,
    marginable: false,
    shortable: false,
    fractionable: true,
    min_order_size: '0.0001',
    min_trade_increment: '0.000000001',
    price_increment: '1',
  },
];

export async function startAlpacaVenue(options: {
  keyId: string;
  secretKey: string;
  lastPrice?: string;
  refuseOrderBooks?: boolean;
  now?: () => number;
}) {
  const now = options.now ?? Date.now;
  const iso = () => new Date(now()).toISOString();
  const orders = new Map<string, AlpacaVenueOrder>();
  const activities: Array<Record<string, unknown>> = [];
  const bars = new Map<string, unknown[]>();
  const requests: Array<{ method: string; path: string; query: URLSearchParams }> = [];
  /** Last trade prices: market orders fill there, a limit crossing it fills at its limit. */
  const prices = new Map<string, string>([
    ['AAPL', options.lastPrice ?? '190.25'],
    ['BTC/USD', '95000'],
  ]);
  let seq = 1;

  function send(res: ServerResponse, status: number, body?: unknown): void {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(body === undefined ? '' : JSON.stringify(body));
  }
  const notFound = { code: 40410000, message: 'order not found' };

  function pushUpdate(event: string, o: AlpacaVenueOrder, fill?: { price: string; qty: string; id: string }): void {
    ws.pushUpdate({
      stream: 'trade_updates',
      data: {
        event,
        order: o,
        timestamp: o.updated_at,
        ...(fill ? { execution_id: fill.id, price: fill.price, qty: fill.qty, position_qty: fill.qty } : {}),
      },
    });
  }

  /** An execution: the order's totals, a FILL activity ("Account Activities") and a trade update. */
  function execute(o: AlpacaVenueOrder, qty: Money, price: string): void {
    const filled = new Money(o.filled_qty).plus(qty);
    const avg = new Money(o.filled_avg_price ?? '0').times(o.filled_qty).plus(qty.times(price)).div(filled);
    const done = filled.gte(o.qty);
    Object.assign(o, {
      filled_qty: filled.toFixed(),
      filled_avg_price: avg.toFixed(),
      status: done ? 'filled' : 'partially_filled',
      updated_at: iso(),
    });
    const id = `${now()}::${String(seq++).padStart(8, '0')}`;
    activities.push({
      id,
      activity_type: 'FILL',
      transaction_time: o.updated_at,
      type: done ? 'fill' : 'partial_fill',
      price,
      qty: qty.toFixed(),
      side: o.side,
      symbol: o.symbol,
      leaves_qty: new Money(o.qty).minus(filled).toFixed(),
      order_id: o.id,
      cum_qty: filled.toFixed(),
      order_status: o.status,
    });
    pushUpdate(done ? 'fill' : 'partial_fill', o, { price, qty: qty.toFixed(), id });
  }

  function placeOrder(res: ServerResponse, body: string): void {
    const b = JSON.parse(body) as Record<string, string | undefined>;
    const symbol = b['symbol'] ?? '';
    const asset = ASSETS.find((a) => a.symbol === symbol);
    if (!asset) return send(res, 422, { code: 40010001, message: `asset ${symbol} not found` });
    const rules = ALPACA_RULES[alpacaAssetClassOf(symbol)];
    const type = b['type'] ?? '';
    const tif = b['time_in_force'] ?? '';
    if (!(rules.types as readonly string[]).includes(type))
      return send(res, 422, { code: 42210000, message: `invalid order type for ${asset.class} order` });
    if (!(rules.timeInForce as readonly string[]).includes(tif))
      return send(res, 422, { code: 42210000, message: `invalid time_in_force for ${asset.class} order` });
    if ([...orders.values()].some((o) => o.client_order_id === b['client_order_id']))
      return send(res, 422, { code: 40010001, message: 'client_order_id must be unique' });
    const t = iso();
    const o: AlpacaVenueOrder = {
      id: `ord-${seq++}`,
      client_order_id: b['client_order_id'] ?? `alp-${seq}`,
      symbol,
      asset_class: asset.class,
      created_at: t,
      updated_at: t,
      qty: b['qty'] ?? '0',
      filled_qty: '0',
      filled_avg_price: null,
      type,
      side: b['side'] === 'sell' ? 'sell' : 'buy',
      time_in_force: tif,
      limit_price: b['limit_price'] ?? null,
      stop_price: b['stop_price'] ?? null,
      status: 'accepted',
    };
    orders.set(o.client_order_id, o);
    send(res, 200, { ...o });
    const last = prices.get(symbol) ?? '0';
    const crosses =
      type === 'limit' &&
      o.limit_price !== null &&
      (o.side === 'buy' ? new Money(o.limit_price).gte(last) : new Money(o.limit_price).lte(last));
    if (type === 'market' || crosses)
      return execute(o, new Money(o.qty), type === 'market' ? last : (o.limit_price as string));
    if (tif === 'ioc' || tif === 'fok') {
      Object.assign(o, { status: 'canceled', updated_at: iso() });
      return pushUpdate('canceled', o);
    }
    o.status = 'new';
    pushUpdate('new', o);
  }

  function listActivities(q: URLSearchParams): unknown[] {
    const after = q.get('after');
    const direction = q.get('direction') ?? 'desc';
    const size = Math.min(Number(q.get('page_size') ?? 100), 100);
    let list = activities.filter((a) => !after || String(a['transaction_time']) > after);
    if (direction === 'desc') list = [...list].reverse();
    const token = q.get('page_token');
    if (token) list = list.slice(list.findIndex((a) => a['id'] === token) + 1);
    return list.slice(0, size);
  }

  function handle(req: IncomingMessage, res: ServerResponse, body: string): void {
    const url = new URL(req.url ?? '/', 'http://venue');
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams });
    if (req.headers['apca-api-key-id'] !== options.keyId || req.headers['apca-api-secret-key'] !== options.secretKey)
      return send(res, 401, { code: 40110000, message: 'request is not authorized' });
    const q = url.searchParams;
    const p = url.pathname;
    if (p === '/v2/assets') return send(res, 200, ASSETS);
    if (p === '/v2/account')
      return send(res, 200, {
        id: 'acct-1',
        account_number: 'PA3XXXX',
        status: 'ACTIVE',
        currency: 'USD',
        cash: '100000',
        buying_power: '200000',
        equity: '100000',
      });
    if (p === '/v2/positions') return send(res, 200, []);
    if (p === '/v2/account/activities/FILL') return send(res, 200, listActivities(q));
    if (p.startsWith('/v2/account/activities/'))
      return send(res, 422, {
        code: 40010001,
        message: `invalid activity type: ${p.slice('/v2/account/activities/'.length)}`,
      });
    if (p === '/v2/stocks/bars' || p === '/v1beta3/crypto/us/bars') {
      const symbol = q.get('symbols') ?? '';
      const all = bars.get(symbol) ?? [];
      const from = Number(q.get('page_token') ?? 0);
      return send(res, 200, {
        bars: { [symbol]: all.slice(from, from + 1000) },
        next_page_token: from + 1000 < all.length ? String(from + 1000) : null,
      });
    }
    if (p === '/v2/orders' && req.method === 'POST') return placeOrder(res, body);
    if (p === '/v2/orders' && req.method === 'GET')
      return send(
        res,
        200,
        [...orders.values()].filter((o) => ['new', 'accepted', 'partially_filled'].includes(o.status)),
      );
    if (p === '/v2/orders:by_client_order_id') {
      const o = orders.get(q.get('client_order_id') ?? '');
      return o ? send(res, 200, o) : send(res, 404, notFound);
    }
    if (p.startsWith('/v2/orders/') && req.method === 'DELETE') {
      const o = [...orders.values()].find((x) => x.id === p.slice('/v2/orders/'.length));
      if (!o) return send(res, 404, notFound);
      if (!['new', 'accepted', 'partially_filled'].includes(o.status))
        return send(res, 422, { code: 42210000, message: 'order is not cancelable' });
      Object.assign(o, { status: 'canceled', updated_at: iso() });
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
  const ws = createAlpacaVenueWs(server, options);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  const base = `127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  return {
    urls: { trading: `http://${base}`, data: `http://${base}`, tradingWs: `ws://${base}`, dataWs: `ws://${base}` },
    orders,
    prices,
    activities,
    requests,
    subscribeMessages: ws.subscribeMessages,
    /** Every message a client sent on the trading stream, in order. */
    tradeMessages: ws.tradeMessages,
    setBars: (symbol: string, list: unknown[]) => void bars.set(symbol, list),
    setBook: ws.setBook,
    pushBookChange: ws.pushBookChange,
    pushTrade: ws.pushTrade,
    /** A resting order trades at its limit price (the update goes to listening clients, if any). */
    fill(clientOrderId: string, qty?: string): void {
      const o = orders.get(clientOrderId);
      if (!o || !['new', 'accepted', 'partially_filled'].includes(o.status))
        throw new Error(`no open order ${clientOrderId}`);
      const rest = new Money(o.qty).minus(o.filled_qty);
      execute(o, qty ? Money.min(rest, qty) : rest, o.limit_price ?? prices.get(o.symbol) ?? '0');
    },
    traders: ws.traders,
    setLoginRefused: ws.setLoginRefused,
    setTradeStreamDown: ws.setTradeStreamDown,
    dropAll: ws.dropAll,
    addVenueOrder: (o: AlpacaVenueOrder) => void orders.set(o.client_order_id, o),
    async close() {
      await ws.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

export type AlpacaVenue = Awaited<ReturnType<typeof startAlpacaVenue>>;
