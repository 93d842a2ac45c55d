import { OrderStatus } from '@barfinex/enums';
import { z } from 'zod';
import { newAccount } from './accounts';
import type { SimConfig } from './config';
import type { SimClock } from './clock';
import { Dec, ZERO } from './decimal';
import { buildEngine } from './engine';
import { SimErrorCode, reject } from './errors';
import { toTicks } from './orders';
import { createRng } from './prng';
import { SimSnapshotSchema } from './snapshot';
import type { SimOrderSnapshot } from './snapshot';
import { marketKey } from './state';
import type { AccountState, Engine, InstrumentSpec, MarketState, OrderState, PositionState } from './state';
import type { SimSink } from './types';
import { checkPrice } from './validate';

// '0' restores as the shared ZERO, which the order path's fast paths (addDec, remainingQty) recognise.
const dec = (value: string): Dec => (value === '0' ? ZERO : new Dec(value));
const optDec = (value: string | null): Dec | null => (value === null ? null : new Dec(value));
const LIVE: ReadonlySet<string> = new Set([OrderStatus.NEW, OrderStatus.PARTIALLY_FILLED, OrderStatus.PENDING_TRIGGER]);

function invalid(message: string): never {
  reject(SimErrorCode.INVALID_SNAPSHOT, message);
}

/** A stored price must be one an order could carry: the engine keeps prices as exact integer ticks. */
function storedPrice(spec: InstrumentSpec, value: string, where: string): Dec {
  const price = dec(value);
  try {
    checkPrice(spec, price, where);
  } catch (err) {
    invalid(err instanceof Error ? err.message : String(err));
  }
  return price;
}

function storedTicks(ms: MarketState, ticks: readonly number[], where: string): void {
  const min = ms.spec.minPrice.div(ms.spec.tickSize).toNumber();
  const max = ms.spec.maxPrice.div(ms.spec.tickSize).toNumber();
  if (ticks.some((t) => t < min || t > max))
    invalid(`${where}: a price outside [${ms.spec.minPrice.toFixed()}, ${ms.spec.maxPrice.toFixed()}]`);
}

/**
 * Rebuilds an engine from a snapshot. It builds a fresh engine and fills it, so a bad snapshot
 * is refused with nothing changed; the caller swaps engines only on success.
 */
