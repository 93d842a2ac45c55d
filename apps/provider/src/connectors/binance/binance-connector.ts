import { z } from 'zod';
import type { Candle, Instrument } from '@barfinex/contracts';
import type { ExchangeConnectorStatus, MarketType, TimeFrame } from '@barfinex/enums';
import type { Logger } from 'pino';
import { VenueRejectError } from '../connector';
import type { ConnectorEvents, DegradedMarket, ExchangeConnector } from '../connector';
import { createRateLimiter, realSleep } from '../shared/rate-limiter';
import { createReconcileLoop } from '../shared/reconcile-loop';
import { BINANCE_HOSTS, BINANCE_INTERVALS } from './binance-hosts';
import type { BinanceConnectorType, BinanceMarket } from './binance-hosts';
import { createBinanceMarketStream } from './binance-market-stream';
import type { BinanceMarketStream } from './binance-market-stream';
import { toCandle, toInstrument, toOrderParams } from './binance-mappers';
import { createBinanceRest } from './binance-rest';
import type { BinanceCredentials, BinanceRest } from './binance-rest';
import { BinanceDepthSnapshotSchema, BinanceExchangeInfoSchema, BinanceKlineSchema } from './binance-schemas';
import { createBinanceTrading } from './binance-trading';
import type { BinanceTrading } from './binance-trading';
import { createBinanceUserStream } from './binance-user-stream';
import type { UserStreamState } from './binance-user-stream';
import { createBinanceWsApiUserStream } from './binance-ws-api-user-stream';

export interface BinanceMarketConfig {
  market: BinanceMarket;
  symbols: readonly string[];
  credentials?: BinanceCredentials;
  /** Replacements of the documented hosts (`BINANCE_HOSTS`): regional hosts, a proxy, a local fake. */
  restUrl?: string;
  /** Market-data streams (futures: the `/market` endpoint). */
  wsUrl?: string;
  /** Futures: the `/public` endpoint carrying depth. */
  publicWsUrl?: string;
  /** Spot: the WebSocket API; futures: the `/private` user-data base. */
  userWsUrl?: string;
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
  user?: { start(): Promise<void>; stop(): Promise<void>; opens(): number; connected(): boolean };
  /** Set when the market has keys: whether user data flows, and why not. */
  userState?: UserStreamState;
  instruments: Map<string, Instrument>;
  prices: Map<string, string>;
}

