import { createMemoryBus } from '@barfinex/bus';
import { createTestPglite } from '@barfinex/db/testing';
import type { Database } from '@barfinex/db';
import { startProvider } from '../../testing/harness';
import type { Harness } from '../../testing/harness';
import { expectedBars, groupBars, rangesFromTimes } from './gaps';
import { MAX_REPAIR_BARS } from './integrity.service';

let db: Database;
let h: Harness;
const MIN = 60_000;
const series = '/api/candles/sim/spot/BTCUSDT';

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${h.baseUrl}${path}`, {
    method,
    headers: { ...h.auth, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function bars(interval: string): Promise<Array<{ time: number }>> {
  return (await call('GET', `${series}/${interval}?from=0&to=${Date.UTC(2030, 0, 1)}`)).body as unknown as Array<{
    time: number;
  }>;
}

const remove = (interval: string, times: number[]) =>
  db.prisma.$executeRawUnsafe(
    `DELETE FROM candles WHERE connector_type = 'sim' AND market_type = 'spot' AND symbol = 'BTCUSDT' AND interval = $1 AND open_time = ANY($2::bigint[])`,
    interval,
    times,
  );

beforeAll(async () => {
  db = await createTestPglite();
  // One symbol keeps the recorded session (every trade lands in the event sink) small.
  h = await startProvider({ db, bus: createMemoryBus(), env: { EVENTSINK_FLUSH_MS: '20ms', SIM_SYMBOLS: 'BTCUSDT' } });
  expect((await call('POST', '/api/connectors/sim/step', { ms: 24 * MIN })).status).toBe(200);
  await h.provider.marketData.flush();
  await h.provider.areas.eventSink.sink.flush();
}, 180_000);
afterAll(async () => {
  await h.stop();
  await db.close();
});

describe('candle gap report and repair', () => {
  it('reports a complete series as clean', async () => {
    const report = await call('GET', `${series}/min1/gaps`);
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ missingBars: 0, gapCount: 0, misalignedRows: 0, clean: true });
    expect(report.body['totalRows']).toBeGreaterThanOrEqual(24);
  });

  it('finds exactly the deleted minute bars and rebuilds them from stored trades', async () => {
    const original = await bars('min1');
    const t = (i: number) => (original[i] as { time: number }).time;
    await remove('min1', [t(10), t(11), t(12), t(13), t(14), t(20)]);

    const report = await call('GET', `${series}/min1/gaps`);
    expect(report.body['missingRanges']).toEqual([
      { from: t(10), to: t(14), bars: 5 },
      { from: t(20), to: t(20), bars: 1 },
    ]);
    expect(report.body).toMatchObject({
      missingBars: 6,
      gapCount: 2,
      totalRows: original.length - 6,
      expectedRows: original.length,
      clean: false,
    });

    const dry = await call('POST', `${series}/min1/repair`, { mode: 'dry-run' });
    expect(dry.body).toMatchObject({
      mode: 'dry-run',
      rebuiltBars: 6,
      rebuiltFrom: { trades: 6, candles: 0 },
      unrepairable: [],
    });
    expect((await call('GET', `${series}/min1/gaps`)).body['missingBars']).toBe(6);

    const applied = await call('POST', `${series}/min1/repair`, { mode: 'apply' });
    expect(applied.body).toMatchObject({ mode: 'apply', rebuiltBars: 6, after: { missingBars: 0, clean: true } });
    expect(await bars('min1')).toEqual(original);
  });

  it('rebuilds a 5-minute bar from stored minute bars when its trades are gone', async () => {
    const original = await bars('min5');
    const target = original[3] as { time: number };
    await remove('min5', [target.time]);
    await db.prisma.$executeRawUnsafe(
      `DELETE FROM sink_events WHERE type = 'PROVIDER_MARKETDATA_TRADE' AND symbol = 'BTCUSDT' AND (payload->>'time')::bigint >= $1::bigint AND (payload->>'time')::bigint < $2::bigint`,
      target.time,
      target.time + 5 * MIN,
    );
    const repaired = await call('POST', `${series}/5m/repair`, {
      mode: 'apply',
      from: original[0]?.time,
      to: original[original.length - 1]?.time,
    });
    expect(repaired.body).toMatchObject({
      before: { missingBars: 1 },
      rebuiltFrom: { trades: 0, candles: 1 },
      after: { clean: true },
    });
    expect(await bars('min5')).toEqual(original);
  });

  it('reports a leading and trailing hole of an explicit range, and bad input as 400', async () => {
    const original = await bars('min1');
    const first = (original[0] as { time: number }).time;
    const report = await call('GET', `${series}/min1/gaps?from=${first - 3 * MIN}&to=${first + 30 * MIN}`);
    const last = (original[original.length - 1] as { time: number }).time;
    expect(report.body['missingRanges']).toEqual([
      { from: first - 3 * MIN, to: first - MIN, bars: 3 },
      { from: last + MIN, to: first + 30 * MIN, bars: (first + 30 * MIN - last) / MIN },
    ]);
    expect((await call('GET', `${series}/min1/gaps?from=10&to=5`)).status).toBe(400);
    expect((await call('GET', `${series}/7x/gaps`)).status).toBe(400);
    expect((await call('POST', `${series}/min1/repair`, { mode: 'fix' })).status).toBe(400);
    expect((await call('GET', '/api/candles/binance/spot/BTCUSDT/min1/gaps')).status).toBe(404);
  });

  it('refuses a repair of decades of missing bars with 400 instead of running out of memory', async () => {
    expect((await call('GET', `${series}/min1/gaps?from=0`)).body['missingBars']).toBeGreaterThan(MAX_REPAIR_BARS);
    const res = await call('POST', `${series}/min1/repair`, { from: 0 });
    expect(res.status).toBe(400);
    expect(res.body['error']).toMatchObject({ code: 'BAD_REQUEST', details: { limit: MAX_REPAIR_BARS } });
  });
});

describe('gap helpers on calendar frames', () => {
  const jan = Date.UTC(2026, 0, 1);
  const mar = Date.UTC(2026, 2, 1);
  const may = Date.UTC(2026, 4, 1);
  it('walks months by the calendar', () => {
    expect(expectedBars('month', jan, may)).toBe(5);
    expect(rangesFromTimes('month', jan, may, new Set([jan, may]))).toEqual([
      { from: Date.UTC(2026, 1, 1), to: Date.UTC(2026, 3, 1), bars: 3 },
    ]);
    expect(groupBars('month', [jan, Date.UTC(2026, 1, 1), mar, may])).toEqual([
      { from: jan, to: mar, bars: 3 },
      { from: may, to: may, bars: 1 },
    ]);
  });
});
