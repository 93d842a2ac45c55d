import { z } from 'zod';
import type { Candle, Instrument } from '@barfinex/contracts';
import type { ExchangeConnectorStatus, MarketType, TimeFrame } from '@barfinex/enums';
import type { Logger } from 'pino';
import { VenueRejectError } from '../connector';
import type { ConnectorEvents, ExchangeConnector } from '../connector';
import { createRateLimiter, realSleep } from '../shared/rate-limiter';
import { createReconcileLoop } from '../shared/reconcile-loop';
import { BINANCE_HOSTS, BINANCE_INTERVALS } from './binance-hosts';
import type { BinanceConnectorType, BinanceMarket } from './binance-hosts';
import { createBinanceMarketStream } from './binance-market-stream';
import type { BinanceMarketStream } from './binance-market-stream';
import { toCandle, toInstrument } from './binance-mappers';
import { createBinanceRest } from './binance-rest';
import type { BinanceCredentials, BinanceRest } from './binance-rest';
import { BinanceDepthSnapshotSchema, BinanceExchangeInfoSchema, BinanceKlineSchema } from './binance-schemas';
import { createBinanceTrading } from './binance-trading';
import type { BinanceTrading } from './binance-trading';
import { createBinanceUserStream } from './binance-user-stream';

export interface BinanceMarketConfig {
  market: BinanceMarket;
  symbols: readonly string[];
  credentials?: BinanceCredentials;
  /** Overrides of the documented hosts (tests point these at a local fake). */
  restUrl?: string;
  wsUrl?: string;
}

export interface BinanceConnectorOptions {
  type: BinanceConnectorType;
  markets: readonly BinanceMarketConfig[];
  logger: Logger;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  timeoutMs?: number;
  recvWindowMs?: number;
  /** Binance cuts every connection at 24 h; reconnecting earlier avoids an unplanned gap. */
  proactiveReconnectMs?: number;
  keepAliveMs?: number;
  /** How long an order waits for reconciliation before it is refused. */
  gateTimeoutMs?: number;
  reconcileRetryMs?: number;
  wsBackoffMs?: number;
  httpBackoffMs?: number;
  /** Request weight per minute; defaults to the venue's documented IP limits. */
  weightPerMinute?: number;
}

interface Venue {
  cfg: BinanceMarketConfig;
  rest: BinanceRest;
  trading: BinanceTrading;
  stream: BinanceMarketStream;
  user?: ReturnType<typeof createBinanceUserStream>;
  instruments: Map<string, Instrument>;
  prices: Map<string, string>;
}

