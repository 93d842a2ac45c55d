/**
 * Simulated exchange: matching-engine throughput, and does the resting-order index stay flat as it fills up?
 *
 * Measures, in one run and side by side, with 100, 10,000 and 100,000 resting orders on the sim
 * exchange (BTCUSDT spot, orders spread over ±5 % of the price, i.e. tens of thousands of
 * distinct price levels, plus armed stops on the futures market):
 *   1. place + cancel: a new resting LIMIT at a random price, then its cancel (µs per pair);
 *   2. price step: one market tick (GBM move, a few trades matched against the resting orders,
 *      the stop index checked) on a market whose resting orders are out of reach (µs per tick);
 *   3. mixed flow: a stream of order requests, 45 % new resting LIMITs, 45 % cancels of a random
 *      resting order, 10 % marketable LIMIT IOCs that fill against the book (requests/s).
 * It prints the 100,000-vs-100 ratio for 1 and 2: a balanced index gives ~1×, a linear scan ~1000×,
 * and order requests per second at 10,000 resting orders for 1 and 3 (target ≥ 300,000/s). Each
 * request goes through the exchange's public API: string decimals validated against the filters,
 * funds locked and released, the order's view returned. No sink and no store are attached, so
 * the numbers are the engine's own cost (views for listeners are only built when someone listens,
 * change bookkeeping for persistence starts with the first save; tools/bench/sim-save.ts measures
 * saving). The engine runs from an esbuild bundle, as in the production image (see bundled.ts).
 *
 * Run: npx tsx --conditions=development tools/bench/sim-book.ts
 */
import { createSimClock, createSimExchange } from '@barfinex/provider/bench';
import type { SimExchange } from '@barfinex/provider/bench';
import { runBundled } from './bundled';

const SIZES = [100, 10_000, 100_000];
const ROUNDS = 5;
const PAIRS = 10_000;
const TICKS = 1_000;

function build(resting: number): SimExchange {
  const ex = createSimExchange({
    seed: 1,
    balances: { spot: { USDT: '100000000000', BTC: '1000000' }, futures: { USDT: '100000000000' } },
    // Low volatility keeps the market inside the band between the resting orders for the whole run.
    symbols: createSimExchange({ clock: createSimClock({ startMs: 0 }) }).config.symbols.map((s) => ({
      ...s,
      volatility: 0.05,
    })),
    clock: createSimClock({ startMs: 1_700_000_000_000, paused: true }),
  });
  let x = 12345;
  const rand = (): number => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x / 4294967296;
  };
  for (let i = 0; i < resting; i++) {
    const buy = i % 2 === 0;
    // 57,000–59,400 below the market, 60,600–63,000 above: 240,000 possible price levels each side.
    const price = buy ? 57_000 + rand() * 2_400 : 60_600 + rand() * 2_400;
    ex.placeOrder('bench', {
      marketType: 'spot',
      symbol: 'BTCUSDT',
      side: buy ? 'BUY' : 'SELL',
      type: 'LIMIT',
      quantity: '0.001',
      price: price.toFixed(2),
    });
    if (i % 10 === 0) {
      const stop = buy ? 63_000 + rand() * 3_000 : 54_000 + rand() * 3_000;
      ex.placeOrder('bench', {
        marketType: 'futures',
        symbol: 'BTCUSDT',
        side: buy ? 'BUY' : 'SELL',
        type: 'STOP_MARKET',
        quantity: '0.001',
        stopPrice: stop.toFixed(2),
      });
    }
  }
  return ex;
}

// CPU time of the loop as well as wall time: on a shared machine the wall clock also counts
// the time other processes held the CPU.
let lastCpuUsPerPair = 0;

function placeCancel(ex: SimExchange, pairs: number): number {
  let x = 777;
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < pairs; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const price = (57_000 + (x / 4294967296) * 2_400).toFixed(2);
    const { order } = ex.placeOrder('bench', {
      marketType: 'spot',
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      quantity: '0.001',
      price,
    });
    ex.cancelOrder('bench', 'spot', order.id);
  }
  const used = process.cpuUsage(cpu);
  lastCpuUsPerPair = (used.user + used.system) / pairs;
  return Number(process.hrtime.bigint() - start) / 1000 / pairs;
}

function priceSteps(ex: SimExchange, ticks: number): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < ticks; i++) ex.step(1000);
  return Number(process.hrtime.bigint() - start) / 1000 / ticks;
}

// The mixed flow keeps its own resting orders (ids) so cancels hit live orders at random.
let lastCpuUsPerRequest = 0;

