import { OrderStatus } from '@barfinex/enums';
import { accountFor, createAccount } from './accounts';
import type { SimAccountBalances } from './accounts';
import { bookView } from './book';
import type { SimClock } from './clock';
import { SimConfigSchema } from './config';
import type { SimConfig, SimConfigInput, SimMarketType } from './config';
import { str } from './decimal';
import { emitFuturesBalance, emitPosition } from './emit';
import { buildEngine, instrumentView } from './engine';
import { SimErrorCode, reject } from './errors';
import { changeLeverage, closeOrder } from './ledger';
import { advanceSlice, advanceTo, clearPricePath, pushPricePath, rebase, setPrice } from './market';
import type { PricePathOptions, PricePathPoint, ScriptedPrintOptions } from './market';
import { cancelOrder, marketFor, placeOrder } from './orders';
import type { PlaceOrderResult } from './orders';
import { drainChanges, returnChanges } from './persist';
import type { SimChanges } from './persist';
import { restoreEngine } from './restore';
import { takeSnapshot } from './snapshot';
import type { SimSnapshot } from './snapshot';
import type { Engine } from './state';
import { recentTrades, tickerView } from './ticker';
import type {
  SimBalance,
  SimInstrument,
  SimOrder,
  SimOrderBook,
  SimOrderRequest,
  SimPosition,
  SimSink,
  SimTicker,
  SimTrade,
} from './types';
import { futuresBalanceView, orderView, positionView, spotBalanceView } from './views';

export interface SimExchangeDeps {
  clock: SimClock;
  sink?: SimSink;
}

export type SimExchangeOptions = SimConfigInput & SimExchangeDeps;

export interface SimExchange {
  readonly config: SimConfig;
  instruments(marketType: SimMarketType): SimInstrument[];
  placeOrder(accountId: string, request: SimOrderRequest): PlaceOrderResult;
  cancelOrder(accountId: string, marketType: SimMarketType, orderId: string): SimOrder;
  /** Cancels every live order of the account on the market (optionally one symbol); returns them. */
  cancelAll(accountId: string, marketType: SimMarketType, symbol?: string): SimOrder[];
  getOrder(accountId: string, orderId: string): SimOrder | undefined;
  getOrderByClientId(accountId: string, clientOrderId: string): SimOrder | undefined;
  openOrders(accountId: string, marketType?: SimMarketType, symbol?: string): SimOrder[];
  balances(accountId: string, marketType: SimMarketType): SimBalance[];
  positions(accountId: string): SimPosition[];
  leverage(accountId: string, symbol: string): number;
  setLeverage(accountId: string, symbol: string, leverage: number): { symbol: string; leverage: number };
  createAccount(accountId: string, balances?: SimAccountBalances): void;
  accountIds(): string[];
  orderBook(marketType: SimMarketType, symbol: string, depth?: number): SimOrderBook;
  lastPrice(marketType: SimMarketType, symbol: string): string;
  ticker24h(marketType: SimMarketType, symbol: string): SimTicker;
  recentTrades(marketType: SimMarketType, symbol: string, limit?: number): SimTrade[];
  /**
   * Records that the live market begins now: the clock's time and each symbol's price, kept in
   * the snapshot. Only the first call counts (a restored market keeps its recorded start);
   * returns whether this one recorded it.
   */
  markLive(): boolean;
  /**
   * Where the symbol's live market began (`markLive`, or derived when restoring a snapshot that
   * predates it); before the market went live, the current time and price.
   */
  liveStart(symbol: string): { time: number; price: string };
  now(): number;
  isPaused(): boolean;
  /** Moves time by `ms` and plays the market on the way, paused or not, in one call. */
  step(ms: number): void;
  /**
   * One slice of a long step towards the absolute time `target`: at most `maxEvents` market
   * events (a tick of one symbol, or a scripted point), each touched market's book and ticker
   * reported once at the end. Returns true once the clock reached `target`. Callers yield between
   * slices (`../sim-step.ts`); the result equals `step` apart from the coalesced books and tickers.
   */
  stepSlice(target: number, maxEvents: number): boolean;
  /**
   * What a live timer calls with the elapsed wall time: a no-op while paused. At most
   * `liveCatchUpMs` of it is played; an older part (the process was suspended or blocked) is
   * skipped without replay, as after a restart.
   */
  advance(ms: number): void;
  /**
   * Jumps the clock forward to `timeMs` without playing the market in between (e.g. resuming at
   * wall time after a restart); the walk continues from the last price. Moving the injected
   * clock directly has the same effect on the next market operation.
   */
  skipTo(timeMs: number): void;
  pause(): void;
  resume(): void;
  setPrice(symbol: string, price: string | number, options?: ScriptedPrintOptions): void;
  pushPricePath(symbol: string, prices: readonly PricePathPoint[], options?: PricePathOptions): void;
  clearPricePath(symbol: string): number;
  snapshot(): SimSnapshot;
  restore(state: unknown): void;
  /**
   * Incremental persistence (see persist.ts): the core plus what changed since the last call.
   * Markets are included only when `markets` is set; otherwise they stay recorded for later.
   */
  takeChanges(options: { markets: boolean }): SimChanges;
  /** Puts changes taken for a write that failed back, so the next takeChanges covers them. */
  returnChanges(changes: SimChanges): void;
  /** The next takeChanges returns every part, `full`, so stale stored parts can be dropped. */
  markAllChanged(): void;
}

