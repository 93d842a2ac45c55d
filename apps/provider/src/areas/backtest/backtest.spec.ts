// Backtests and backfill over HTTP on a provider with an embedded database and the memory bus.
import Decimal from 'decimal.js';
import { createMemoryBus } from '@barfinex/bus';
import type { BacktestDetail, BacktestProgress, BackfillStatus } from '@barfinex/contracts';
import { BacktestSourceSchema } from '@barfinex/contracts';
import { createTestPglite } from '@barfinex/db/testing';
import type { Database } from '@barfinex/db';
import { eventually } from '@barfinex/testing';
import { startProvider } from '../../testing/harness';
import { syntheticBars } from './candle-source';
import type { Harness } from '../../testing/harness';

jest.setTimeout(120_000);

let db: Database;
let h: Harness;
const bus = createMemoryBus();
const progress: BacktestProgress[] = [];
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);

async function call<T = Record<string, unknown>>(method: string, path: string, body?: unknown) {
  const res = await fetch(`${h.baseUrl}/api${path}`, {
    method,
    headers: { ...h.auth, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as T & { error?: { code: string; message: string } } };
}

async function finished(id: string): Promise<BacktestDetail> {
  let last: BacktestDetail | undefined;
  await eventually(
    async () => {
      last = (await call<BacktestDetail>('GET', `/backtests/${id}`)).body;
      expect(['finished', 'failed']).toContain(last.state);
    },
    60_000,
    50,
  );
  return last as BacktestDetail;
}

const SyntheticSource = BacktestSourceSchema.transform((s) => {
  if (s.type !== 'synthetic') throw new Error('a synthetic source');
  return s;
});

const synthetic = {
  detector: 'ema-cross',
  symbol: 'BTCUSDT',
  interval: 'min1',
  source: { type: 'synthetic', seed: 7, bars: 3_000, startPrice: 60_000, volatility: 0.004 },
  initialBalance: '10000',
  positionSizing: { mode: 'percent', percent: 50 },
};

beforeAll(async () => {
  db = await createTestPglite();
  h = await startProvider({ db, bus, env: { BACKTEST_MAX_BARS: '50000' } });
  await bus.subscribe('PROVIDER_BACKTEST_PROGRESS', (env) => void progress.push(env.payload));
}, 60_000);
afterAll(async () => {
  await h.stop();
  await db.close();
});

describe('POST /api/backtests', () => {
  let id = '';

  it('runs a synthetic backtest in the background and stores its result', async () => {
    const started = await call('POST', '/backtests', synthetic);
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ state: 'queued', detector: 'ema-cross-atr', total: 3_000, metrics: null });
    id = started.body['id'] as string;
    const done = await finished(id);
    expect(done.state).toBe('finished');
    expect(done.metrics).toMatchObject({ bars: 3_000, trades: done.trades.length });
    expect(done.trades.length).toBeGreaterThan(5);
    const net = done.trades.reduce((acc, t) => acc.plus(t.pnl), new Decimal(0));
    expect(net.eq(done.metrics?.netPnl ?? 'NaN')).toBe(true);
    expect(new Decimal(done.metrics?.finalEquity ?? 0).minus(done.metrics?.netPnl ?? 0).toFixed()).toBe('10000');
    await eventually(() =>
      expect(progress.filter((p) => p.backtestId === id).at(-1)).toMatchObject({
        state: 'finished',
        processed: 3_000,
        total: 3_000,
      }),
    );
  });

  it('runs a window of a synthetic series: its bars only, the same bars the whole series has there', async () => {
    const MINUTE = 60_000;
    const source = { ...synthetic.source, start: T0, bars: 2_000 };
    const window = { ...source, from: T0 + 500 * MINUTE, to: T0 + 1_199 * MINUTE + 30_000 };
    const started = await call('POST', '/backtests', { ...synthetic, source: window });
    expect(started.body).toMatchObject({ total: 700 });
    const part = await finished(started.body['id'] as string);
    expect(part.metrics?.bars).toBe(700);
    const whole = await finished((await call('POST', '/backtests', { ...synthetic, source })).body['id'] as string);
    // The window's first trade opens no earlier than its first bar; the whole run trades before it.
    expect(part.trades[0]?.entryTime).toBeGreaterThanOrEqual(T0 + 500 * MINUTE);
    expect(whole.trades[0]?.entryTime).toBeLessThan(T0 + 500 * MINUTE);
    expect(syntheticBars(SyntheticSource.parse(window), 'min1')).toEqual(
      syntheticBars(SyntheticSource.parse(source), 'min1').slice(500, 1_200),
    );
  });

  it('lists backtests and deletes one', async () => {
    const list = await call<Array<{ id: string }>>('GET', '/backtests?limit=10');
    expect(list.status).toBe(200);
    expect(list.body.map((b) => b.id)).toContain(id);
    expect((await call('DELETE', `/backtests/${id}`)).status).toBe(200);
    expect((await call('GET', `/backtests/${id}`)).status).toBe(404);
    expect((await call('DELETE', `/backtests/${id}`)).status).toBe(404);
  });

  it('cancels a queued backtest before it runs, and refuses to cancel one that has ended', async () => {
    // The first backtest keeps the queue busy while the second, queued behind it, is cancelled.
    const first = await call('POST', '/backtests', { ...synthetic, source: { ...synthetic.source, bars: 50_000 } });
    const second = await call('POST', '/backtests', synthetic);
    const cancelled = await call('POST', `/backtests/${second.body['id'] as string}/cancel`);
    expect(cancelled).toMatchObject({ status: 200, body: { id: second.body['id'], state: 'queued' } });
    const ended = await finished(second.body['id'] as string);
    expect(ended).toMatchObject({ state: 'failed', error: 'cancelled by a request', processed: 0, metrics: null });
    await finished(first.body['id'] as string);
    expect((await call('POST', `/backtests/${second.body['id'] as string}/cancel`)).status).toBe(409);
    expect((await call('POST', '/backtests/00000000-0000-4000-8000-000000000000/cancel')).status).toBe(404);
  });

  it.each([
    ['an unknown detector', { ...synthetic, detector: 'nope' }, /unknown detector "nope"/],
    ['params the detector refuses', { ...synthetic, params: { fast: 0 } }, /fast/],
    [
      'a param name the detector does not know',
      { ...synthetic, params: { fast: 5, fsat: 7 } },
      /unknown params for detector ema-cross-atr: fsat/,
    ],
    ['a time frame the detector does not read', { ...synthetic, interval: 'h1' }, /reads min1/],
    ['too many bars', { ...synthetic, source: { ...synthetic.source, bars: 50_001 } }, /too many bars/],
    [
      'a reversed range',
      { ...synthetic, source: { type: 'stored', connectorType: 'sim', marketType: 'spot', from: T0 + DAY, to: T0 } },
      /before/,
    ],
    [
      'a range longer than the cap',
      {
        ...synthetic,
        source: { type: 'stored', connectorType: 'sim', marketType: 'spot', from: T0 - 60 * DAY, to: T0 },
      },
      /range too long/,
    ],
    [
      'a range with no stored candles',
      {
        ...synthetic,
        source: { type: 'stored', connectorType: 'sim', marketType: 'spot', from: T0 - 10 * DAY, to: T0 - 9 * DAY },
      },
      /no stored min1 candles/,
    ],
    ['a taker fee of 500 %', { ...synthetic, fees: { taker: '5' } }, /must be below 1/],
    ['a maker fee of 100 %', { ...synthetic, fees: { maker: 1 } }, /must be below 1/],
    [
      'a start price below 0.000001',
      { ...synthetic, source: { ...synthetic.source, startPrice: 1e-300 } },
      /startPrice must be at least 0.000001/,
    ],
    [
      'a synthetic window after the last bar',
      { ...synthetic, source: { ...synthetic.source, start: T0, from: T0 + 3 * DAY, to: T0 + 4 * DAY } },
      /no bar of the synthetic series opens in \[from, to\]/,
    ],
    [
      'a reversed synthetic window',
      { ...synthetic, source: { ...synthetic.source, from: T0 + DAY, to: T0 } },
      /"from" must not be after "to"/,
    ],
  ])('answers 400 for %s', async (_what, body, message) => {
    const res = await call('POST', '/backtests', body);
    expect(res.status).toBe(400);
    expect(res.body.error?.message).toMatch(message);
  });
});