export function createBinanceConnector(options: BinanceConnectorOptions): ExchangeConnector & { venue(market: MarketType): Venue | undefined } {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const log = options.logger;
  const loop = createReconcileLoop({ sleep, retryMs: options.reconcileRetryMs ?? 1000, onLog: (msg, d) => log.info({ ...d }, msg) });
  const venues = new Map<MarketType, Venue>();
  let events: ConnectorEvents | undefined;
  let status: ExchangeConnectorStatus = 'INACTIVE';

  for (const cfg of options.markets) {
    const hosts = BINANCE_HOSTS[options.type][cfg.market];
    const restUrl = cfg.restUrl ?? hosts?.rest;
    const wsUrl = cfg.wsUrl ?? hosts?.ws;
    if (!restUrl || !wsUrl) throw new Error(`${options.type} has no ${cfg.market} market`);
    const limiter = createRateLimiter({ rules: [{ limit: options.weightPerMinute ?? (cfg.market === 'spot' ? 6000 : 2400), intervalMs: 60_000 }], now, sleep });
    const rest = createBinanceRest({ baseUrl: restUrl, market: cfg.market, ...(cfg.credentials ? { credentials: cfg.credentials } : {}), limiter, now, sleep, timeoutMs: options.timeoutMs ?? 10_000, recvWindowMs: options.recvWindowMs ?? 5000, ...(options.httpBackoffMs !== undefined ? { backoffMs: options.httpBackoffMs } : {}) });
    const trading = createBinanceTrading({ rest, type: options.type, market: cfg.market, now, sleep, recvWindowMs: options.recvWindowMs ?? 5000, resolvePollMs: 500 });
    const prices = new Map<string, string>();
    const m = cfg.market;
    const stream = createBinanceMarketStream({
      wsBase: wsUrl,
      market: m,
      proactiveReconnectMs: options.proactiveReconnectMs ?? 23 * 3_600_000,
      ...(options.wsBackoffMs !== undefined ? { initialBackoffMs: options.wsBackoffMs } : {}),
      snapshot: async (symbol) => BinanceDepthSnapshotSchema.parse(await rest.publicGet(rest.paths.depth, { symbol, limit: 1000 }, m === 'spot' ? 250 : 20)),
      onTrade: (t) => {
        prices.set(t.symbol, t.price);
        events?.onTrade(m, t);
      },
      onBook: (b) => events?.onOrderBook(m, b),
      onTicker: (t) => {
        prices.set(t.s, t.c);
        events?.onTicker(m, t);
      },
      onLog: (msg, d) => log.info({ market: m, ...d }, msg),
    });
    const venue: Venue = { cfg, rest, trading, stream, instruments: new Map(), prices };
    if (cfg.credentials) {
      venue.user = createBinanceUserStream({
        rest,
        wsBase: wsUrl,
        market: m,
        keepAliveMs: options.keepAliveMs ?? 30 * 60_000,
        proactiveReconnectMs: options.proactiveReconnectMs ?? 23 * 3_600_000,
        ...(options.wsBackoffMs !== undefined ? { initialBackoffMs: options.wsBackoffMs } : {}),
        onOrder: (state, fill) => {
          if (fill) events?.onFill(m, fill);
          events?.onOrderUpdate(m, state);
        },
        onAccount: (eventType, time, details) => events?.onAccountChange(m, { eventType, time, details }),
        onConnected: () => void loop.request(m, events?.reconcile),
        onLog: (msg, d) => log.info({ market: m, ...d }, msg),
      });
    }
    venues.set(m, venue);
  }

  function venueOf(market: MarketType): Venue {
    const v = venues.get(market);
    if (!v) throw new VenueRejectError('UNKNOWN_MARKET', `${options.type} has no ${market} market configured`, true);
    return v;
  }

  async function loadInstruments(v: Venue): Promise<void> {
    const info = BinanceExchangeInfoSchema.parse(await v.rest.publicGet(v.rest.paths.exchangeInfo, {}, 20));
    v.instruments = new Map(info.symbols.map((s) => [s.symbol, toInstrument(s, options.type, v.cfg.market)]));
  }

  async function bringUp(v: Venue): Promise<void> {
    await loadInstruments(v);
    if (v.user) await v.rest.syncTime();
    v.stream.setSymbols(v.cfg.symbols.filter((s) => v.instruments.has(s)));
    void v.stream.start().catch(() => undefined);
    void v.user?.start().catch(() => undefined);
  }

  function retryBringUp(v: Venue, attempt: number): void {
    const timer = setTimeout(() => {
      if (!events) return;
      bringUp(v).then(
        () => {
          if (status === 'RECONNECTING') status = 'ACTIVE';
        },
        () => retryBringUp(v, attempt + 1),
      );
    }, Math.min(60_000, 1000 * 2 ** attempt));
    timer.unref();
  }

  async function tradable(market: MarketType): Promise<Venue> {
    const v = venueOf(market);
    if (!v.user) throw new VenueRejectError('NO_CREDENTIALS', `no API key configured for ${options.type}/${market}`, false);
    await loop.gate.wait(market, options.gateTimeoutMs ?? 15_000);
    return v;
  }

  return {
    type: options.type,
    markets: options.markets.map((m) => m.market),
    venue: (market) => venues.get(market),
    status: () => status,
    async start(handlers) {
      events = handlers;
      status = 'CONNECTING';
      let failed = false;
      for (const v of venues.values()) {
        // An unreachable venue must not stop the provider: the market comes up once the venue answers.
        await bringUp(v).catch((err: unknown) => {
          failed = true;
          log.error({ market: v.cfg.market, err: err instanceof Error ? err.message : String(err) }, 'venue unreachable; retrying in the background');
          retryBringUp(v, 1);
        });
      }
      status = failed ? 'RECONNECTING' : 'ACTIVE';
    },
    async stop() {
      status = 'STOPPING';
      loop.stop();
      for (const v of venues.values()) {
        await v.stream.stop();
        await v.user?.stop();
        v.rest.close();
      }
      events = undefined;
      status = 'INACTIVE';
    },
    instruments: (market) => [...(venues.get(market)?.instruments.values() ?? [])],
    instrument: (market, symbol) => venues.get(market)?.instruments.get(symbol),
    async placeOrder(market, req) {
      return (await tradable(market)).trading.place(req);
    },
    async cancelOrder(market, clientOrderId) {
      return (await tradable(market)).trading.cancel(clientOrderId);
    },
    account: (market) => venueOf(market).trading.account(),
    setLeverage: async (market, symbol, leverage) => (await tradable(market)).trading.setLeverage(symbol, leverage),
    orderBook: (market, symbol, depth) => venues.get(market)?.stream.book(symbol, depth),
    lastPrice: (market, symbol) => venues.get(market)?.prices.get(symbol),
    subscriptions: (market) => ({ symbols: venues.get(market)?.stream.symbols() ?? [] }),
    async setSubscriptions(market, symbols) {
      venueOf(market).stream.setSymbols(symbols);
    },
    openOrders: (market) => venueOf(market).trading.openOrders(),
    queryOrder: (market, clientOrderId, symbol) => venueOf(market).trading.queryOrder(clientOrderId, symbol),
    orderFills: (market, symbol, externalId) => venueOf(market).trading.orderFills(symbol, externalId),
    async candles(market, symbol, interval: TimeFrame, fromMs, toMs): Promise<Candle[]> {
      const v = venueOf(market);
      const limit = v.rest.paths.klineLimit;
      const out: Candle[] = [];
      // Pages move forward from the last open time seen; a short page means the range is done.
      for (let cursor = fromMs; cursor <= toMs; ) {
        const page = z.array(BinanceKlineSchema).parse(await v.rest.publicGet(v.rest.paths.klines, { symbol, interval: BINANCE_INTERVALS[interval], startTime: cursor, endTime: toMs, limit }, market === 'spot' ? 2 : 10));
        for (const k of page) if (k[6] <= toMs) out.push(toCandle(k, symbol, interval, options.type, v.cfg.market));
        const last = page.at(-1);
        if (!last || page.length < limit) break;
        cursor = last[0] + 1;
      }
      return out;
    },
  };
}
