import { D } from './decimal';
import type { BacktestTrade, Candle } from '@barfinex/contracts';
import { SimRejectError, createSimClock, createSimExchange } from '../../connectors/sim';
import type { SimExchange, SimFill } from '../../connectors/sim';

/** The backtest's private instrument: names never reach a client, only prices and quantities do. */
const SYMBOL = 'BASEQUOTE';
const QUOTE = 'QUOTE';
const ACCOUNT = 'backtest';

/**
 * Tick and step from the first price: about 7 significant digits of price, and as many quantity
 * decimals as keep price × quantity within 12 places (so a fee at a 6-decimal rate fits 18).
 */
export function instrumentPrecision(firstPrice: string): { tickPlaces: number; stepPlaces: number; maxPrice: string } {
  const magnitude = Math.floor(Math.log10(Number(firstPrice)));
  const tickPlaces = Math.min(8, Math.max(0, 6 - magnitude));
  const stepPlaces = Math.min(8, Math.max(0, 12 - tickPlaces));
  return { tickPlaces, stepPlaces, maxPrice: new D(10).pow(Math.max(1, magnitude + 4)).toFixed() };
}

export type Side = 'LONG' | 'SHORT';
type ExitReason = BacktestTrade['exitReason'];

export interface VenueOptions {
  firstPrice: string;
  startTime: number;
  initialBalance: string;
  fees: { maker: string; taker: string };
}

/** What the simulated venue reads of a bar: the contracts' Candle's open time and prices. */
export type VenueBar = Pick<Candle, 'time' | 'open' | 'high' | 'low' | 'close'>;

interface OpenTrade {
  side: Side;
  quantity: D;
  remaining: D;
  entryTime: number;
  entryPrice: D;
  fees: D;
  realized: D;
  exitNotional: D;
  signalId: string | undefined;
}

/**
 * A fresh simulated exchange per backtest: one futures instrument at leverage 1 (so LONG and SHORT
 * both trade and % sizing cannot over-borrow), its own account and balance, a one-level book of
 * unlimited depth one tick wide (a market order fills at the last price plus at most one tick).
 * Protective orders are the sim's own reduce-only STOP_MARKET / TAKE_PROFIT_MARKET, triggered by
 * the intrabar path this class prints; every money figure comes from the sim's fills.
 */
