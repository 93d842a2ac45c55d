import type { OrderSide, OrderStatus, OrderType, TimeInForce } from '@barfinex/enums';
import type { SimClock } from './clock';
import type { SimConfig, SimMarketType } from './config';
import type { Dec } from './decimal';
import type { LevelHandle, PriceLevels } from './price-levels';
import type { Rng } from './prng';
import type { SimFill, SimSink, SimTrade } from './types';

/** A configured symbol with its filters as Decimals (resolved once at start). */
export interface InstrumentSpec {
  symbol: string;
  baseAsset: string;
  quoteAsset: string;
  tickSize: Dec;
  stepSize: Dec;
  minQty: Dec;
  maxQty: Dec;
  minNotional: Dec;
  minPrice: Dec;
  maxPrice: Dec;
  bookDepth: Dec;
  tradeSize: Dec;
  drift: number;
  volatility: number;
  initialPrice: Dec;
  markets: SimMarketType[];
  /** Stable per-symbol hash mixed into the stateless book draws. */
  seedHash: number;
  /** Decimal places of tick and step when they are powers of ten (fast filter checks), else null. */
  tickPlaces: number | null;
  stepPlaces: number | null;
  tickNumber: number;
}

export interface PathPoint {
  at: number;
  price: Dec;
  /** Liquidity of the scripted print; null sweeps every order it crosses. */
  volume: Dec | null;
}

/** The price process of one symbol, shared by its spot and futures markets. */
export interface SymbolState {
  spec: InstrumentSpec;
  rng: Rng;
  /** Unrounded GBM state; the tradable price is `centre`, rounded to the tick. */
  mid: number;
  centre: Dec;
  /** Bumped on every price event; the synthetic book is a pure function of (centre, bookSeq). */
  bookSeq: number;
  nextTickAt: number;
  path: PathPoint[];
  markets: MarketState[];
  /** The price the live market began from (see `Engine.startedAt`); null until then. */
  startPrice: Dec | null;
}

export interface BookRow {
  ticks: number;
  price: Dec;
  size: Dec;
}

export interface TickerBucket {
  start: number;
  openTicks: number;
  highTicks: number;
  lowTicks: number;
  volume: Dec;
  quote: Dec;
  count: number;
  firstId: number;
  lastId: number;
}

export interface TickerState {
  buckets: TickerBucket[];
  volume: Dec;
  quote: Dec;
  count: number;
}

export type RestingPlace = 'bids' | 'asks' | 'stopsUp' | 'stopsDown' | 'trailing';

/** One (market, symbol): trades, book, ticker and the resting user orders. */
export interface MarketState {
  key: string;
  marketType: SimMarketType;
  /** 0 for spot, 1 for futures: mixed into the book draws so the two books differ. */
  marketIndex: number;
  sym: SymbolState;
  spec: InstrumentSpec;
  makerRate: Dec;
  takerRate: Dec;
  /** 1 + taker rate: what a unit of quote costs a taker, fee included. */
  takerFactor: Dec;
  /** 1 + the higher fee rate: what a spot BUY reserves per unit of quote, so a maker or a taker fill is covered. */
  lockFactor: Dec;
  lastPrice: Dec;
  lastTicks: number;
  tradeSeq: number;
  bids: PriceLevels<OrderState>;
  asks: PriceLevels<OrderState>;
  /** Untriggered stops that fire when the price rises to their key (BUY stops, SELL take-profits). */
  stopsUp: PriceLevels<OrderState>;
  /** ... and those that fire when it falls to it (SELL stops, BUY take-profits). */
  stopsDown: PriceLevels<OrderState>;
  trailing: Set<OrderState>;
  /** Open futures positions on this symbol, in opening order (liquidation checks). */
  positions: Set<PositionState>;
  ticker: TickerState;
  recentTrades: SimTrade[];
  book: { seq: number; bids: BookRow[]; asks: BookRow[] } | null;
}

export type ExecKind = 'MARKET' | 'LIMIT';

