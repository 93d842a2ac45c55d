// Cancelling a running backtest, driven through the service itself so the moment of the request is
// fixed: it is asked for before the first chunk of bars, and observed at the next chunk boundary.
import { createMemoryBus } from '@barfinex/bus';
import type { BacktestRequest } from '@barfinex/contracts';
import { createTestPglite } from '@barfinex/db/testing';
import type { Database } from '@barfinex/db';
import { createBacktestRepository } from './backtest.repository';
import { createBacktestService } from './backtest.service';

let db: Database;
beforeAll(async () => {
  db = await createTestPglite();
});
afterAll(() => db.close());

const request = {
  detector: 'ema-cross',
  symbol: 'BTCUSDT',
  interval: 'min1',
  source: { type: 'synthetic', seed: 7, bars: 20_000, startPrice: 60_000, volatility: 0.004 },
  initialBalance: '10000',
  positionSizing: { mode: 'percent', percent: 50 },
} as BacktestRequest;

it('stops a running backtest at its next chunk of bars; it ends failed with what it processed', async () => {
  const service = createBacktestService({
    repo: createBacktestRepository(db.prisma),
    candles: { range: async () => [] },
    bus: createMemoryBus(),
    maxBars: 50_000,
    chunk: 1_000,
  });
  const created = await service.create(request);
  // The request comes before any bar has been processed.
  expect(['queued', 'running']).toContain((await service.cancel(created.id)).state);
  await service.idle();
  const ended = await service.get(created.id);
  expect(ended).toMatchObject({
    state: 'failed',
    error: 'cancelled by a request',
    processed: 0,
    metrics: null,
    trades: [],
  });
  await expect(service.cancel(created.id)).rejects.toMatchObject({ code: 'CONFLICT' });

  // One that is not cancelled still runs to the end afterwards.
  const next = await service.create({ ...request, source: { ...request.source, bars: 3_000 } } as BacktestRequest);
  await service.idle();
  expect(await service.get(next.id)).toMatchObject({ state: 'finished', processed: 3_000 });
  await service.stop();
});

it('cancels mid-run, between two chunks, keeping the count of bars processed', async () => {
  const bus = createMemoryBus();
  const service = createBacktestService({
    repo: createBacktestRepository(db.prisma),
    candles: { range: async () => [] },
    bus,
    maxBars: 50_000,
    chunk: 1_000,
    progressEveryMs: 0,
  });
  let id = '';
  // Cancelled from its first progress report with bars behind it.
  await bus.subscribe('PROVIDER_BACKTEST_PROGRESS', (env) => {
    if (env.payload.backtestId === id && env.payload.processed > 0) void service.cancel(id).catch(() => undefined);
  });
  id = (await service.create(request)).id;
  await service.idle();
  const ended = await service.get(id);
  expect(ended).toMatchObject({ state: 'failed', error: 'cancelled by a request' });
  expect(ended.processed).toBeGreaterThan(0);
  expect(ended.processed).toBeLessThan(20_000);
  expect(ended.processed % 1_000).toBe(0);
  await service.stop();
});