export function restoreEngine(cfg: SimConfig, clock: SimClock, sink: SimSink, state: unknown): Engine {
  const parsed = SimSnapshotSchema.safeParse(state);
  if (!parsed.success) invalid(`snapshot does not match the schema: ${z.prettifyError(parsed.error)}`);
  const snap = parsed.data;
  const engine = buildEngine(cfg, clock, sink);
  engine.seq = { ...snap.seq };
  // Snapshots written before the live start was stored lack it: that market has been live at
  // least since the snapshot's time, so history is anchored there, at the price it stood at (the
  // next save stores both, so the anchor no longer moves).
  engine.startedAt = snap.startedAt === undefined ? snap.time : snap.startedAt;
  const configured = engine.symbols
    .map((s) => `${s.spec.symbol}:${s.markets.map((m) => m.marketType).join('+')}`)
    .join(',');
  const saved = snap.symbols.map((s) => `${s.symbol}:${s.markets.map((m) => m.marketType).join('+')}`).join(',');
  if (configured !== saved) invalid(`snapshot markets (${saved}) differ from the configured ones (${configured})`);

  snap.symbols.forEach((s, i) => {
    const sym = engine.symbols[i] as Engine['symbols'][number];
    sym.rng = createRng(s.rng);
    sym.mid = s.mid;
    sym.centre = storedPrice(sym.spec, s.centre, `${s.symbol} centre`);
    sym.bookSeq = s.bookSeq;
    sym.nextTickAt = s.nextTickAt;
    sym.path = s.path.map((p) => ({
      at: p.at,
      price: storedPrice(sym.spec, p.price, `${s.symbol} path`),
      volume: optDec(p.volume),
    }));
    sym.startPrice = engine.startedAt === null ? null : (optDec(s.startPrice ?? null) ?? sym.centre);
    s.markets.forEach((m, j) => {
      const ms = sym.markets[j] as Engine['symbols'][number]['markets'][number];
      ms.lastPrice = storedPrice(ms.spec, m.lastPrice, `${ms.key} lastPrice`);
      for (const b of m.ticker.buckets) storedTicks(ms, [b.openTicks, b.highTicks, b.lowTicks], `${ms.key} ticker`);
      ms.lastTicks = ms.lastPrice.div(ms.spec.tickSize).toNumber();
      ms.tradeSeq = m.tradeSeq;
      ms.ticker = {
        buckets: m.ticker.buckets.map((b) => ({ ...b, volume: dec(b.volume), quote: dec(b.quote) })),
        volume: dec(m.ticker.volume),
        quote: dec(m.ticker.quote),
        count: m.ticker.count,
      };
      ms.recentTrades = [...m.recentTrades];
    });
  });

  const positions: PositionState[] = [];
  for (const a of snap.accounts) {
    const account = newAccount(a.id, {});
    for (const e of a.spot) account.spot.set(e.asset, { free: dec(e.free), locked: dec(e.locked) });
    for (const e of a.futures.wallet) account.futures.wallet.set(e.asset, dec(e.amount));
    for (const e of a.futures.orderMargin) account.futures.orderMargin.set(e.asset, dec(e.amount));
    for (const e of a.futures.positionMargin) account.futures.positionMargin.set(e.asset, dec(e.amount));
    for (const e of a.futures.leverage) account.futures.leverage.set(e.symbol, e.leverage);
    for (const p of a.futures.positions) {
      const ms =
        engine.markets.get(marketKey('futures', p.symbol)) ?? invalid(`position on unknown futures symbol ${p.symbol}`);
      const position: PositionState = {
        account,
        ms,
        qty: dec(p.qty),
        cost: dec(p.cost),
        realized: dec(p.realized),
        margin: dec(p.margin),
        entryTime: p.entryTime,
        updateTime: p.updateTime,
        openSeq: p.openSeq,
      };
      account.futures.positions.set(p.symbol, position);
      positions.push(position);
    }
    engine.accounts.set(a.id, account);
  }
  positions.sort((x, y) => x.openSeq - y.openSeq);
  for (const p of positions) p.ms.positions.add(p);

  const resting: OrderState[] = [];
  for (const o of snap.orders) {
    const order = rebuildOrder(engine, o);
    engine.orders.set(order.id, order);
    order.account.byClientId.set(order.clientOrderId, order);
    if (LIVE.has(order.status)) order.account.open.add(order);
    if (order.place !== null) resting.push(order);
  }
  resting.sort((x, y) => x.restingSeq - y.restingSeq);
  for (const order of resting) {
    const ms = order.ms;
    switch (order.place) {
      case 'bids':
        order.handle = ms.bids.add(order.priceTicks, order);
        break;
      case 'asks':
        order.handle = ms.asks.add(order.priceTicks, order);
        break;
      case 'stopsUp':
        order.handle = ms.stopsUp.add(order.stopTicks, order);
        break;
      case 'stopsDown':
        order.handle = ms.stopsDown.add(order.stopTicks, order);
        break;
      case 'trailing':
        ms.trailing.add(order);
        break;
      default:
        break;
    }
  }
  engine.closed = snap.closed.map(
    (id) => engine.orders.get(id) ?? invalid(`closed order ${id} is not among the orders`),
  );
  clock.set(snap.time);
  if (snap.paused) clock.pause();
  else clock.resume();
  return engine;
}

function rebuildOrder(engine: Engine, o: SimOrderSnapshot): OrderState {
  const ms =
    engine.markets.get(marketKey(o.marketType, o.symbol)) ??
    invalid(`order ${o.id} on unknown market ${o.marketType}:${o.symbol}`);
  const account: AccountState =
    engine.accounts.get(o.accountId) ?? invalid(`order ${o.id} of unknown account ${o.accountId}`);
  const price = optDec(o.price);
  const stopPrice = optDec(o.stopPrice);
  return {
    id: o.id,
    clientOrderId: o.clientOrderId,
    account,
    ms,
    side: o.side,
    type: o.type,
    tif: o.tif,
    qty: dec(o.qty),
    price,
    priceTicks: price === null ? 0 : toTicks(price, ms),
    stopPrice,
    stopTicks: stopPrice === null ? 0 : toTicks(stopPrice, ms),
    activationPrice: optDec(o.activationPrice),
    callbackRate: optDec(o.callbackRate),
    reduceOnly: o.reduceOnly,
    status: o.status,
    executed: dec(o.executed),
    cumQuote: dec(o.cumQuote),
    commission: dec(o.commission),
    exec: o.exec,
    triggered: o.triggered,
    trailArmed: o.trailArmed,
    trailExtreme: optDec(o.trailExtreme),
    locked: dec(o.locked),
    lockAsset: o.lockAsset,
    lockRef: dec(o.lockRef),
    lockUnit: dec(o.lockUnit),
    reducibleAtPlacement: dec(o.reducibleAtPlacement),
    leverage: o.leverage,
    reason: o.reason,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
    place: o.place,
    handle: null,
    restingSeq: o.restingSeq,
  };
}
