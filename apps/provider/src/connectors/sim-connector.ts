import type { Database, PrismaClient } from '@barfinex/db';
import type { Instrument } from '@barfinex/contracts';
import { isFinalOrderStatus } from '@barfinex/enums';
import type { ExchangeConnectorStatus, MarketType } from '@barfinex/enums';
import type { Logger } from 'pino';
import { VenueRejectError } from './connector';
import type { AccountSnapshot, ConnectorEvents, ExchangeConnector, VenueOrderRequest } from './connector';
import { DEFAULT_SIM_SYMBOLS, createSimClock, createSimExchange } from './sim';
import type { SimExchange, SimMarketType } from './sim';
import { createBalanceAnnouncer } from './sim-balances';
import { asSimMarket, toBook, toVenueError, toVenueFill, toVenueOpenOrder, toVenueState } from './sim-mappers';
import { createSimStateStore } from './sim-snapshot.store';
import type { SimStateStore, SimStateStoreDeps } from './sim-snapshot.store';
import { createSimHistory } from '../areas/backfill/sim-history';
import type { SimHistory } from '../areas/backfill/sim-history';

const ACCOUNT = 'main';
const MARKETS: readonly SimMarketType[] = ['spot', 'futures'];
export interface SimConnectorOptions {
  prisma: PrismaClient;
  /** PostgreSQL's pg Pool, when there is one (the state store writes through it). */
  pool?: Database['pool'];
  seed: number;
  symbols: readonly string[];
  tickMs: number;
  autostart: boolean;
  logger: Logger;
  /** Wall clock for the live timer; tests drive the market through `exchange.step` instead. */
  now?: () => number;
  /** How often ticker and recent-trade parts are stored at most (default 5 s); see sim-snapshot.store.ts. */
  marketPersistMs?: number;
  /** Builds the state store (default: sim-snapshot.store.ts); tests inject one whose writes fail. */
  createStore?: (deps: SimStateStoreDeps) => SimStateStore;
}

export type SimConnector = ExchangeConnector & {
  exchange: SimExchange;
  /** Waits until the current state, market parts included, is stored (after scripted changes). */
  persist(): Promise<void>;
};

