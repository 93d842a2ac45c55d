/**
 * Backtest throughput: a year of one-minute bars (525,600 seeded GBM candles) through the
 * EMA-cross example, measured two ways on the same candle payloads in one run:
 *   1. runner:   the detector-kit runner alone (what the live detector does per candle);
 *   2. backtest: the provider's backtest engine: the same runner plus trading its signals on a
 *                private simulated exchange (orders, reduce-only stop/target, fills, decimal
 *                equity marks, drawdown and Sharpe).
 * Prints candles/s for each and the backtest/runner ratio, plus the trades and PnL it found.
 *
 * Run: npx tsx tools/bench/backtest.ts [bars=525600] [rounds=1]
 * It re-executes itself with --conditions=development so the TypeScript sources are measured.
 */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

const CONDITION = '--conditions=development';
if (!process.execArgv.includes(CONDITION)) {
  const r = spawnSync(process.execPath, [...process.execArgv, CONDITION, ...process.argv.slice(1)], {
    stdio: 'inherit',
  });
  process.exit(r.status ?? 1);
}

const BARS = Number(process.argv[2] ?? 525_600);
const ROUNDS = Number(process.argv[3] ?? 1);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function main(): Promise<void> {
  const { createDetectorRunner } = await import('@barfinex/detector-kit');
  const { syntheticCandles } = await import('@barfinex/provider/bench');
  const { resolveDetector } = await import('@barfinex/provider/bench');
  const { createBacktestEngine } = await import('@barfinex/provider/bench');

  let t = performance.now();
  const candles = syntheticCandles(
    { type: 'synthetic', seed: 2026, bars: BARS, startPrice: 60_000, drift: 0, volatility: 0.001 },
    { symbol: 'BTCUSDT', interval: 'min1' },
  );
  console.log(`generated ${fmt(candles.length)} min1 candles in ${fmt(performance.now() - t)} ms`);
  const { detector, params } = resolveDetector('ema-cross', {}, 'min1');

  for (let round = 1; round <= ROUNDS; round += 1) {
    t = performance.now();
    let signals = 0;
    const runner = createDetectorRunner(detector, {
      params,
      emit: (e) => void (e.name === 'DETECTOR_SIGNAL_GENERATED' && (signals += 1)),
    });
    const source = { symbol: 'BTCUSDT', timeframe: 'min1' as const };
    for (const c of candles) runner.onCandle(c, source);
    const runnerMs = performance.now() - t;

    t = performance.now();
    const engine = createBacktestEngine({
      detector,
      params,
      symbol: 'BTCUSDT',
      interval: 'min1',
      initialBalance: '10000',
      positionSizing: { mode: 'percent', percent: 50 },
      fees: { maker: '0.0002', taker: '0.0005' },
    });
    for (const c of candles) engine.onCandle(c);
    const { metrics } = engine.finish();
    const backtestMs = performance.now() - t;

    const runnerRate = (candles.length / runnerMs) * 1000;
    const backtestRate = (candles.length / backtestMs) * 1000;
    console.log(
      `round ${round}: runner ${fmt(runnerRate)} candles/s (${fmt(runnerMs)} ms, ${signals} signals) | backtest ${fmt(backtestRate)} candles/s (${fmt(backtestMs)} ms) = ${(backtestRate / runnerRate).toFixed(2)}× the runner`,
    );
    console.log(
      `  ${metrics.signals} signals, ${metrics.trades} trades, win rate ${(metrics.winRate * 100).toFixed(1)} %, net PnL ${Number(metrics.netPnl).toFixed(2)}, max drawdown ${metrics.maxDrawdownPct.toFixed(2)} %, Sharpe ${metrics.sharpe.toFixed(2)}, exposure ${(metrics.exposure * 100).toFixed(1)} %`,
    );
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