export function createBinanceConnector(
  options: BinanceConnectorOptions,
): ExchangeConnector & { venue(market: MarketType): Venue | undefined } {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const log = options.logger;
  const loop = createReconcileLoop({
    sleep,
    retryMs: options.reconcileRetryMs ?? 1000,
    onLog: (msg, d) => log.info({ ...d }, msg),
  });
  const venues = new Map<MarketType, Venue>();
  let events: ConnectorEvents | undefined;
  let status: ExchangeConnectorStatus = 'INACTIVE';

  for (const cfg of options.markets) {
    const hosts = BINANCE_HOSTS[options.type][cfg.market];
    const restUrl = cfg.restUrl ?? hosts?.rest;
    const wsUrl = cfg.wsUrl ?? hosts?.ws;
    const userWsUrl = cfg.userWsUrl ?? hosts?.user;
    const publicWsUrl = cfg.publicWsUrl ?? hosts?.publicWs;
    if (!restUrl || !wsUrl || !userWsUrl) throw new Error(`${options.type} has no ${cfg.market} market`);
    const limiter = createRateLimiter({
      rules: [{ limit: options.weightPerMinute ?? (cfg.market === 'spot' ? 6000 : 2400), intervalMs: 60_000 }],
      now,
      sleep,
    });
    const recvWindowMs = options.recvWindowMs ?? 5000;
    const rest = createBinanceRest({
      baseUrl: restUrl,
      market: cfg.market,
      ...(cfg.credentials ? { credentials: cfg.credentials } : {}),
      limiter,
      now,
      sleep,
      timeoutMs: options.timeoutMs ?? 10_000,
      recvWindowMs,
      ...(options.httpBackoffMs !== undefined ? { backoffMs: options.httpBackoffMs } : {}),
    });
    const trading = createBinanceTrading({
      rest,
      type: options.type,
      market: cfg.market,
      now,
      sleep,
      recvWindowMs,
      resolvePollMs: 500,
    });
    const prices = new Map<string, string>();
    const m = cfg.market;
    const proactiveReconnectMs = options.proactiveReconnectMs ?? 23 * 3_600_000;
    const backoff = options.wsBackoffMs !== undefined ? { initialBackoffMs: options.wsBackoffMs } : {};
    // Futures depth lives on `/public`, the other streams on `/market`; spot serves all at one host.
    const connections =
      m === 'futures' && publicWsUrl
        ? [
            { wsBase: wsUrl, kinds: ['aggTrade', 'ticker'] as const },
            { wsBase: publicWsUrl, kinds: ['depth'] as const },
          ]
        : [{ wsBase: wsUrl, kinds: ['aggTrade', 'depth', 'ticker'] as const }];
    const stream = createBinanceMarketStream({
      connections,
      market: m,
      proactiveReconnectMs,
      ...backoff,
      // Depth of 1000 levels weighs 50 on spot (rest-api.md "Order book") and 20 on USD-M futures.
      snapshot: async (symbol) =>
        BinanceDepthSnapshotSchema.parse(
          await rest.publicGet(rest.paths.depth, { symbol, limit: 1000 }, m === 'spot' ? 50 : 20),
        ),
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
      venue.userState = { open: false, reason: 'user-data stream not connected yet' };
      const common = {
        proactiveReconnectMs,
        ...backoff,
        onOrder: (
          state: Parameters<ConnectorEvents['onOrderUpdate']>[1],
          fill?: Parameters<ConnectorEvents['onFill']>[1],
        ) => {
          if (fill) events?.onFill(m, trading.owned(fill));
          events?.onOrderUpdate(m, trading.owned(state));
        },
        onAccount: (eventType: string, time: number, details: Record<string, unknown>) =>
          events?.onAccountChange(m, { eventType, time, details }),
        onConnected: () => void loop.request(m, events?.reconcile),
        onState: (state: UserStreamState) => {
          const was = venue.userState?.open;
          venue.userState = state;
          // No user data means fills could go unseen: trading waits until the stream is back and reconciled.
          if (!state.open) loop.gate.close(m);
          if (was !== state.open)
            (state.open ? log.info.bind(log) : log.warn.bind(log))(
              { market: m, reason: state.reason },
              state.open ? 'user-data stream open' : 'user-data stream not open',
            );
        },
        onLog: (msg: string, d?: Record<string, unknown>) => log.info({ market: m, ...d }, msg),
      };
      venue.user =
        m === 'spot'
          ? createBinanceWsApiUserStream({
              ...common,
              url: userWsUrl,
              credentials: cfg.credentials,
              venueNow: () => now() + rest.offset(),
              recvWindowMs,
              resyncClock: () => rest.syncTime(),
            })
          : createBinanceUserStream({
              ...common,
              // The real order's trades come with the update, whatever id the real order carries and
              // whichever event arrives first; a trade seen twice is stored once (by trade id).
              onAlgoOrder: (state: Parameters<ConnectorEvents['onOrderUpdate']>[1]) =>
                void trading.algoUpdateFills(state).then(
                  (fills) => {
                    for (const fill of fills) events?.onFill(m, fill);
                    events?.onOrderUpdate(m, state);
                  },
                  (err: unknown) => {
                    const reason = err instanceof Error ? err.message : String(err);
                    log.warn({ market: m, err: reason }, 'algo order fills not fetched; reconciliation covers them');
                    events?.onOrderUpdate(m, state);
                  },
                ),
              rest,
              wsBase: userWsUrl,
              keepAliveMs: options.keepAliveMs ?? 30 * 60_000,
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
    const timer = setTimeout(
      () => {
        if (!events) return;
        bringUp(v).then(
          () => {
            if (status === 'RECONNECTING') status = 'ACTIVE';
          },
          () => retryBringUp(v, attempt + 1),
        );
      },
      Math.min(60_000, 1000 * 2 ** attempt),
    );
    timer.unref();
  }

  async function tradable(market: MarketType): Promise<Venue> {
    const v = venueOf(market);
    if (!v.user)
      throw new VenueRejectError('NO_CREDENTIALS', `no API key configured for ${options.type}/${market}`, false);
    const deadline = Date.now() + (options.gateTimeoutMs ?? 15_000);
    try {
      // A reconciliation that finished while user data went down opened the gate too early: wait again.
      for (;;) {
        await loop.gate.wait(market, Math.max(0, deadline - Date.now()));
        if (!v.userState || v.userState.open) break;
        loop.gate.close(market);
      }
    } catch (err) {
      // The refusal says why: no user data (and so no fills) or reconciliation still running.
      if (v.userState && !v.userState.open)
        throw new VenueRejectError(
          'USER_STREAM_DOWN',
          `${options.type}/${market} cannot trade: ${v.userState.reason ?? 'user-data stream not open'}`,
          false,
        );
      const waiting = loop.waitReason(market);
      if (waiting)
        throw new VenueRejectError('NOT_RECONCILED', `${options.type}/${market} cannot trade: ${waiting}`, false);
      throw err;
    }
    return v;
  }

  function degraded(): DegradedMarket[] {
    const out: DegradedMarket[] = [];
    for (const [market, v] of venues) {
      if (!v.userState) continue;
      if (!v.userState.open) out.push({ market, reason: v.userState.reason ?? 'user-data stream not open' });
      else if (loop.waitReason(market)) out.push({ market, reason: loop.waitReason(market) as string });
    }
    return out;
  }

  return {
    type: options.type,
    markets: options.markets.map((m) => m.market),
    venue: (market) => venues.get(market),
    status: () => (status === 'ACTIVE' && degraded().length > 0 ? 'DEGRADED' : status),
    degraded,
    async start(handlers) {
      events = handlers;
      status = 'CONNECTING';
      let failed = false;
      for (const v of venues.values()) {
        // An unreachable venue must not stop the provider: the market comes up once the venue answers.
        await bringUp(v).catch((err: unknown) => {
          failed = true;
          log.error(
            { market: v.cfg.market, err: err instanceof Error ? err.message : String(err) },
            'venue unreachable; retrying in the background',
          );
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
      // A request the venue cannot take is refused as such, before waiting for the market to trade.
      toOrderParams(venueOf(market).cfg.market, req);
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
      for (let cursor = fromMs; cursor <= toMs;) {
        const page = z
          .array(BinanceKlineSchema)
          .parse(
            await v.rest.publicGet(
              v.rest.paths.klines,
              { symbol, interval: BINANCE_INTERVALS[interval], startTime: cursor, endTime: toMs, limit },
              market === 'spot' ? 2 : 10,
            ),
          );
        for (const k of page) if (k[6] <= toMs) out.push(toCandle(k, symbol, interval, options.type, v.cfg.market));
        const last = page.at(-1);
        if (!last || page.length < limit) break;
        cursor = last[0] + 1;
      }
      return out;
    },
  };
}
