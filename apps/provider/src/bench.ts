// `@barfinex/provider/bench`: the provider's parts that the benchmarks in tools/bench measure on
// their own (the simulator, repositories, the backtest engine, replay, a provider on a test port).
// The benchmarks import only this and the package's main entry, never a file under src/.
export { DEFAULT_SIM_SYMBOLS, createSimClock, createSimExchange } from './connectors/sim';
export type { SimExchange } from './connectors/sim';
export { createSimStateStore } from './connectors/sim-snapshot.store';
export { createCandlesRepository } from './areas/candles/candles.repository';
export type { CandleRow } from './areas/candles/candles.repository';
export { syntheticCandles } from './areas/backtest/candle-source';
export { resolveDetector } from './areas/backtest/detectors';
export { createBacktestEngine } from './areas/backtest/engine';
export { appendCandles, createSharedSeries } from './areas/optimizations/candle-buffer';
export { createTrialPool } from './areas/optimizations/pool';
export { createEventSinkRepository, toSinkRow } from './areas/eventsink/eventsink.repository';
export { createReplayService, replayEnvelope } from './areas/replay/replay.service';
export { TEST_TOKEN, startProvider } from './testing/harness';
