import { createMemoryBus } from '@barfinex/bus';
import { DashboardOverviewSchema } from '@barfinex/contracts';
import { createTestPglite } from '@barfinex/db/testing';
import type { Database } from '@barfinex/db';
import { startProvider } from '../../testing/harness';
import type { Harness } from '../../testing/harness';
import { summarizeTrading } from './trading-summary';

let db: Database;
let h: Harness;

// Response bodies are read loosely here; their shapes are checked by the assertions.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;

async function get(path: string) {
  const res = await fetch(`${h.baseUrl}${path}`, { headers: h.auth });
  return { status: res.status, body: (await res.json()) as Loose };
}

beforeAll(async () => {
  db = await createTestPglite();
  h = await startProvider({ db, bus: createMemoryBus(), env: { EVENTSINK_FLUSH_MS: '20ms', SIM_SYMBOLS: 'BTCUSDT' } });
  const step = await fetch(`${h.baseUrl}/api/connectors/sim/step`, {
    method: 'POST',
    headers: { ...h.auth, 'content-type': 'application/json' },
    body: JSON.stringify({ ms: 120_000 }),
  });
  expect(step.status).toBe(200);
  await h.provider.marketData.flush();
  await h.provider.areas.eventSink.sink.flush();
}, 120_000);
afterAll(async () => {
  await h.stop();
  await db.close();
});

describe('dashboard overview', () => {
  it('reports infrastructure, registry, event rates, trading and alerts', async () => {
    const res = await get('/api/dashboard/overview?windowMinutes=15');
    expect(res.status).toBe(200);
    const o = res.body;
    expect(o['windowMinutes']).toBe(15);
    expect(o['infrastructure']).toMatchObject({
      bus: { transport: 'memory', connected: true },
      database: { kind: 'pglite', ok: true },
      eventSink: { enabled: true, dropped: 0, failures: 0 },
    });
    // The contract describes every field the service returns (parsing strips anything it does not know).
    expect(DashboardOverviewSchema.parse(o)).toEqual(o);
    expect(o['events'].window).toBeGreaterThan(0);
    expect(o['events'].byCategory.marketdata.count).toBeGreaterThan(0);
    expect(o['connectors']).toEqual({ total: 1, active: 1 });
    expect(o['registry']).toMatchObject({ total: 0, active: 0 });
    expect(Number(o['trading'].walletBalanceTotal)).toBeGreaterThan(0);
    const codes = o['alerts'].map((a: { code: string }) => a.code);
    expect(codes).toEqual(expect.arrayContaining(['ADVISOR_INACTIVE', 'INSPECTOR_INACTIVE', 'DETECTOR_INACTIVE']));
    expect(codes).not.toContain('SYSTEM_OK');
  });
  it('refuses a bad window with 400', async () => {
    for (const w of ['0', '10081', 'abc', '1.5']) {
      const res = await get(`/api/dashboard/overview?windowMinutes=${w}`);
      expect(res.status).toBe(400);
      expect(res.body['error'].code).toBe('VALIDATION_ERROR');
    }
  });
  it('raises HIGH_EXPOSURE above 5x the wallet balance', () => {
    const position = {
      connectorType: 'sim',
      marketType: 'futures',
      symbol: 'BTCUSDT',
      side: 'SHORT',
      quantity: '1',
      entryPrice: '600',
      markPrice: '610',
    } as const;
    const summary = summarizeTrading(
      [
        {
          assets: [
            {
              connectorType: 'sim',
              marketType: 'futures',
              symbol: 'USDT',
              walletBalance: '100',
              availableBalance: '40',
            },
          ],
          positions: [position],
          openOrders: 2,
        },
      ],
      (e) => e,
    );
    expect(summary).toMatchObject({
      walletBalanceTotal: '100',
      notionalExposure: '610',
      exposureRatio: 6.1,
      unrealizedPnl: '-10',
      dailyPnl: '0',
      openOrders: 2,
      openPositions: 1,
    });
  });
});