function mixedFlow(ex: SimExchange, requests: number, mine: string[]): number {
  let x = 4242;
  const next = (): number => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x / 4294967296;
  };
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < requests; i++) {
    const r = next();
    if (r < 0.45 || mine.length === 0) {
      const buy = next() < 0.5;
      const price = (buy ? 57_000 + next() * 2_400 : 60_600 + next() * 2_400).toFixed(2);
      const { order } = ex.placeOrder('bench', {
        marketType: 'spot',
        symbol: 'BTCUSDT',
        side: buy ? 'BUY' : 'SELL',
        type: 'LIMIT',
        quantity: '0.001',
        price,
      });
      mine.push(order.id);
    } else if (r < 0.9) {
      const at = Math.floor(next() * mine.length);
      const id = mine[at] as string;
      mine[at] = mine[mine.length - 1] as string;
      mine.pop();
      ex.cancelOrder('bench', 'spot', id);
    } else {
      // Marketable: crosses the spread and takes the best levels, the rest (if any) expires.
      const buy = next() < 0.5;
      ex.placeOrder('bench', {
        marketType: 'spot',
        symbol: 'BTCUSDT',
        side: buy ? 'BUY' : 'SELL',
        type: 'LIMIT',
        timeInForce: 'IOC',
        quantity: '0.002',
        price: buy ? '61000.00' : '59000.00',
      });
    }
  }
  const used = process.cpuUsage(cpu);
  lastCpuUsPerRequest = (used.user + used.system) / requests;
  return Number(process.hrtime.bigint() - start) / 1000 / requests;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

async function main(): Promise<void> {
  // Interleaved rounds (every size measured in every round, medians reported) so JIT warm-up and
  // machine noise hit all sizes alike instead of favouring whichever ran last.
  const exchanges = SIZES.map((resting) => ({
    resting,
    ex: build(resting),
    pairs: [] as number[],
    cpuPairs: [] as number[],
    ticks: [] as number[],
  }));
  for (const e of exchanges) {
    placeCancel(e.ex, 2_000);
    priceSteps(e.ex, 200);
  }
  const flow = exchanges[1] as (typeof exchanges)[number];
  const mine: string[] = [];
  const mixed: number[] = [];
  const cpuMixed: number[] = [];
  mixedFlow(flow.ex, 5_000, mine);
  for (let round = 0; round < ROUNDS; round++) {
    for (const e of exchanges) {
      e.pairs.push(placeCancel(e.ex, PAIRS));
      e.cpuPairs.push(lastCpuUsPerPair);
      e.ticks.push(priceSteps(e.ex, TICKS));
    }
    mixed.push(mixedFlow(flow.ex, 2 * PAIRS, mine));
    cpuMixed.push(lastCpuUsPerRequest);
  }
  const rows = exchanges.map((e) => ({
    resting: e.resting,
    open: e.ex.openOrders('bench').length,
    pair: median(e.pairs),
    cpuPair: median(e.cpuPairs),
    tick: median(e.ticks),
  }));

  console.log(`sim exchange resting-order index (no sink; median of ${ROUNDS} interleaved rounds)`);
  console.log('resting limits | open (limits + stops) | place+cancel µs/pair | price step µs/tick');
  for (const r of rows) {
    console.log(
      `${String(r.resting).padStart(14)} | ${String(r.open).padStart(20)} | ${r.pair.toFixed(2).padStart(20)} | ${r.tick.toFixed(2).padStart(18)}`,
    );
  }
  const small = rows[0];
  const mid = rows[1];
  const large = rows[rows.length - 1];
  if (small !== undefined && mid !== undefined && large !== undefined) {
    console.log(
      `ratio ${large.resting} vs ${small.resting}: place+cancel ${(large.pair / small.pair).toFixed(2)}×, price step ${(large.tick / small.tick).toFixed(2)}×`,
    );
    const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
    const pairRate = 2e6 / mid.pair;
    const mixedRate = 1e6 / median(mixed);
    console.log(
      `order requests/s at ${mid.resting} resting orders (each a new order or a cancel through the exchange API):`,
    );
    console.log(
      `  place + cancel  ${fmt(pairRate).padStart(9)} /s wall  ${fmt(2e6 / mid.cpuPair).padStart(9)} /s CPU  (${fmt(1e6 / mid.pair)} orders placed and cancelled /s)`,
    );
    console.log(
      `  mixed flow      ${fmt(mixedRate).padStart(9)} /s wall  ${fmt(1e6 / median(cpuMixed)).padStart(9)} /s CPU  (45 % new, 45 % cancel, 10 % marketable IOC)`,
    );
    const worst = Math.min(pairRate, mixedRate);
    console.log(
      `target >= 300,000 order requests/s: ${worst >= 300_000 ? 'met' : 'not met'} (slower of the two: ${fmt(worst)} /s)`,
    );
  }
}

void runBundled(__filename).then(main);
