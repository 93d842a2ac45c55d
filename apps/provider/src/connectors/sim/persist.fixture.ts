// Shared by the persistence specs: a seeded random workload that exercises every order type,
// cancels, triggers, fills, evictions, futures positions and leverage changes, so a store that
// misses a change shows up as a difference between the live snapshot and the restored one.
import { createRng } from '@barfinex/detector-kit';
import { createSimClock } from './clock';
import type { SimClock } from './clock';
import type { SimConfigInput, SimMarketType } from './config';
import { SimRejectError } from './errors';
import { createSimExchange } from './exchange';
import type { SimExchange } from './exchange';
import { T0, TEST_SYMBOL } from './spec-helpers';
import type { SimOrderRequest } from './types';

/** Seeded uniform draws (mulberry32) to pick operations. */
export const seededRandom = createRng;

export const PERSIST_CONFIG: SimConfigInput = {
  seed: 11,
  symbols: [TEST_SYMBOL, { ...TEST_SYMBOL, symbol: 'OTHERUSDT', baseAsset: 'OTHER', price: '50' }],
  spreadBps: 1,
  levelStepBps: 1,
  depthGrowth: 0,
  depthJitter: 0,
  closedOrderRetention: 7,
  recentTradesLimit: 20,
  balances: { spot: { USDT: '100000', TEST: '100', OTHER: '200' }, futures: { USDT: '100000' } },
};

export interface PersistHarness {
  ex: SimExchange;
  clock: SimClock;
}

export function persistExchange(overrides: Partial<SimConfigInput> = {}): PersistHarness {
  const clock = createSimClock({ startMs: T0, paused: true });
  const ex = createSimExchange({ ...PERSIST_CONFIG, ...overrides, clock });
  return { ex, clock };
}

const ACCOUNTS = ['a', 'b'];
const SYMBOLS = ['TESTUSDT', 'OTHERUSDT'];
const CONDITIONAL = ['STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT', 'TAKE_PROFIT_MARKET'] as const;

/** Runs `count` random operations; rejections are part of the workload. Returns how many were accepted. */
export function randomOperations(ex: SimExchange, random: () => number, count: number): number {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const ticks = (base: number, spread: number) => (base * (1 + (random() - 0.5) * spread)).toFixed(2);
  let accepted = 0;
  for (let i = 0; i < count; i++) {
    const account = pick(ACCOUNTS);
    const symbol = pick(SYMBOLS);
    const marketType: SimMarketType = random() < 0.5 ? 'spot' : 'futures';
    const last = Number(ex.lastPrice(marketType, symbol));
    const side = random() < 0.5 ? 'BUY' : 'SELL';
    const quantity = (0.1 + Math.floor(random() * 20) / 10).toFixed(3);
    const r = random();
    try {
      if (r < 0.2) {
        const tif = pick(['GTC', 'GTC', 'IOC', 'FOK'] as const);
        ex.placeOrder(account, {
          marketType,
          symbol,
          side,
          type: pick(['LIMIT', 'LIMIT', 'LIMIT_MAKER'] as const),
          quantity,
          price: ticks(last, 0.04),
          timeInForce: tif,
        });
      } else if (r < 0.3) {
        ex.placeOrder(account, { marketType, symbol, side, type: 'MARKET', quantity });
      } else if (r < 0.42) {
        const type = pick(CONDITIONAL);
        const req: SimOrderRequest = { marketType, symbol, side, type, quantity, stopPrice: ticks(last, 0.03) };
        if (type === 'STOP' || type === 'TAKE_PROFIT' || type === 'TAKE_PROFIT_LIMIT') req.price = ticks(last, 0.03);
        if (marketType === 'futures' && random() < 0.3) req.reduceOnly = true;
        ex.placeOrder(account, req);
      } else if (r < 0.5) {
        const req: SimOrderRequest = {
          marketType,
          symbol,
          side,
          type: 'TRAILING_STOP_MARKET',
          quantity,
          callbackRate: (1 + Math.floor(random() * 20)) / 10,
        };
        if (random() < 0.5) req.activationPrice = ticks(last, 0.02);
        ex.placeOrder(account, req);
      } else if (r < 0.58) {
        const open = ex.openOrders(account);
        if (open.length > 0) {
          const o = pick(open);
          ex.cancelOrder(account, o.marketType, o.id);
        }
      } else if (r < 0.61) {
        ex.cancelAll(account, marketType, random() < 0.5 ? symbol : undefined);
      } else if (r < 0.75) {
        ex.step(Math.floor(random() * 5_000));
      } else if (r < 0.83) {
        ex.setPrice(symbol, ticks(last, 0.04), random() < 0.5 ? { volume: (0.01 + random() * 0.3).toFixed(3) } : {});
      } else if (r < 0.87) {
        ex.pushPricePath(symbol, [Number(ticks(last, 0.03)), Number(ticks(last, 0.03)), Number(ticks(last, 0.03))], {
          intervalMs: 500,
        });
      } else if (r < 0.91) {
        ex.setLeverage(account, symbol, 1 + Math.floor(random() * 20));
      } else if (r < 0.93) {
        ex.ticker24h(marketType, symbol);
      } else if (r < 0.95) {
        // Hours pass without trading: the next trade or ticker read slides the 24 h window.
        ex.skipTo(ex.now() + Math.floor(random() * 6) * 3_600_000);
      } else {
        ex.placeOrder(account, {
          marketType: 'futures',
          symbol,
          side,
          type: 'MARKET',
          quantity,
          reduceOnly: random() < 0.5,
        });
      }
      accepted++;
    } catch (err) {
      if (!(err instanceof SimRejectError)) throw err;
    }
  }
  return accepted;
}