export function createBacktestVenue(options: VenueOptions) {
  const clock = createSimClock({ startMs: options.startTime, paused: true });
  const { tickPlaces, stepPlaces, maxPrice } = instrumentPrecision(options.firstPrice);
  const tick = new D(1).div(new D(10).pow(tickPlaces)).toFixed();
  const step = new D(1).div(new D(10).pow(stepPlaces)).toFixed();
  const onTick = (price: string | D) => new D(price).toDecimalPlaces(tickPlaces, D.ROUND_HALF_UP).toFixed();
  const trades: BacktestTrade[] = [];
  let open: OpenTrade | undefined;
  let seq = 0;
  let orderSeq = 0;
  let cash = new D(options.initialBalance);
  // Requests are parsed with default fees; a caller that skips the parse gets the sim's own futures
  // default, and the cap below then assumes the highest default rate (0.1 %), erring small.
  const takerRate = (options.fees as VenueOptions['fees'] | undefined)?.taker ?? '0.001';
  let totalFees = new D(0);
  let rejected = 0;
  let protective: string[] = [];
  /**
   * The highest price at which something fires on a fall and the lowest on a rise (stop, target,
   * liquidation). A bar that stays strictly between them cannot fill anything, so it is not
   * printed at all: that skips the sim for almost every bar of a held position.
   */
  let fireBelow = Number.NEGATIVE_INFINITY;
  let fireAbove = Number.POSITIVE_INFINITY;
  /** Every trigger price, so the intrabar path passes through each one it crosses. */
  let levels: { value: number; text: string }[] = [];
  const addTrigger = (price: string, firesOnFall: boolean) => {
    const p = Number(price);
    levels.push({ value: p, text: price });
    if (firesOnFall) fireBelow = Math.max(fireBelow, p);
    else fireAbove = Math.min(fireAbove, p);
  };
  const resetTriggers = () => {
    fireBelow = Number.NEGATIVE_INFINITY;
    fireAbove = Number.POSITIVE_INFINITY;
    levels = [];
    const liquidation =
      open === undefined
        ? undefined
        : sim.positions(ACCOUNT).find((p) => p.symbol === SYMBOL && p.quantity !== '0')?.liquidationPrice;
    if (liquidation !== undefined && open !== undefined && Number(liquidation) > 0)
      addTrigger(liquidation, open.side === 'LONG');
  };
  /** Why the position is being closed by an order this class placed (stop/target come from the client order id). */
  let closing: ExitReason = 'invalidated';

  const roleOf = (fill: SimFill): ExitReason | 'entry' => {
    if (fill.isLiquidation) return 'liquidation';
    const role = fill.clientOrderId.split('-')[0];
    if (role === 'e') return 'entry';
    if (role === 'sl') return 'stop';
    if (role === 'tp') return 'target';
    return closing;
  };

  const onFill = (fill: SimFill) => {
    const fee = new D(fill.commission);
    const realized = new D(fill.realizedPnl ?? '0');
    cash = cash.plus(realized).minus(fee);
    totalFees = totalFees.plus(fee);
    const role = roleOf(fill);
    const qty = new D(fill.quantity);
    if (role === 'entry') {
      if (open === undefined) {
        open = {
          side: fill.side === 'BUY' ? 'LONG' : 'SHORT',
          quantity: qty,
          remaining: qty,
          entryTime: fill.time,
          entryPrice: new D(fill.price),
          fees: fee,
          realized: new D(0),
          exitNotional: new D(0),
          signalId: undefined,
        };
      } else {
        const total = open.quantity.plus(qty);
        open.entryPrice = open.entryPrice
          .times(open.quantity)
          .plus(new D(fill.price).times(qty))
          .div(total)
          .toDecimalPlaces(18);
        open.quantity = total;
        open.remaining = open.remaining.plus(qty);
        open.fees = open.fees.plus(fee);
      }
      return;
    }
    if (open === undefined) return;
    open.remaining = open.remaining.minus(qty);
    open.fees = open.fees.plus(fee);
    open.realized = open.realized.plus(realized);
    open.exitNotional = open.exitNotional.plus(new D(fill.price).times(qty));
    if (open.remaining.lte(0)) {
      trades.push({
        seq: seq++,
        side: open.side,
        quantity: open.quantity.toFixed(),
        entryTime: open.entryTime,
        entryPrice: open.entryPrice.toFixed(),
        exitTime: fill.time,
        exitPrice: open.exitNotional.div(open.quantity).toDecimalPlaces(18).toFixed(),
        pnl: open.realized.minus(open.fees).toFixed(),
        fees: open.fees.toFixed(),
        exitReason: role,
        ...(open.signalId !== undefined ? { signalId: open.signalId } : {}),
      });
      open = undefined;
    }
  };

  const sim: SimExchange = createSimExchange({
    seed: 1,
    clock,
    sink: { onFill },
    symbols: [
      {
        symbol: SYMBOL,
        baseAsset: 'BASE',
        quoteAsset: QUOTE,
        price: onTick(options.firstPrice),
        tickSize: tick,
        stepSize: step,
        minQty: step,
        maxQty: '1000000000000',
        minNotional: '0',
        minPrice: tick,
        maxPrice,
        volatility: 0,
        bookDepth: '1000000000000',
        tradeSize: '1',
        markets: ['futures'],
      },
    ],
    fees: { spot: options.fees, futures: options.fees },
    balances: { spot: {}, futures: { [QUOTE]: options.initialBalance } },
    bookLevels: 1,
    spreadBps: 0,
    depthJitter: 0,
    defaultLeverage: 1,
    immediateTrigger: 'trigger',
  });
  sim.setLeverage(ACCOUNT, SYMBOL, 1);

  const print = (time: number, price: string) => {
    clock.set(time);
    sim.setPrice(SYMBOL, onTick(price));
  };

  const place = (
    prefix: string,
    request: {
      side: 'BUY' | 'SELL';
      type: 'MARKET' | 'STOP_MARKET' | 'TAKE_PROFIT_MARKET';
      quantity: string;
      stopPrice?: string;
      reduceOnly?: boolean;
    },
  ): boolean => {
    const clientOrderId = `${prefix}-${++orderSeq}`;
    try {
      const { order } = sim.placeOrder(ACCOUNT, { marketType: 'futures', symbol: SYMBOL, clientOrderId, ...request });
      if (
        order.status === 'REJECTED' ||
        (order.status === 'EXPIRED' && request.type === 'MARKET' && !request.reduceOnly)
      ) {
        rejected += 1;
        return false;
      }
      if (request.type !== 'MARKET') {
        protective.push(order.id);
        // A SELL stop and a BUY take-profit fire on a fall; the mirror pair on a rise.
        addTrigger(request.stopPrice as string, (request.type === 'STOP_MARKET') === (request.side === 'SELL'));
      }
      return true;
    } catch (err) {
      if (!(err instanceof SimRejectError)) throw err;
      rejected += 1;
      return false;
    }
  };

  const cancelProtective = () => {
    if (protective.length > 0) sim.cancelAll(ACCOUNT, 'futures', SYMBOL);
    protective = [];
    resetTriggers();
  };

  return {
    /** Plays one bar through the sim when something can fill: O, then the adverse extreme first, then the other, then C, passing through every trigger level in between. */
    bar(bar: VenueBar, intervalMs: number): void {
      if (open === undefined && protective.length === 0) return;
      if (Number(onTick(bar.low)) > fireBelow && Number(onTick(bar.high)) < fireAbove) return;
      const q = Math.max(1, Math.floor(intervalMs / 4));
      // Without intrabar data the adverse extreme comes first: a stop and a target in one bar is a stop.
      const [first, second] = open?.side === 'SHORT' ? [bar.high, bar.low] : [bar.low, bar.high];
      const path = [bar.open, first, second, bar.close];
      print(bar.time, bar.open);
      for (let k = 1; k < path.length; k += 1) {
        // Prices move continuously between the four marks: a stop or target strictly between two
        // of them trades at its own level on the way, not at the extreme the bar reached after it
        // (that gave targets the bar's high and stops its low). A level the open already gapped
        // through fired at the open print above.
        const from = Number(onTick(path[k - 1] as string));
        const to = Number(onTick(path[k] as string));
        const crossed = levels
          .filter((l) => (l.value - from) * (l.value - to) < 0)
          .sort((a, b) => (to > from ? a.value - b.value : b.value - a.value));
        crossed.forEach((l, j) => print(bar.time + (k - 1) * q + j + 1, l.text));
        print(bar.time + k * q, path[k] as string);
      }
      if (open === undefined) cancelProtective();
    },

    /** Opens (or adds to) a position at the close, with stop and target as reduce-only orders. */
    open(
      at: { time: number; price: string },
      side: Side,
      quantity: D,
      levels: { stop?: string; target?: string; signalId?: string },
    ): boolean {
      const qty = quantity.toDecimalPlaces(stepPlaces, D.ROUND_DOWN);
      if (qty.lte(0)) {
        rejected += 1;
        return false;
      }
      print(at.time, at.price);
      if (!place('e', { side: side === 'LONG' ? 'BUY' : 'SELL', type: 'MARKET', quantity: qty.toFixed() }))
        return false;
      if (open !== undefined) open.signalId = levels.signalId;
      this.protect(levels);
      return true;
    },

    /** Replaces the protective orders with the signal's current stop and target. */
    protect(levels: { stop?: string; target?: string }): void {
      cancelProtective();
      if (open === undefined) return;
      const side = open.side === 'LONG' ? 'SELL' : 'BUY';
      const quantity = open.remaining.toFixed();
      if (levels.stop !== undefined)
        place('sl', { side, type: 'STOP_MARKET', quantity, stopPrice: onTick(levels.stop), reduceOnly: true });
      if (levels.target !== undefined && open !== undefined)
        place('tp', { side, type: 'TAKE_PROFIT_MARKET', quantity, stopPrice: onTick(levels.target), reduceOnly: true });
    },

    close(at: { time: number; price: string }, reason: ExitReason): void {
      cancelProtective();
      if (open === undefined) return;
      print(at.time, at.price);
      closing = reason;
      place('x', {
        side: open.side === 'LONG' ? 'SELL' : 'BUY',
        type: 'MARKET',
        quantity: open.remaining.toFixed(),
        reduceOnly: true,
      });
    },

    position(): { side: Side; quantity: D; entryPrice: D } | undefined {
      return open === undefined
        ? undefined
        : { side: open.side, quantity: open.remaining, entryPrice: open.entryPrice };
    },
    /** Wallet in the quote asset: initial balance plus realised PnL minus fees, from the fills. */
    cash: () => cash,
    /** The most a market order at `price` can buy with all the cash: it fills up to one tick away and pays the taker fee. */
    affordable: (price: string): D => cash.div(new D(price).plus(tick).times(new D(1).plus(takerRate))),
    fees: () => totalFees,
    rejected: () => rejected,
    trades: () => trades,
    /** The sim's own wallet balance, which `cash()` must equal. */
    walletBalance: (): string => sim.balances(ACCOUNT, 'futures').find((b) => b.asset === QUOTE)?.total ?? '0',
  };
}

export type BacktestVenue = ReturnType<typeof createBacktestVenue>;
