import { z } from 'zod';
import { OrderSide, OrderStatus, OrderType, TimeInForce } from '@barfinex/enums';
import { SimMarketTypeSchema } from './config';
import { Dec, str } from './decimal';
import { SimTradeSchema } from './types';
import { DecimalOut } from './schema-helpers';
import type { Engine, MarketState, OrderState } from './state';

const Int = z.number().int();
const NullableDecimal = DecimalOut.nullable();
const AssetAmount = z.object({ asset: z.string(), amount: DecimalOut });

const OrderSnapshot = z.object({
  id: z.string(),
  clientOrderId: z.string(),
  accountId: z.string(),
  marketType: SimMarketTypeSchema,
  symbol: z.string(),
  side: z.enum([OrderSide.BUY, OrderSide.SELL]),
  type: z.enum(Object.values(OrderType) as [OrderType, ...OrderType[]]),
  tif: z.enum([TimeInForce.GTC, TimeInForce.IOC, TimeInForce.FOK]),
  qty: DecimalOut,
  price: NullableDecimal,
  stopPrice: NullableDecimal,
  activationPrice: NullableDecimal,
  callbackRate: NullableDecimal,
  reduceOnly: z.boolean(),
  status: z.enum(Object.values(OrderStatus) as [OrderStatus, ...OrderStatus[]]),
  executed: DecimalOut,
  cumQuote: DecimalOut,
  commission: DecimalOut,
  exec: z.enum(['MARKET', 'LIMIT']),
  triggered: z.boolean(),
  trailArmed: z.boolean(),
  trailExtreme: NullableDecimal,
  locked: DecimalOut,
  lockAsset: z.string(),
  lockRef: DecimalOut,
  lockUnit: DecimalOut,
  reducibleAtPlacement: DecimalOut,
  leverage: Int.nullable(),
  reason: z.string().nullable(),
  createdAt: Int,
  updatedAt: Int,
  place: z.enum(['bids', 'asks', 'stopsUp', 'stopsDown', 'trailing']).nullable(),
  restingSeq: Int,
});
export type SimOrderSnapshot = z.output<typeof OrderSnapshot>;

const Bucket = z.object({
  start: Int,
  openTicks: Int,
  highTicks: Int,
  lowTicks: Int,
  volume: DecimalOut,
  quote: DecimalOut,
  count: Int,
  firstId: Int,
  lastId: Int,
});

/** A market's display state (ticker window, recent trades): a stored part of its own, see persist.ts. */
export const SimMarketPartSchema = z.object({
  ticker: z.object({ buckets: z.array(Bucket), volume: DecimalOut, quote: DecimalOut, count: Int }),
  recentTrades: z.array(SimTradeSchema),
});

/**
 * Everything needed to continue exactly where the engine stopped: clock, generator states,
 * prices, queued scripts, ticker windows, accounts, positions, live orders (with their queue
 * positions) and the retained closed orders. Plain JSON; numbers are ints or exact doubles.
 *
 * `startedAt` and each symbol's `startPrice` (where the live market began, null before it did)
 * came later within version 1: they are optional, so older snapshots still load (restore derives
 * them, see restore.ts), and older code reading a newer snapshot drops them as unknown keys.
 */
export const SimSnapshotSchema = z.object({
  version: z.literal(1),
  time: z.number(),
  paused: z.boolean(),
  startedAt: z.number().nullable().optional(),
  seq: z.object({ order: Int, fill: Int, client: Int, resting: Int, position: Int }),
  symbols: z.array(
    z.object({
      symbol: z.string(),
      rng: z.tuple([Int, Int, Int, Int]),
      mid: z.number(),
      centre: DecimalOut,
      bookSeq: Int,
      nextTickAt: z.number(),
      path: z.array(z.object({ at: z.number(), price: DecimalOut, volume: NullableDecimal })),
      startPrice: NullableDecimal.optional(),
      markets: z.array(
        z.object({
          marketType: SimMarketTypeSchema,
          lastPrice: DecimalOut,
          tradeSeq: Int,
          ...SimMarketPartSchema.shape,
        }),
      ),
    }),
  ),
  accounts: z.array(
    z.object({
      id: z.string(),
      spot: z.array(z.object({ asset: z.string(), free: DecimalOut, locked: DecimalOut })),
      futures: z.object({
        wallet: z.array(AssetAmount),
        orderMargin: z.array(AssetAmount),
        positionMargin: z.array(AssetAmount),
        leverage: z.array(z.object({ symbol: z.string(), leverage: Int })),
        positions: z.array(
          z.object({
            symbol: z.string(),
            qty: DecimalOut,
            cost: DecimalOut,
            realized: DecimalOut,
            margin: DecimalOut,
            entryTime: z.number(),
            updateTime: z.number(),
            openSeq: Int,
          }),
        ),
      }),
    }),
  ),
  /** Live and retained closed orders, in registration order. */
  orders: z.array(OrderSnapshot),
  /** Ids of the retained closed orders, oldest first (eviction order). */
  closed: z.array(z.string()),
});
export type SimSnapshot = z.output<typeof SimSnapshotSchema>;

