import { Money } from '@barfinex/contracts';
import { z } from 'zod';
import type { Candle, Instrument } from '@barfinex/contracts';
import type { ExchangeConnectorStatus, MarketType } from '@barfinex/enums';
import type { Logger } from 'pino';
import { VenueRejectError } from '../connector';
import type {
  ConnectorEvents,
  DegradedMarket,
  ExchangeConnector,
  VenueFill,
  VenueOpenOrder,
  VenuePlacement,
} from '../connector';
import { createRateLimiter, realSleep } from '../shared/rate-limiter';
import { createReconcileLoop } from '../shared/reconcile-loop';
import { createVenueHttp, UnknownOutcomeError, VenueHttpError } from '../shared/venue-http';
import {
  ALPACA_TIMEFRAMES,
  fromFillActivity,
  toCandle,
  toInstrument,
  toOrderBody,
  toOrderState,
} from './alpaca-mappers';
import {
  AlpacaAccountSchema,
  AlpacaAssetSchema,
  AlpacaBarsPageSchema,
  AlpacaFillActivitySchema,
  AlpacaOrderSchema,
  AlpacaPositionSchema,
} from './alpaca-schemas';
import { createAlpacaMarketStream, createAlpacaTradeStream } from './alpaca-streams';

export interface AlpacaConnectorOptions {
  keyId: string;
  secretKey: string;
  paper: boolean;
  /** Stocks (`AAPL`) and crypto pairs (`BTC/USD`); both trade on the provider's `spot` market. */
  stockSymbols: readonly string[];
  cryptoSymbols: readonly string[];
  logger: Logger;
  feed?: 'iex' | 'sip';
  /** Replacements of the documented hosts (each one settable by environment; tests point them at a fake). */
  urls?: Partial<AlpacaUrls>;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  timeoutMs?: number;
  proactiveReconnectMs?: number;
  gateTimeoutMs?: number;
  wsBackoffMs?: number;
  /** Lookups by client_order_id after a lost placement reply before it is reported as not placed. */
  resolveAttempts?: number;
}

const MARKET = 'spot' as const;

export interface AlpacaUrls {
  trading: string;
  data: string;
  tradingWs: string;
  dataWs: string;
}

/** Documented hosts: Trading API (paper or live), Market Data REST and its real-time stream. */
export function alpacaHosts(paper: boolean): AlpacaUrls {
  return {
    trading: paper ? 'https://paper-api.alpaca.markets' : 'https://api.alpaca.markets',
    tradingWs: paper ? 'wss://paper-api.alpaca.markets' : 'wss://api.alpaca.markets',
    data: 'https://data.alpaca.markets',
    dataWs: 'wss://stream.data.alpaca.markets',
  };
}

