import type {
  ConnectorType,
  ExchangeConnectorStatus,
  MarketType,
  OrderSide,
  OrderStatus,
  OrderType,
  TimeInForce,
} from '@barfinex/enums';
import type {
  Asset,
  Candle,
  Instrument,
  OrderBook,
  Position,
  Reconciliation,
  SymbolPrice,
  Trade,
} from '@barfinex/contracts';
import type { TimeFrame } from '@barfinex/enums';

/**
 * What the provider needs from an exchange. The provider owns order identity, persistence and
 * events; a connector only talks to its venue and reports what happened there.
 */
export interface VenueOrderRequest {
  clientOrderId: string;
  symbol: string;
  side: OrderSide;
  type: OrderType;
  quantity: string;
  price?: string;
  stopPrice?: string;
  callbackRate?: string;
  timeInForce?: TimeInForce;
  reduceOnly?: boolean;
}

/** The venue's view of one order after a placement, cancel or market event. */
export interface VenueOrderState {
  clientOrderId: string;
  externalId: string;
  symbol: string;
  status: OrderStatus;
  quantityExecuted: string;
  averagePrice?: string;
  price?: string;
  stopPrice?: string;
  rejectReason?: string;
  /** Commission charged so far, where the venue reports it with the order (lets reconciliation complete missing fills). */
  fee?: string;
  feeAsset?: string;
  updatedAt: number;
}

/** An order resting on the venue, with enough terms to adopt it when the database lacks it. */
export interface VenueOpenOrder extends VenueOrderState {
  side: OrderSide;
  type: OrderType;
  quantity: string;
  timeInForce?: TimeInForce;
  createdAt: number;
}

export interface VenueFill {
  clientOrderId: string;
  externalId: string;
  tradeId: string;
  symbol: string;
  side: OrderSide;
  price: string;
  quantity: string;
  fee: string;
  feeAsset: string;
  isMaker: boolean;
  realizedPnl?: string;
  time: number;
}

export interface VenuePlacement {
  order: VenueOrderState;
  fills: VenueFill[];
}

/** A venue-side refusal (filters, balance, unknown symbol); maps to a 4xx, never a 500. */
export class VenueRejectError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** true when the request itself was invalid (tick size, lot size...): nothing is stored. */
    readonly invalidRequest: boolean,
  ) {
    super(message);
    this.name = 'VenueRejectError';
  }
}

export interface ConnectorEvents {
  onTrade(market: MarketType, trade: Trade): void;
  onOrderBook(market: MarketType, book: OrderBook): void;
  onTicker(market: MarketType, ticker: SymbolPrice): void;
  onOrderUpdate(market: MarketType, order: VenueOrderState): void;
  onFill(market: MarketType, fill: VenueFill): void;
  onAccountChange(
    market: MarketType,
    change: { eventType: string; time: number; details: Record<string, unknown> },
  ): void;
  /**
   * Aligns the database with the venue (open orders, fills, positions). Venue connectors call it
   * on start and after every user-stream reconnect, and accept orders only once it succeeded.
   */
  reconcile?(market: MarketType): Promise<Reconciliation>;
}

export interface AccountSnapshot {
  assets: Asset[];
  positions: Position[];
}

/** A market of a connector that is up but cannot trade, and why. */
export interface DegradedMarket {
  market: MarketType;
  reason: string;
}

export interface ExchangeConnector {
  readonly type: ConnectorType;
  readonly markets: readonly MarketType[];
  /** `DEGRADED` while `degraded()` lists a market. */
  status(): ExchangeConnectorStatus;
  /** Venue connectors: markets whose user-data stream or trading gate is not open, with the reason. */
  degraded?(): DegradedMarket[];
  start(events: ConnectorEvents): Promise<void>;
  stop(): Promise<void>;
  instruments(market: MarketType): Instrument[];
  instrument(market: MarketType, symbol: string): Instrument | undefined;
  placeOrder(market: MarketType, request: VenueOrderRequest): Promise<VenuePlacement>;
  cancelOrder(market: MarketType, clientOrderId: string): Promise<VenueOrderState>;
  account(market: MarketType): Promise<AccountSnapshot>;
  setLeverage(market: MarketType, symbol: string, leverage: number): Promise<number>;
  orderBook(market: MarketType, symbol: string, depth: number): OrderBook | undefined;
  lastPrice(market: MarketType, symbol: string): string | undefined;
  subscriptions(market: MarketType): { symbols: string[] };
  setSubscriptions(market: MarketType, symbols: string[]): Promise<void>;
  /** Venue-backed connectors only: what reconciliation and history backfill need. */
  openOrders?(market: MarketType): Promise<VenueOpenOrder[]>;
  /** The venue's state of one order, or undefined when the venue never received it. */
  queryOrder?(market: MarketType, clientOrderId: string, symbol: string): Promise<VenueOrderState | undefined>;
  orderFills?(market: MarketType, symbol: string, externalId: string): Promise<VenueFill[]>;
  /** Closed bars of [fromMs, toMs], oldest first, paged through the venue's limit. */
  candles?(market: MarketType, symbol: string, interval: TimeFrame, fromMs: number, toMs: number): Promise<Candle[]>;
}
