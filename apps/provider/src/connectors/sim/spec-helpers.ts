import { createSimClock } from './clock';
import type { SimClock } from './clock';
import type { SimConfigInput, SimSymbolConfigInput } from './config';
import { createSimExchange } from './exchange';
import type { SimExchange } from './exchange';
import type { SimBalance, SimFill, SimOrder, SimPosition, SimSink, SimTrade } from './types';

export const T0 = 1_700_000_000_000;

/**
 * A test instrument with round numbers: price 100, tick 0.01, step 0.001; with the test book
 * settings below its best bid is the price, the best ask one tick above, every level 1 unit deep
 * and one tick apart, so walks and fills have exact expected values.
 */
export const TEST_SYMBOL: SimSymbolConfigInput = {
  symbol: 'TESTUSDT',
  baseAsset: 'TEST',
  quoteAsset: 'USDT',
  price: '100',
  tickSize: '0.01',
  stepSize: '0.001',
  minQty: '0.001',
  maxQty: '1000',
  minNotional: '5',
  minPrice: '0.01',
  maxPrice: '100000',
  volatility: 0.5,
  bookDepth: '1',
  tradeSize: '0.1',
};

export interface Recorder {
  sink: SimSink;
  orders: SimOrder[];
  fills: SimFill[];
  trades: SimTrade[];
  balances: SimBalance[];
  positions: SimPosition[];
  /** One line per callback, in call order. */
  log: string[];
}

export function recorder(): Recorder {
  const r: Recorder = { sink: {}, orders: [], fills: [], trades: [], balances: [], positions: [], log: [] };
  r.sink = {
    onTrade: (t) => {
      r.trades.push(t);
      r.log.push(`trade ${JSON.stringify(t)}`);
    },
    onBook: (b) => r.log.push(`book ${JSON.stringify(b)}`),
    onTicker: (t) => r.log.push(`ticker ${JSON.stringify(t)}`),
    onOrderUpdate: (o) => {
      r.orders.push(o);
      r.log.push(`order ${JSON.stringify(o)}`);
    },
    onFill: (f) => {
      r.fills.push(f);
      r.log.push(`fill ${JSON.stringify(f)}`);
    },
    onBalance: (b) => {
      r.balances.push(b);
      r.log.push(`balance ${JSON.stringify(b)}`);
    },
    onPosition: (p) => {
      r.positions.push(p);
      r.log.push(`position ${JSON.stringify(p)}`);
    },
    onError: (e) => {
      throw e;
    },
  };
  return r;
}

export interface Harness {
  ex: SimExchange;
  clock: SimClock;
  rec: Recorder;
}

/** The test market: paused clock, exact book, spot fees 0.1 %/0.1 %, futures 0.02 %/0.05 %. */
export function harness(overrides: Partial<SimConfigInput> = {}): Harness {
  const clock = createSimClock({ startMs: T0, paused: true });
  const rec = recorder();
  const ex = createSimExchange({
    seed: 7,
    symbols: [TEST_SYMBOL],
    spreadBps: 1,
    levelStepBps: 1,
    depthGrowth: 0,
    depthJitter: 0,
    balances: { spot: { USDT: '10000', TEST: '10' }, futures: { USDT: '10000' } },
    ...overrides,
    clock,
    sink: rec.sink,
  });
  return { ex, clock, rec };
}

export function balanceOf(
  ex: SimExchange,
  accountId: string,
  marketType: 'spot' | 'futures',
  asset: string,
): SimBalance | undefined {
  return ex.balances(accountId, marketType).find((b) => b.asset === asset);
}