export function createAlpacaConnector(options: AlpacaConnectorOptions): ExchangeConnector {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const log = options.logger;
  const urls: AlpacaUrls = { ...alpacaHosts(options.paper), ...options.urls };
  // Alpaca's documented budget: 200 requests per minute per account.
  const limiter = createRateLimiter({ rules: [{ limit: 200, intervalMs: 60_000 }], now, sleep });
  const httpOptions = {
    timeoutMs: options.timeoutMs ?? 10_000,
    limiter,
    now,
    sleep,
    errorOf: (b: unknown) =>
      b && typeof b === 'object' && 'message' in b
        ? { code: String((b as { code?: unknown }).code ?? ''), message: String((b as { message: unknown }).message) }
        : undefined,
  };
  const trading = createVenueHttp({ baseUrl: urls.trading, ...httpOptions });
  const data = createVenueHttp({ baseUrl: urls.data, ...httpOptions });
  const headers = { 'APCA-API-KEY-ID': options.keyId, 'APCA-API-SECRET-KEY': options.secretKey };
  const get = <T>(http: typeof trading, path: string, query = '') =>
    http.request<T>({ method: 'GET', path, weight: 1, build: () => ({ query, headers }) });
  const loop = createReconcileLoop({ sleep, retryMs: 1000, onLog: (msg, d) => log.info({ ...d }, msg) });
  const venueSymbols = new Map<string, string>();
  const prices = new Map<string, string>();
  let instruments = new Map<string, Instrument>();
  let events: ConnectorEvents | undefined;
  let status: ExchangeConnectorStatus = 'INACTIVE';
  let tradeState: { open: boolean; reason?: string } = { open: false, reason: 'trade stream not connected yet' };
  /** Creation times of orders seen, so their fills are read from that moment on. */
  const createdAt = new Map<string, string>();
  const common = {
    key: options.keyId,
    secret: options.secretKey,
    proactiveReconnectMs: options.proactiveReconnectMs ?? 23 * 3_600_000,
    onLog: (msg: string, d?: Record<string, unknown>) => log.info({ ...d }, msg),
    ...(options.wsBackoffMs !== undefined ? { initialBackoffMs: options.wsBackoffMs } : {}),
  };
  const onTrade = (t: Parameters<ConnectorEvents['onTrade']>[1]) => {
    prices.set(t.symbol, t.price);
    events?.onTrade(MARKET, t);
  };
  const stocks = createAlpacaMarketStream({ ...common, url: `${urls.dataWs}/v2/${options.feed ?? 'iex'}`, onTrade });
  // Alpaca publishes order books for crypto pairs only; stocks have quotes, which are not a book.
  const crypto = createAlpacaMarketStream({
    ...common,
    url: `${urls.dataWs}/v1beta3/crypto/us`,
    onTrade,
    onBook: (book) => events?.onOrderBook(MARKET, book),
  });
  const tradeStream = createAlpacaTradeStream({
    ...common,
    url: `${urls.tradingWs}/stream`,
    onOrder: (state, fill) => {
      if (fill) events?.onFill(MARKET, fill);
      events?.onOrderUpdate(MARKET, state);
    },
    onConnected: () => void loop.request(MARKET, events?.reconcile),
    onState: (state) => {
      if (tradeState.open !== state.open)
        (state.open ? log.info.bind(log) : log.warn.bind(log))(
          { reason: state.reason },
          state.open ? 'trade stream open' : 'trade stream not open',
        );
      tradeState = state;
      // Without trade updates fills could go unseen: trading waits until the stream is back and reconciled.
      if (!state.open) loop.gate.close(MARKET);
    },
  });

  const venueSymbol = (symbol: string) => venueSymbols.get(symbol) ?? symbol;
  const reject = (err: unknown): never => {
    if (err instanceof VenueHttpError && err.status >= 400 && err.status < 500)
      throw new VenueRejectError(err.code || String(err.status), err.message, err.status === 422 || err.status === 400);
    throw err;
  };

  function seen(o: z.output<typeof AlpacaOrderSchema>): VenueOpenOrder {
    createdAt.set(o.id, o.created_at);
    return toOrderState(o);
  }

  async function queryOrder(clientOrderId: string): Promise<VenueOpenOrder | undefined> {
    try {
      return seen(
        AlpacaOrderSchema.parse(
          await get(
            trading,
            '/v2/orders:by_client_order_id',
            new URLSearchParams({ client_order_id: clientOrderId }).toString(),
          ),
        ),
      );
    } catch (err) {
      if (err instanceof VenueHttpError && err.status === 404) return undefined;
      throw err;
    }
  }

  async function tradable(market: MarketType): Promise<void> {
    if (market !== MARKET) throw new VenueRejectError('UNKNOWN_MARKET', `alpaca has no ${market} market`, true);
    const deadline = Date.now() + (options.gateTimeoutMs ?? 15_000);
    try {
      // A reconciliation that finished while the trade stream went down opened the gate too early: wait again.
      for (;;) {
        await loop.gate.wait(MARKET, Math.max(0, deadline - Date.now()));
        if (tradeState.open) break;
        loop.gate.close(MARKET);
      }
    } catch (err) {
      if (!tradeState.open)
        throw new VenueRejectError(
          'USER_STREAM_DOWN',
          `alpaca/${MARKET} cannot trade: ${tradeState.reason ?? 'trade stream not open'}`,
          false,
        );
      const waiting = loop.waitReason(MARKET);
      if (waiting) throw new VenueRejectError('NOT_RECONCILED', `alpaca/${MARKET} cannot trade: ${waiting}`, false);
      throw err;
    }
  }

  function degraded(): DegradedMarket[] {
    if (status !== 'ACTIVE') return [];
    if (!tradeState.open) return [{ market: MARKET, reason: tradeState.reason ?? 'trade stream not open' }];
    const waiting = loop.waitReason(MARKET);
    return waiting ? [{ market: MARKET, reason: waiting }] : [];
  }

  /**
   * "Account Activities" `GET /v2/account/activities/FILL`, oldest first from the order's creation,
   * paged by `page_token` (the last activity id), keeping the order's own executions.
   */
  async function orderFills(externalId: string): Promise<VenueFill[]> {
    const out: VenueFill[] = [];
    const since = createdAt.get(externalId);
    let token: string | undefined;
    for (let page = 0; page < 50; page++) {
      const q = new URLSearchParams({
        direction: 'asc',
        page_size: '100',
        ...(since ? { after: new Date(Date.parse(since) - 1000).toISOString() } : {}),
        ...(token ? { page_token: token } : {}),
      });
      const list = z
        .array(AlpacaFillActivitySchema)
        .parse(await get(trading, '/v2/account/activities/FILL', q.toString()));
      for (const a of list) if (a.order_id === externalId) out.push(fromFillActivity(a, ''));
      if (list.length < 100) break;
      token = list.at(-1)?.id;
    }
    return out;
  }

  return {
    type: 'alpaca',
    markets: [MARKET],
    status: () => (degraded().length > 0 ? 'DEGRADED' : status),
    degraded,
    async start(handlers) {
      events = handlers;
      status = 'CONNECTING';
      const assets = z.array(AlpacaAssetSchema).parse(await get(trading, '/v2/assets', 'status=active'));
      instruments = new Map(assets.map((a) => [toInstrument(a).symbol, toInstrument(a)]));
      for (const a of assets) venueSymbols.set(toInstrument(a).symbol, a.symbol);
      stocks.setSymbols(options.stockSymbols);
      crypto.setSymbols(options.cryptoSymbols);
      if (options.stockSymbols.length > 0) void stocks.start().catch(() => undefined);
      if (options.cryptoSymbols.length > 0) void crypto.start().catch(() => undefined);
      void tradeStream.start().catch(() => undefined);
      status = 'ACTIVE';
    },
    async stop() {
      status = 'STOPPING';
      loop.stop();
      await Promise.all([stocks.stop(), crypto.stop(), tradeStream.stop()]);
      trading.close();
      data.close();
      events = undefined;
      status = 'INACTIVE';
    },
    instruments: (market) => (market === MARKET ? [...instruments.values()] : []),
    instrument: (market, symbol) => (market === MARKET ? instruments.get(symbol) : undefined),
    async placeOrder(market, req): Promise<VenuePlacement> {
      // Built first: a refusal here (an order type or time in force Alpaca lacks) sent nothing, so it
      // must neither wait for the trading gate nor become an "unknown outcome" looked up for seconds.
      const body = toOrderBody(req, venueSymbol(req.symbol));
      await tradable(market);
      try {
        const o = AlpacaOrderSchema.parse(
          await trading.request({
            method: 'POST',
            path: '/v2/orders',
            weight: 1,
            unsafe: true,
            build: () => ({ headers, body }),
          }),
        );
        return { order: seen(o), fills: [] };
      } catch (err) {
        if (!(err instanceof UnknownOutcomeError)) return reject(err);
        // client_order_id is unique at Alpaca, so a lookup tells whether the lost POST landed.
        for (let i = 0; i < (options.resolveAttempts ?? 10); i++) {
          const found = await queryOrder(req.clientOrderId).catch(() => undefined);
          if (found) return { order: found, fills: [] };
          await sleep(1000);
        }
        throw new VenueRejectError(
          'NOT_PLACED',
          `placement outcome was unknown (${err.message}) and the venue has no such order`,
          false,
        );
      }
    },
    async cancelOrder(market, clientOrderId) {
      await tradable(market);
      const order = await queryOrder(clientOrderId);
      if (!order) throw new VenueRejectError('UNKNOWN_ORDER', `order ${clientOrderId} is unknown to alpaca`, false);
      await trading
        .request({ method: 'DELETE', path: `/v2/orders/${order.externalId}`, weight: 1, build: () => ({ headers }) })
        .catch(reject);
      return (await queryOrder(clientOrderId)) ?? order;
    },
    async account() {
      const acc = AlpacaAccountSchema.parse(await get(trading, '/v2/account'));
      const positions = z.array(AlpacaPositionSchema).parse(await get(trading, '/v2/positions'));
      const base = { connectorType: 'alpaca' as const, marketType: MARKET };
      return {
        assets: [
          { ...base, symbol: acc.currency, walletBalance: acc.cash, availableBalance: acc.buying_power },
          ...positions.map((p) => ({
            ...base,
            symbol: p.symbol.replace('/', ''),
            walletBalance: new Money(p.qty).toFixed(),
            availableBalance: new Money(p.qty).toFixed(),
          })),
        ],
        positions: [],
      };
    },
    setLeverage: async () => {
      throw new VenueRejectError('UNKNOWN_MARKET', 'alpaca has no leveraged futures market', true);
    },
    // Crypto pairs only: Alpaca streams no book for stocks.
    orderBook: (_market, symbol, depth) => crypto.book(venueSymbol(symbol), depth),
    lastPrice: (market, symbol) => (market === MARKET ? prices.get(symbol) : undefined),
    subscriptions: () => ({
      symbols: [...stocks.symbols(), ...crypto.symbols().map((s) => s.replace('/', ''))].sort(),
    }),
    async setSubscriptions(market, list) {
      if (market !== MARKET) throw new VenueRejectError('UNKNOWN_MARKET', `alpaca has no ${market} market`, true);
      const venue = list.map(venueSymbol);
      stocks.setSymbols(venue.filter((s) => !s.includes('/')));
      crypto.setSymbols(venue.filter((s) => s.includes('/')));
    },
    openOrders: async () =>
      z
        .array(AlpacaOrderSchema)
        .parse(await get(trading, '/v2/orders', 'status=open&limit=500'))
        .map(seen),
    queryOrder: (_market, clientOrderId) => queryOrder(clientOrderId),
    orderFills: (_market, _symbol, externalId) => orderFills(externalId),
    async candles(_market, symbol, interval, fromMs, toMs): Promise<Candle[]> {
      const venue = venueSymbol(symbol);
      const path = venue.includes('/') ? '/v1beta3/crypto/us/bars' : '/v2/stocks/bars';
      const out: Candle[] = [];
      let token: string | null = null;
      do {
        const q = new URLSearchParams({
          symbols: venue,
          timeframe: ALPACA_TIMEFRAMES[interval],
          start: new Date(fromMs).toISOString(),
          end: new Date(toMs).toISOString(),
          limit: '10000',
        });
        if (token) q.set('page_token', token);
        const page = AlpacaBarsPageSchema.parse(await get(data, path, q.toString()));
        for (const b of page.bars?.[venue] ?? []) out.push(toCandle(b, symbol, interval));
        token = page.next_page_token;
      } while (token);
      return out;
    },
  };
}