describe('signals context and event sink over HTTP', () => {
  it('builds a context and omits unchanged candles in delta mode', async () => {
    const full = await get('/api/signals/context/btcusdt?connectorType=sim&marketType=spot&daysD1=3650');
    expect(full.status).toBe(200);
    expect(full.body).toMatchObject({
      symbol: 'BTCUSDT',
      dataContext: { maturity: 'FAST' },
      candles: { unchanged: false },
    });
    expect(full.body['candles'].h1.length).toBeGreaterThan(0);
    expect(full.body['orderBook'].bestBid).toBeDefined();
    expect(full.body['orderFlow'].tradeCount).toBeGreaterThan(0);
    const key = full.body['candles'].cacheKey as string;
    const delta = await get(
      `/api/signals/context/BTCUSDT?connectorType=sim&marketType=spot&daysD1=3650&candlesMode=DELTA&candlesKey=${key}`,
    );
    expect(delta.body['candles']).toEqual({ cacheKey: key, unchanged: true });
    expect((await get('/api/signals/context/BTCUSDT?connectorType=binance')).status).toBe(404);
    expect((await get('/api/signals/context/BTCUSDT?connectorType=sim&marketType=spot&daysH1=x')).status).toBe(400);
    for (const days of ['daysD1=0', 'daysD1=-3', 'daysD1=99999', 'daysH4=3651', 'daysH1=0', 'candlesMode=bogus']) {
      const refused = await get(`/api/signals/context/BTCUSDT?connectorType=sim&marketType=spot&${days}`);
      expect(refused.status).toBe(400);
      expect(refused.body['error']).toMatchObject({ code: 'VALIDATION_ERROR', details: expect.anything() });
    }
    const unknown = await get('/api/signals/context/NOPEUSDT?connectorType=sim&marketType=spot');
    expect(unknown.status).toBe(404);
    expect(unknown.body['error'].code).toBe('NOT_FOUND');
  });
  it('pages stored events with filters kept in the links', async () => {
    const res = await get('/api/eventsink?category=marketdata&symbol=btcusdt&limit=5&search=BTC');
    expect(res.status).toBe(200);
    expect(res.body['data']).toHaveLength(5);
    expect(res.body['total']).toBeGreaterThan(5);
    expect(res.body['data'][0]).toMatchObject({ category: 'marketdata', symbol: 'BTCUSDT', replay: false });
    expect(res.body['links'].next).toContain('category=marketdata');
    expect((await get('/api/eventsink?limit=500')).status).toBe(400);
    expect((await get('/api/eventsink?from=yesterday')).status).toBe(400);
    const reversed = await get('/api/eventsink?from=2026-01-06&to=2026-01-05');
    expect(reversed.status).toBe(400);
    expect(reversed.body['error']).toMatchObject({
      code: 'BAD_REQUEST',
      details: { from: Date.UTC(2026, 0, 6), to: Date.UTC(2026, 0, 5) },
    });
    const docs = await fetch(`${h.baseUrl}/docs-json`);
    const paths = Object.keys(((await docs.json()) as { paths: Record<string, unknown> }).paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/eventsink',
        '/replay/start',
        '/replay/stop',
        '/replay/status',
        '/signals/context/{symbol}',
        '/dashboard/overview',
        '/candles/{connectorType}/{marketType}/{symbol}/{interval}/gaps',
      ]),
    );
  });
});

describe('candles over HTTP', () => {
  it('answers a from past the newest bar with an empty list, and a reversed from/to with 400', async () => {
    const all = await get('/api/candles/sim/spot/BTCUSDT/min1?days=1');
    expect(all.status).toBe(200);
    const newest = (all.body as unknown as Array<{ time: number }>).at(-1)?.time as number;
    const after = await get(`/api/candles/sim/spot/BTCUSDT/min1?from=${newest + 1}`);
    expect(after).toEqual({ status: 200, body: [] });
    const from = await get(`/api/candles/sim/spot/BTCUSDT/min1?from=${newest}`);
    expect((from.body as unknown as Array<{ time: number }>).map((c) => c.time)).toEqual([newest]);
    expect((await get(`/api/candles/sim/spot/BTCUSDT/min1?from=${newest + 1}&to=${newest}`)).status).toBe(400);
  });
  it('reads from/to only as Unix milliseconds or ISO-8601; anything Date.parse would guess at is a 400', async () => {
    for (const from of ['-5', '1.5', '2026-02-30', 'Jan%205%202026']) {
      const res = await get(`/api/candles/sim/spot/BTCUSDT/min1?from=${from}`);
      expect(res.status).toBe(400);
      expect(res.body['error']).toMatchObject({
        code: 'VALIDATION_ERROR',
        message: expect.any(String),
        details: expect.anything(),
      });
    }
    for (const from of ['5', '2026-01-05', '2026-01-05T00:00:00Z', '2026-01-05T00:00:00.000%2B02:00']) {
      expect((await get(`/api/candles/sim/spot/BTCUSDT/min1?from=${from}&to=${Date.UTC(2030, 0, 1)}`)).status).toBe(
        200,
      );
    }
  });
});