describe('backfill, then a backtest over the stored candles', () => {
  const path = '/candles/sim/spot/BTCUSDT/min5/backfill';

  it('backfills sim history and backtests it', async () => {
    const started = await call<BackfillStatus>('POST', path, { from: T0, to: T0 + 2 * DAY - 1 });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ state: 'running', symbol: 'BTCUSDT', interval: 'min5' });
    let status: BackfillStatus | undefined;
    await eventually(
      async () => {
        status = (await call<BackfillStatus>('GET', `${path}/status`)).body;
        expect(status.state).toBe('finished');
      },
      60_000,
      50,
    );
    expect(status).toMatchObject({ upserted: 576, progress: 1 });
    const stored = await call<unknown[]>(
      'GET',
      `/candles/sim/spot/BTCUSDT/min5?from=${T0}&to=${T0 + 2 * DAY - 1}&limit=1000`,
    );
    expect(Array.isArray(stored.body) ? stored.body.length : (stored.body as { data?: unknown[] }).data?.length).toBe(
      576,
    );

    const run = await call('POST', '/backtests', {
      detector: 'rsi-reversion',
      symbol: 'BTCUSDT',
      interval: 'min5',
      source: { type: 'stored', connectorType: 'sim', marketType: 'spot', from: T0, to: T0 + 2 * DAY - 1 },
      positionSizing: { mode: 'fixed', quantity: '0.01' },
    });
    expect(run.status).toBe(202);
    const done = await finished(run.body['id'] as string);
    expect(done).toMatchObject({ state: 'finished', metrics: { bars: 576 } });
    for (const t of done.trades) expect(t.quantity).toBe('0.01');
  });

  it('answers 400 for a reversed backfill range and 404 for an unknown connector', async () => {
    expect((await call('POST', path, { from: T0 + DAY, to: T0 })).status).toBe(400);
    expect((await call('POST', '/candles/binance/spot/BTCUSDT/min5/backfill', { from: T0, to: T0 + DAY })).status).toBe(
      404,
    );
    expect((await call<BackfillStatus>('GET', '/candles/sim/futures/BTCUSDT/min5/backfill/status')).body).toMatchObject(
      { state: 'idle' },
    );
  });

  it('lists the routes in the OpenAPI document', async () => {
    const res = await fetch(`${h.baseUrl}/docs-json`);
    const doc = (await res.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/backtests',
        '/backtests/{id}',
        '/candles/{connectorType}/{marketType}/{symbol}/{interval}/backfill',
        '/candles/{connectorType}/{marketType}/{symbol}/{interval}/backfill/status',
      ]),
    );
  });
});