function checkMs(ms: number): void {
  if (!Number.isFinite(ms) || ms < 0)
    reject(SimErrorCode.INVALID_ARGUMENT, `step must be a non-negative number of ms, got ${ms}`);
}

/**
 * The simulated exchange: a seeded market per configured symbol plus a matching engine and
 * accounts, driven by an injected clock and reporting to an injected sink. Pure and in-memory:
 * persistence is snapshot()/restore() plus the sink's order, fill, balance and position events.
 */
export function createSimExchange(options: SimExchangeOptions): SimExchange {
  const { clock, sink = {}, ...input } = options;
  const config = SimConfigSchema.parse(input);
  let engine: Engine = buildEngine(config, clock, sink);
  let full = false;
  const symbolMarket = (marketType: SimMarketType, symbol: string) => marketFor(engine, marketType, symbol);

  return {
    config,
    instruments: (marketType) =>
      [...engine.markets.values()].filter((ms) => ms.marketType === marketType).map(instrumentView),
    placeOrder: (accountId, request) => placeOrder(engine, accountId, request),
    cancelOrder: (accountId, marketType, orderId) => cancelOrder(engine, accountId, marketType, orderId),
    cancelAll: (accountId, marketType, symbol) => {
      const account = engine.accounts.get(accountId);
      if (account === undefined) return [];
      const targets = [...account.open].filter(
        (o) => o.ms.marketType === marketType && (symbol === undefined || o.ms.spec.symbol === symbol),
      );
      for (const order of targets) closeOrder(engine, order, OrderStatus.CANCELED, 'USER_CANCEL');
      return targets.map(orderView);
    },
    getOrder: (accountId, orderId) => {
      const order = engine.orders.get(orderId);
      return order !== undefined && order.account.id === accountId ? orderView(order) : undefined;
    },
    getOrderByClientId: (accountId, clientOrderId) => {
      const order = engine.accounts.get(accountId)?.byClientId.get(clientOrderId);
      return order === undefined ? undefined : orderView(order);
    },
    openOrders: (accountId, marketType, symbol) => {
      const account = engine.accounts.get(accountId);
      if (account === undefined) return [];
      return [...account.open]
        .filter(
          (o) =>
            (marketType === undefined || o.ms.marketType === marketType) &&
            (symbol === undefined || o.ms.spec.symbol === symbol),
        )
        .map(orderView);
    },
    balances: (accountId, marketType) => {
      const account = accountFor(engine, accountId);
      if (marketType === 'spot') return [...account.spot.keys()].map((asset) => spotBalanceView(account, asset));
      return [...account.futures.wallet.keys()].map((asset) => futuresBalanceView(account, asset));
    },
    positions: (accountId) => {
      const account = engine.accounts.get(accountId);
      return account === undefined ? [] : [...account.futures.positions.values()].map((p) => positionView(p, engine));
    },
    leverage: (accountId, symbol) => {
      symbolMarket('futures', symbol);
      return engine.accounts.get(accountId)?.futures.leverage.get(symbol) ?? engine.cfg.defaultLeverage;
    },
    setLeverage: (accountId, symbol, leverage) => {
      const ms = symbolMarket('futures', symbol);
      if (!Number.isInteger(leverage) || leverage < 1 || leverage > 125) {
        reject(SimErrorCode.INVALID_LEVERAGE, `leverage must be an integer 1–125, got ${leverage}`);
      }
      const account = accountFor(engine, accountId);
      if (!changeLeverage(engine, account, ms, leverage)) {
        reject(
          SimErrorCode.INSUFFICIENT_BALANCE,
          `not enough available margin to lower ${symbol} leverage to ${leverage}`,
        );
      }
      const position = account.futures.positions.get(symbol);
      if (position !== undefined || [...account.open].some((o) => o.ms === ms)) {
        emitFuturesBalance(engine, account, ms.spec.quoteAsset);
      }
      if (position !== undefined) emitPosition(engine, position);
      return { symbol, leverage };
    },
    createAccount: (accountId, balances) => {
      createAccount(engine, accountId, balances ?? engine.cfg.balances);
    },
    accountIds: () => [...engine.accounts.keys()],
    orderBook: (marketType, symbol, depth) =>
      bookView(engine, symbolMarket(marketType, symbol), depth ?? engine.cfg.bookLevels),
    lastPrice: (marketType, symbol) => str(symbolMarket(marketType, symbol).lastPrice),
    ticker24h: (marketType, symbol) => tickerView(engine, symbolMarket(marketType, symbol)),
    recentTrades: (marketType, symbol, limit) =>
      recentTrades(engine, symbolMarket(marketType, symbol), limit ?? engine.cfg.recentTradesLimit),
    markLive: () => {
      if (engine.startedAt !== null) return false;
      engine.startedAt = clock.now();
      for (const sym of engine.symbols) sym.startPrice = sym.centre;
      return true;
    },
    liveStart: (symbol) => {
      const sym =
        engine.bySymbol.get(symbol) ??
        reject(SimErrorCode.UNKNOWN_SYMBOL, `symbol ${JSON.stringify(symbol)} is not simulated`);
      return { time: engine.startedAt ?? clock.now(), price: str(sym.startPrice ?? sym.centre) };
    },
    now: () => clock.now(),
    isPaused: () => clock.isPaused(),
    step: (ms) => {
      checkMs(ms);
      advanceTo(engine, clock.now() + ms);
    },
    stepSlice: (target, maxEvents) => {
      if (!Number.isFinite(target)) reject(SimErrorCode.INVALID_ARGUMENT, `step target must be finite, got ${target}`);
      if (!Number.isInteger(maxEvents) || maxEvents < 1)
        reject(SimErrorCode.INVALID_ARGUMENT, `maxEvents must be a positive integer, got ${maxEvents}`);
      return advanceSlice(engine, target, maxEvents);
    },
    advance: (ms) => {
      checkMs(ms);
      if (clock.isPaused()) return;
      const skipped = ms - config.liveCatchUpMs;
      if (skipped > 0) {
        clock.set(clock.now() + skipped);
        rebase(engine);
      }
      advanceTo(engine, clock.now() + Math.min(ms, config.liveCatchUpMs));
    },
    skipTo: (timeMs) => {
      if (!Number.isFinite(timeMs)) reject(SimErrorCode.INVALID_ARGUMENT, `skipTo needs a finite time, got ${timeMs}`);
      if (timeMs > clock.now()) clock.set(timeMs);
      rebase(engine);
    },
    pause: () => clock.pause(),
    resume: () => clock.resume(),
    setPrice: (symbol, price, opts) => setPrice(engine, symbol, price, opts),
    pushPricePath: (symbol, prices, opts) => pushPricePath(engine, symbol, prices, opts),
    clearPricePath: (symbol) => clearPricePath(engine, symbol),
    snapshot: () => takeSnapshot(engine),
    restore: (state) => {
      engine = restoreEngine(config, clock, sink, state);
    },
    takeChanges: ({ markets }) => {
      const changes = drainChanges(engine, { markets, full });
      full = false;
      return changes;
    },
    returnChanges: (changes) => {
      if (changes.full) full = true;
      else returnChanges(engine, changes);
    },
    markAllChanged: () => {
      full = true;
    },
  };
}