/** The `sim` connector: the simulated exchange, persisted, driven by a wall-clock timer. */
export async function createSimConnector(options: SimConnectorOptions): Promise<SimConnector> {
  const wall = options.now ?? Date.now;
  const wanted = new Set(options.symbols.map((s) => s.toUpperCase()));
  const symbols = DEFAULT_SIM_SYMBOLS.filter((s) => wanted.has(s.symbol));
  const clock = createSimClock({ startMs: wall(), paused: !options.autostart });
  let events: ConnectorEvents | undefined;
  let placing: string | undefined;
  const onBalance = createBalanceAnnouncer({
    announce: (market, change) => events?.onAccountChange(market, change),
    now: () => clock.now(),
    onError: (err) => options.logger.error({ err }, 'simulator sink failed'),
  });
  const streamed = new Map<SimMarketType, Set<string>>(MARKETS.map((m) => [m, new Set(symbols.map((s) => s.symbol))]));
  const streams = (m: SimMarketType, symbol: string) => streamed.get(m)?.has(symbol) === true;
  /** Per symbol, the history walked back from the live start it was built for (see `historyOf`). */
  const histories = new Map<string, { anchor: string; history: SimHistory }>();

  const exchange = createSimExchange({
    seed: options.seed,
    symbols,
    clock,
    sink: {
      onTrade: (t) => {
        if (streams(t.marketType, t.symbol))
          events?.onTrade(t.marketType, {
            id: String(t.id),
            time: t.time,
            symbol: t.symbol,
            price: t.price,
            volume: t.volume,
            side: t.side,
          });
      },
      onBook: (b) => {
        if (streams(b.marketType, b.symbol)) events?.onOrderBook(b.marketType, toBook(b));
      },
      onTicker: (t) => {
        if (!streams(t.marketType, t.s)) return;
        const { connectorType: _c, marketType, ...ticker } = t;
        events?.onTicker(marketType, ticker);
      },
      onOrderUpdate: (o) => {
        if (o.clientOrderId !== placing) events?.onOrderUpdate(o.marketType, toVenueState(o));
      },
      onFill: (f) => {
        if (f.clientOrderId !== placing) events?.onFill(f.marketType, toVenueFill(f));
      },
      onBalance,
      onPosition: (p) =>
        events?.onAccountChange('futures', {
          eventType: 'ACCOUNT_UPDATE',
          time: clock.now(),
          details: {
            symbol: p.symbol,
            side: p.side,
            quantity: p.quantity,
            entryPrice: p.entryPrice,
            unrealizedPnl: p.unrealizedPnl,
            realizedPnl: p.realizedPnl,
            leverage: p.leverage,
          },
        }),
      onError: (err) => options.logger.error({ err }, 'simulator sink failed'),
    },
  });

  const store = (options.createStore ?? createSimStateStore)({
    prisma: options.prisma,
    ...(options.pool ? { pool: options.pool } : {}),
    key: `sim:${options.seed}`,
    exchange,
    ...(options.marketPersistMs !== undefined ? { marketIntervalMs: options.marketPersistMs } : {}),
    onQuarantine: (records) =>
      options.logger.error(
        { records: records.map(({ value: _v, ...r }) => r) },
        'stored simulator state failed validation: moved to quarantined_records, starting without it',
      ),
  });
  const loaded = await store.load();
  if (loaded !== 'none') {
    // Time moved on while the provider was down; the market resumes from now without replaying the gap.
    if (!exchange.isPaused() && wall() > exchange.now()) clock.set(wall());
    options.logger.info(
      { time: exchange.now(), paused: exchange.isPaused(), from: loaded },
      'simulator state restored',
    );
  }

  /**
   * History ends where the live market began and closes at its starting price, so backfilled bars
   * join the live ones without a jump and never overwrite them. The start is kept with the
   * simulator's state, so the same seed and range give the same bars after a restart. Before
   * `start()` the anchor is provisional (now, at the current price).
   */
  function historyOf(symbol: string): SimHistory {
    const spec = symbols.find((s) => s.symbol === symbol);
    if (!spec) throw new VenueRejectError('UNKNOWN_SYMBOL', `the simulator has no ${symbol}`, true);
    const liveFrom = exchange.liveStart(symbol);
    const anchor = `${liveFrom.time}:${liveFrom.price}`;
    const cached = histories.get(symbol);
    if (cached?.anchor === anchor) return cached.history;
    const history = createSimHistory(options.seed, { ...spec, volatility: spec.volatility ?? 0.5 }, { liveFrom });
    histories.set(symbol, { anchor, history });
    return history;
  }

  /** The simulator's instruments never change while it runs: built once per market, looked up by symbol on every order. */
  const instrumentMaps = new Map<MarketType, ReadonlyMap<string, Instrument>>();
  function instrumentsOf(market: MarketType): ReadonlyMap<string, Instrument> {
    let map = instrumentMaps.get(market);
    if (!map) {
      const list = market === 'spot' || market === 'futures' ? exchange.instruments(market) : [];
      map = new Map(list.map((i): [string, Instrument] => [i.symbol, { ...i, connectorType: 'sim' }]));
      instrumentMaps.set(market, map);
    }
    return map;
  }

  let status: ExchangeConnectorStatus = 'INACTIVE';
  let timer: NodeJS.Timeout | undefined;
  let lastWall = wall();
  /** A change the exchange accepted is not stored yet: the next tick saves even a paused market. */
  let unsaved = false;

  function saveInBackground(): void {
    unsaved = false;
    void store.save().catch((err: unknown) => {
      unsaved = true;
      options.logger.warn({ err }, 'simulator state not saved; will retry');
    });
  }

  /**
   * Saves after the exchange accepted an order, cancel or leverage change. The change happened and
   * its answer must reach the caller (an order placed but reported as failed would be lost), so a
   * failed save is logged and left to the next tick rather than thrown.
   */
  async function saveAccepted(): Promise<void> {
    try {
      await store.save();
    } catch (err) {
      unsaved = true;
      options.logger.warn({ err }, 'simulator state not saved after an accepted change; the next tick retries');
    }
  }

  function reject(err: unknown): never {
    throw toVenueError(err);
  }

  const connector: SimConnector = {
    type: 'sim',
    markets: MARKETS,
    exchange,
    async persist() {
      await store.save({ all: true });
      unsaved = false;
    },
    status: () => status,
    async start(handlers) {
      events = handlers;
      status = 'ACTIVE';
      lastWall = wall();
      // Loading state and starting the other parts took time the market did not live through: a
      // running market starts at the wall clock, else every venue time would lag the provider's.
      if (!exchange.isPaused() && lastWall > exchange.now()) clock.set(lastWall);
      // The first start is where candle history joins the live market; a restored market keeps
      // the start it recorded (or derived from an older snapshot). The first tick stores it,
      // even on a paused market.
      exchange.markLive();
      unsaved = true;
      // The simulator keeps its orders with its state: what the provider stored about them before a
      // crash is checked against it before any new order arrives (the server is not listening yet).
      for (const m of MARKETS) {
        try {
          await handlers.reconcile?.(m);
        } catch (err) {
          options.logger.error(
            { err, market: m },
            'simulator orders not reconciled at start; the periodic run retries',
          );
        }
      }
      timer = setInterval(() => {
        const t = wall();
        const elapsed = t - lastWall;
        lastWall = t;
        // A paused market does not move, and every change made while paused (orders, scripted
        // prices, leverage) saves itself: the tick only retries a save that failed.
        if (exchange.isPaused()) {
          if (store.isBehind() || unsaved) saveInBackground();
          return;
        }
        try {
          exchange.advance(elapsed);
        } catch (err) {
          options.logger.error({ err }, 'simulator step failed');
        }
        saveInBackground();
      }, options.tickMs);
    },
    async stop() {
      if (timer) clearInterval(timer);
      status = 'STOPPING';
      await store.save({ all: true });
      events = undefined;
      status = 'INACTIVE';
    },
    instruments: (market) => [...instrumentsOf(market).values()],
    instrument: (market, symbol) => instrumentsOf(market).get(symbol),
    async placeOrder(market, req: VenueOrderRequest) {
      placing = req.clientOrderId;
      let result;
      try {
        result = exchange.placeOrder(ACCOUNT, { marketType: asSimMarket(market), ...req });
      } catch (err) {
        reject(err);
      } finally {
        placing = undefined;
      }
      await saveAccepted();
      if (result.order.status === 'REJECTED')
        throw new VenueRejectError(
          result.order.reason ?? 'REJECTED',
          result.order.reason ?? 'rejected by the simulator',
          false,
        );
      return { order: toVenueState(result.order), fills: result.fills.map(toVenueFill) };
    },
    async cancelOrder(market, clientOrderId) {
      const order = exchange.getOrderByClientId(ACCOUNT, clientOrderId);
      if (!order)
        throw new VenueRejectError('UNKNOWN_ORDER', `order ${clientOrderId} is unknown to the simulator`, false);
      // Closed here before the caller heard of it (filled, expired): its final state is the answer.
      if (isFinalOrderStatus(order.status)) return toVenueState(order);
      let canceled;
      placing = clientOrderId;
      try {
        canceled = exchange.cancelOrder(ACCOUNT, asSimMarket(market), order.id);
      } catch (err) {
        reject(err);
      } finally {
        placing = undefined;
      }
      await saveAccepted();
      return toVenueState(canceled);
    },
    async queryOrder(_market, clientOrderId) {
      const order = exchange.getOrderByClientId(ACCOUNT, clientOrderId);
      return order ? toVenueState(order) : undefined;
    },
    async openOrders(market) {
      return exchange.openOrders(ACCOUNT, asSimMarket(market)).map(toVenueOpenOrder);
    },
    async account(market): Promise<AccountSnapshot> {
      const m = asSimMarket(market);
      const assets = exchange.balances(ACCOUNT, m).map((b) => ({
        connectorType: 'sim' as const,
        marketType: m,
        symbol: b.asset,
        walletBalance: b.total,
        availableBalance: b.free,
        lockedBalance: b.locked,
      }));
      const positions =
        m === 'futures'
          ? exchange
              .positions(ACCOUNT)
              .filter((p) => p.quantity !== '0')
              .map((p) => ({
                connectorType: 'sim' as const,
                marketType: 'futures' as const,
                symbol: p.symbol,
                side: p.side,
                quantity: p.quantity,
                entryPrice: p.entryPrice,
                lastPrice: p.lastPrice,
                unrealizedPnl: p.unrealizedPnl,
                realizedPnl: p.realizedPnl,
                initialMargin: p.initialMargin,
                liquidationPrice: p.liquidationPrice,
                leverage: p.leverage,
                entryTime: p.entryTime,
                updatedAt: p.updateTime,
              }))
          : [];
      return { assets, positions };
    },
    async setLeverage(market, symbol, leverage) {
      asSimMarket(market);
      try {
        const result = exchange.setLeverage(ACCOUNT, symbol, leverage).leverage;
        await saveAccepted();
        return result;
      } catch (err) {
        return reject(err);
      }
    },
    orderBook(market, symbol, depth) {
      try {
        return toBook(exchange.orderBook(asSimMarket(market), symbol, depth));
      } catch {
        return undefined;
      }
    },
    lastPrice(market, symbol) {
      try {
        return exchange.lastPrice(asSimMarket(market), symbol);
      } catch {
        return undefined;
      }
    },
    subscriptions: (market) => ({
      symbols: market === 'spot' || market === 'futures' ? [...(streamed.get(market) ?? [])].sort() : [],
    }),
    async setSubscriptions(market, list) {
      streamed.set(asSimMarket(market), new Set(list));
    },
    /** Deterministic history from the seed and the live start (see backfill/sim-history.ts): closed bars up to it. */
    async candles(market, symbol, interval, fromMs, toMs) {
      return historyOf(symbol).candles(asSimMarket(market), interval, fromMs, toMs, wall());
    },
  };
  return connector;
}
