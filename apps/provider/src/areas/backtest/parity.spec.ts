// Parity: the same detector over the same candles gives the same signals in a backtest and on the
// live path, where candles are stored events replayed through the bus (as POST /api/replay/start
// does) and a runner is fed from its candle subscription the way the detector app feeds it.
import { createMemoryBus } from '@barfinex/bus';
import type { Candle } from '@barfinex/contracts';
import { createDetectorRunner } from '@barfinex/detector-kit';
import type { DetectorEmission } from '@barfinex/detector-kit';
import { eventually } from '@barfinex/testing';
import type { EventSinkRepository } from '../eventsink/eventsink.repository';
import { createReplayService } from '../replay/replay.service';
import { syntheticCandles } from './candle-source';
import { resolveDetector } from './detectors';
import { createBacktestEngine } from './engine';

type StoredEvent = Awaited<ReturnType<EventSinkRepository['after']>>[number];

/** The event sink's view of stored candle events, with its keyset paging, in memory. */
function memorySink(candles: readonly Candle[]): Pick<EventSinkRepository, 'after' | 'count'> {
  const rows: StoredEvent[] = candles.map((c, i) => ({
    id: i + 1,
    eventId: `candle-${i}`,
    type: 'PROVIDER_MARKETDATA_CANDLE',
    eventType: 'marketdata.candle',
    category: 'marketdata',
    action: 'candle',
    source: 'PROVIDER',
    symbol: c.symbol,
    connectorType: 'sim',
    marketType: 'futures',
    timestamp: c.closeTime ?? c.time,
    replay: false,
    payload: c,
  }));
  return {
    after: async (_filter, cursor, limit) =>
      rows
        .filter((r) => r.timestamp > cursor.timestamp || (r.timestamp === cursor.timestamp && r.id > cursor.id))
        .slice(0, limit),
    count: async () => rows.length,
  };
}

/** Signal lifecycle events without envelope metadata (the causation id names the carrying event). */
const signalEvents = (emissions: readonly DetectorEmission[]) =>
  emissions.filter((e) => e.name.startsWith('DETECTOR_SIGNAL_')).map((e) => ({ name: e.name, payload: e.payload }));

describe.each([
  ['ema-cross', 'min1'],
  ['rsi-reversion', 'min5'],
] as const)('%s: backtest vs live replay', (name, interval) => {
  it('emits identical signals', async () => {
    const candles = syntheticCandles(
      { type: 'synthetic', seed: 11, bars: 1_500, startPrice: 3_000, drift: 0, volatility: 0.005 },
      { symbol: 'ETHUSDT', interval },
    );
    const { detector, params } = resolveDetector(name, {}, interval);

    const backtest: DetectorEmission[] = [];
    const engine = createBacktestEngine({
      detector,
      params,
      symbol: 'ETHUSDT',
      interval,
      initialBalance: '10000',
      positionSizing: { mode: 'percent', percent: 10 },
      fees: { maker: '0', taker: '0' },
      onEmission: (e) => backtest.push(e),
    });
    for (const c of candles) engine.onCandle(c);

    const bus = createMemoryBus();
    const live: DetectorEmission[] = [];
    const runner = createDetectorRunner(detector, { params, emit: (e) => live.push(e) });
    let received = 0;
    await bus.subscribe('PROVIDER_MARKETDATA_CANDLE', (env) => {
      received += 1;
      runner.onCandle(env.payload, { eventId: env.eventId });
    });
    const replay = createReplayService({ repo: memorySink(candles), bus, pageSize: 500 });
    await replay.start({ from: 0, to: Number.MAX_SAFE_INTEGER, speed: 'max' });
    await replay.idle();
    await eventually(() => expect(received).toBe(candles.length));

    const expected = signalEvents(backtest);
    expect(expected.filter((e) => e.name === 'DETECTOR_SIGNAL_GENERATED').length).toBeGreaterThan(3);
    expect(signalEvents(live)).toEqual(expected);
    expect(engine.finish().metrics.signals).toBe(expected.filter((e) => e.name === 'DETECTOR_SIGNAL_GENERATED').length);
  });
});