const amounts = (map: Map<string, Dec>) => [...map].map(([asset, amount]) => ({ asset, amount: str(amount) }));
const opt = (value: Dec | null) => (value === null ? null : str(value));

export function orderSnapshot(o: OrderState): SimOrderSnapshot {
  return {
    id: o.id,
    clientOrderId: o.clientOrderId,
    accountId: o.account.id,
    marketType: o.ms.marketType,
    symbol: o.ms.spec.symbol,
    side: o.side,
    type: o.type,
    tif: o.tif,
    qty: str(o.qty),
    price: opt(o.price),
    stopPrice: opt(o.stopPrice),
    activationPrice: opt(o.activationPrice),
    callbackRate: opt(o.callbackRate),
    reduceOnly: o.reduceOnly,
    status: o.status,
    executed: str(o.executed),
    cumQuote: str(o.cumQuote),
    commission: str(o.commission),
    exec: o.exec,
    triggered: o.triggered,
    trailArmed: o.trailArmed,
    trailExtreme: opt(o.trailExtreme),
    locked: str(o.locked),
    lockAsset: o.lockAsset,
    lockRef: str(o.lockRef),
    lockUnit: str(o.lockUnit),
    reducibleAtPlacement: str(o.reducibleAtPlacement),
    leverage: o.leverage,
    reason: o.reason,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    place: o.place,
    restingSeq: o.restingSeq,
  };
}

type SymbolSnapshot = SimSnapshot['symbols'][number];
type MarketSnapshot = SymbolSnapshot['markets'][number];
/** What orders, balances and positions depend on: stored with every save (see persist.ts). */
export type SimSymbolCore = Omit<SymbolSnapshot, 'markets'>;
export type SimMarketCore = Omit<MarketSnapshot, 'ticker' | 'recentTrades'>;
/** A market's display state: its 24 h ticker window and recent trades. */
export type SimMarketActivity = Pick<MarketSnapshot, 'ticker' | 'recentTrades'>;

export function symbolCore(sym: Engine['symbols'][number]): SimSymbolCore {
  return {
    symbol: sym.spec.symbol,
    rng: sym.rng.state(),
    mid: sym.mid,
    centre: str(sym.centre),
    bookSeq: sym.bookSeq,
    nextTickAt: sym.nextTickAt,
    path: sym.path.map((p) => ({ at: p.at, price: str(p.price), volume: opt(p.volume) })),
    startPrice: opt(sym.startPrice),
  };
}

export function marketCore(ms: MarketState): SimMarketCore {
  return { marketType: ms.marketType, lastPrice: str(ms.lastPrice), tradeSeq: ms.tradeSeq };
}

export function marketActivity(engine: Engine, ms: MarketState): SimMarketActivity {
  return {
    ticker: {
      buckets: ms.ticker.buckets.map((b) => ({ ...b, volume: str(b.volume), quote: str(b.quote) })),
      volume: str(ms.ticker.volume),
      quote: str(ms.ticker.quote),
      count: ms.ticker.count,
    },
    recentTrades: ms.recentTrades.slice(-engine.cfg.recentTradesLimit),
  };
}

export function accountSnapshots(engine: Engine): SimSnapshot['accounts'] {
  return [...engine.accounts.values()].map((a) => ({
    id: a.id,
    spot: [...a.spot].map(([asset, e]) => ({ asset, free: str(e.free), locked: str(e.locked) })),
    futures: {
      wallet: amounts(a.futures.wallet),
      orderMargin: amounts(a.futures.orderMargin),
      positionMargin: amounts(a.futures.positionMargin),
      leverage: [...a.futures.leverage].map(([symbol, leverage]) => ({ symbol, leverage })),
      positions: [...a.futures.positions.values()].map((p) => ({
        symbol: p.ms.spec.symbol,
        qty: str(p.qty),
        cost: str(p.cost),
        realized: str(p.realized),
        margin: str(p.margin),
        entryTime: p.entryTime,
        updateTime: p.updateTime,
        openSeq: p.openSeq,
      })),
    },
  }));
}

export function takeSnapshot(engine: Engine): SimSnapshot {
  return {
    version: 1,
    time: engine.clock.now(),
    paused: engine.clock.isPaused(),
    startedAt: engine.startedAt,
    seq: { ...engine.seq },
    symbols: engine.symbols.map((sym) => ({
      ...symbolCore(sym),
      markets: sym.markets.map((ms) => ({ ...marketCore(ms), ...marketActivity(engine, ms) })),
    })),
    accounts: accountSnapshots(engine),
    orders: [...engine.orders.values()].map(orderSnapshot),
    closed: engine.closed.slice(engine.closedHead).map((o) => o.id),
  };
}