export interface OrderState {
  id: string;
  clientOrderId: string;
  account: AccountState;
  ms: MarketState;
  side: OrderSide;
  type: OrderType;
  tif: TimeInForce;
  qty: Dec;
  price: Dec | null;
  priceTicks: number;
  stopPrice: Dec | null;
  stopTicks: number;
  activationPrice: Dec | null;
  callbackRate: Dec | null;
  reduceOnly: boolean;
  status: OrderStatus;
  executed: Dec;
  cumQuote: Dec;
  commission: Dec;
  /** How the order works once live (after its trigger, for conditional types). */
  exec: ExecKind;
  triggered: boolean;
  trailArmed: boolean;
  trailExtreme: Dec | null;
  /** Funds reserved for the unfilled part: quote or base (spot), margin (futures). */
  locked: Dec;
  lockAsset: string;
  lockRef: Dec;
  /** Spot BUY: quote reserved per unit of quantity (lockRef × lockFactor). */
  lockUnit: Dec;
  /** Futures: opposite position size when placed; that much of the order needs no margin. */
  reducibleAtPlacement: Dec;
  leverage: number | null;
  reason: string | null;
  createdAt: number;
  updatedAt: number;
  place: RestingPlace | null;
  handle: LevelHandle<OrderState> | null;
  /** Global arrival order into an index; restores FIFO queues exactly. */
  restingSeq: number;
}

export interface SpotAsset {
  free: Dec;
  locked: Dec;
}

export interface PositionState {
  account: AccountState;
  ms: MarketState;
  /** Signed: positive long, negative short. */
  qty: Dec;
  /** Exact cost basis of the open size; entry price = cost / |qty|. */
  cost: Dec;
  realized: Dec;
  /** Initial margin currently counted in the account's position margin. */
  margin: Dec;
  entryTime: number;
  updateTime: number;
  openSeq: number;
}

export interface FuturesAccount {
  wallet: Map<string, Dec>;
  orderMargin: Map<string, Dec>;
  positionMargin: Map<string, Dec>;
  positions: Map<string, PositionState>;
  leverage: Map<string, number>;
}

export interface AccountState {
  id: string;
  spot: Map<string, SpotAsset>;
  futures: FuturesAccount;
  /** Live orders (resting, armed or mid-execution) in placement order. */
  open: Set<OrderState>;
  /** Live and retained closed orders by clientOrderId (idempotent placement, lookups). */
  byClientId: Map<string, OrderState>;
}

export interface Counters {
  order: number;
  fill: number;
  client: number;
  resting: number;
  position: number;
}

export interface Engine {
  cfg: SimConfig;
  clock: SimClock;
  sink: SimSink;
  symbols: SymbolState[];
  bySymbol: Map<string, SymbolState>;
  markets: Map<string, MarketState>;
  accounts: Map<string, AccountState>;
  orders: Map<string, OrderState>;
  /** Closed orders still answerable by getOrder, oldest first from `closedHead`. */
  closed: OrderState[];
  closedHead: number;
  seq: Counters;
  /**
   * When the live market began (`markLive`): candle history is generated back from here and each
   * symbol's `startPrice`, so it must survive restarts. Null until the market first goes live.
   */
  startedAt: number | null;
  maintenanceMarginRate: Dec;
  /** Fills produced inside the current placeOrder call, returned to its caller. */
  collect: SimFill[] | null;
  /** What changed since the state was last stored, for incremental persistence. */
  changes: EngineChanges;
  /**
   * While a long step runs in slices: markets whose book and ticker moved in the current slice.
   * Books and tickers are snapshots (only the newest is worth anything), so a slice reports each
   * once at its end instead of once per tick; trades and fills are still reported one by one.
   */
  deferredMarketData: Set<MarketState> | null;
}

/**
 * Touched since the last store: every order whose state may differ (added by emitOrder and by the
 * few silent mutations: resting, arming, trailing updates), ids evicted from the closed-order
 * retention, and markets whose trades or ticker moved. The persistence layer drains it.
 */
export interface EngineChanges {
  /**
   * Off until a persistence layer first drains (that drain is a full one, writing every part):
   * an engine nobody stores (a backtest, a benchmark) keeps no bookkeeping at all.
   */
  tracking: boolean;
  orders: Set<OrderState>;
  evicted: Set<string>;
  markets: Set<MarketState>;
  /**
   * Set when more evictions piled up than MAX_TRACKED_EVICTIONS without a drain (the store has
   * been failing for long): `evicted` is then cleared to bound memory, and the next drain must be
   * a full one that replaces every part.
   */
  overflow: boolean;
}

/** Records that an order's stored form may differ now (no-op while nobody persists the engine). */
export function touchOrder(engine: Engine, order: OrderState): void {
  if (engine.changes.tracking) engine.changes.orders.add(order);
}

/** Records that a market's trades or ticker moved. */
export function touchMarket(engine: Engine, ms: MarketState): void {
  if (engine.changes.tracking) engine.changes.markets.add(ms);
}

export const MAX_TRACKED_EVICTIONS = 50_000;

export function emptyChanges(): EngineChanges {
  return { tracking: false, orders: new Set(), evicted: new Set(), markets: new Set(), overflow: false };
}

export function marketKey(marketType: SimMarketType, symbol: string): string {
  return `${marketType}:${symbol}`;
}
