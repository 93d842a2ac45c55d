/**
 * Simulated exchange: does the resting-order index stay flat as it fills up?
 *
 * Measures, in one run and side by side, with 100, 10,000 and 100,000 resting orders on the sim
 * exchange (BTCUSDT spot, orders spread over ±5 % of the price, i.e. tens of thousands of
 * distinct price levels, plus armed stops on the futures market):
 *   1. place + cancel: a new resting LIMIT at a random price, then its cancel (µs per pair);
 *   2. price step: one market tick (GBM move, a few trades matched against the resting orders,
 *      the stop index checked) on a market whose resting orders are out of reach (µs per tick).
 * It prints the 100,000-vs-100 ratio for each: a balanced index gives ~1×, a linear scan ~1000×.
 * Also prints place+cancel pairs per second at 10,000 resting orders. No sink is attached, so
 * the numbers are the engine's own cost (views are only built for listeners).
 *
 * Run: npx tsx --conditions=development tools/bench/sim-book.ts   (plain `npx tsx` works once the libs are built)
 */
import { createSimClock, createSimExchange } from '../../apps/provider/src/connectors/sim';
import type { SimExchange } from '../../apps/provider/src/connectors/sim';

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

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

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
for (let round = 0; round < ROUNDS; round++) {
  for (const e of exchanges) {
    e.pairs.push(placeCancel(e.ex, PAIRS));
    e.cpuPairs.push(lastCpuUsPerPair);
    e.ticks.push(priceSteps(e.ex, TICKS));
  }
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
  console.log(
    `place+cancel at ${mid.resting} resting: ${Math.round(1e6 / mid.pair).toLocaleString('en-US')} pairs/s (${Math.round(2e6 / mid.pair).toLocaleString('en-US')} order operations/s; ${Math.round(2e6 / mid.cpuPair).toLocaleString('en-US')} per CPU second) — target >= 300,000 orders/s`,
  );
}
