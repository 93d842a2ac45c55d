import { createTestPglite } from '@barfinex/db/testing';
import type { Database } from '@barfinex/db';
import { createEnvelope } from '@barfinex/events';
import type { EventEnvelope } from '@barfinex/events';
import { createEventSink } from './event-sink';
import { createEventSinkRepository, escapeLike, toSinkRow, whereClause } from './eventsink.repository';
import type { EventSinkRepository } from './eventsink.repository';

const N = 100_000;
const T0 = Date.UTC(2026, 0, 5);
const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'BNBUSDT'];
const template = createEnvelope(
  'PROVIDER_MARKETDATA_TRADE',
  { time: T0, symbol: 'BTCUSDT', price: '65000.5', volume: '0.002', side: 'LONG' },
  { connectorType: 'sim', marketType: 'spot' },
);
const orderTemplate = createEnvelope(
  'PROVIDER_ACCOUNT_EVENT',
  { eventType: 'ORDER_TRADE_UPDATE', eventTime: T0, options: { note: 'x' } },
  { connectorType: 'sim', marketType: 'spot' },
);

/** Deterministic mix: every 10th event is an account event, the rest trades over 4 symbols. */
function event(i: number): EventEnvelope {
  const timestamp = T0 + i * 10;
  if (i % 10 === 9)
    return {
      ...orderTemplate,
      eventId: `acc-${i}`,
      timestamp,
      correlationId: `chain-${Math.floor(i / 1000)}`,
      payload: {
        eventType: 'ORDER_TRADE_UPDATE',
        eventTime: timestamp,
        options: { note: i % 1000 === 999 ? '50%_off' : `n${i}` },
      },
    } as EventEnvelope;
  const symbol = SYMBOLS[i % SYMBOLS.length] as string;
  return {
    ...template,
    eventId: `trd-${i}`,
    timestamp,
    symbol,
    payload: {
      time: timestamp,
      symbol,
      price: `${60000 + (i % 500)}.5`,
      volume: '0.002',
      side: i % 2 ? 'LONG' : 'SHORT',
    },
  } as EventEnvelope;
}

let db: Database;
let repo: EventSinkRepository;
const all = Array.from({ length: N }, (_, i) => event(i));

beforeAll(async () => {
  db = await createTestPglite();
  repo = createEventSinkRepository(db.prisma);
  const sink = createEventSink({ insert: (rows) => repo.insert(rows), batchSize: 2_000, maxBuffered: N + 1 });
  for (const env of all) expect(sink.add(env)).toBe(true);
  await sink.flush();
  expect(sink.stats()).toMatchObject({ buffered: 0, stored: N, dropped: 0 });
}, 300_000);
afterAll(async () => {
  await db.close();
});

describe('event sink with 100k stored events', () => {
  const expectFilter = async (
    filter: Parameters<EventSinkRepository['page']>[0],
    predicate: (e: EventEnvelope) => boolean,
  ) => {
    const expected = all.filter(predicate).sort((a, b) => b.timestamp - a.timestamp);
    const { rows, total } = await repo.page(filter, 2, 50, true);
    expect(total).toBe(expected.length);
    expect(rows.map((r) => r.eventId)).toEqual(expected.slice(50, 100).map((e) => e.eventId));
  };

  it('stores every event once (a redelivered batch is skipped)', async () => {
    expect(await repo.count({})).toBe(N);
    await repo.insert(all.slice(0, 10).map(toSinkRow));
    expect(await repo.count({})).toBe(N);
  });
  it('filters by category', () => expectFilter({ category: 'account' }, (e) => e.type === 'PROVIDER_ACCOUNT_EVENT'));
  it('filters by correlation id (a trade lineage)', () =>
    expectFilter({ correlationId: 'chain-7' }, (e) => e.correlationId === 'chain-7'));
  it('filters by symbol', () => expectFilter({ symbol: 'ETHUSDT' }, (e) => e.symbol === 'ETHUSDT'));
  it('filters by time range', () =>
    expectFilter(
      { from: T0 + 200_000, to: T0 + 400_000 },
      (e) => e.timestamp >= T0 + 200_000 && e.timestamp <= T0 + 400_000,
    ));
  it('searches payload text with wildcards taken literally', async () => {
    await expectFilter({ search: '60499.5' }, (e) => JSON.stringify(e.payload).includes('60499.5'));
    const literal = await repo.page({ search: '50%_off' }, 1, 200, false);
    expect(literal.total).toBe(100);
    expect((await repo.page({ search: '50%' }, 1, 10, false)).total).toBe(100);
    expect((await repo.page({ search: '5_%' }, 1, 10, false)).total).toBe(0);
  });
  it('combines filters', () =>
    expectFilter(
      { category: 'marketdata', symbol: 'BTCUSDT', from: T0 + 100_000, search: 'LONG' },
      (e) => e.symbol === 'BTCUSDT' && e.timestamp >= T0 + 100_000 && JSON.stringify(e.payload).includes('LONG'),
    ));
  it('treats hostile search text as data', async () => {
    expect((await repo.page({ search: "'; DROP TABLE sink_events; --" }, 1, 10, false)).total).toBe(0);
    expect((await repo.page({ search: '.*' }, 1, 10, false)).total).toBe(0);
    expect(await repo.count({})).toBe(N);
  });
  it('keeps user text out of the SQL', () => {
    const w = whereClause({ category: "x' OR 1=1", search: '100%' });
    expect(w.sql).not.toContain('OR 1=1');
    expect(w.params).toEqual(["x' OR 1=1", '%100\\%%']);
    expect(escapeLike('a\\b_c%')).toBe('a\\\\b\\_c\\%');
  });
  it('counts events per category for the dashboard', async () => {
    expect(await repo.countsByCategory(T0 + (N - 100) * 10)).toEqual({ marketdata: 90, account: 10 });
  });
  it('reads the newest live trades of one symbol on one connector and market only', async () => {
    const t = T0 + N * 10;
    const trade = (id: string, marketType: 'spot' | 'futures', timestamp: number, replay = false) =>
      toSinkRow({
        ...template,
        eventId: id,
        timestamp,
        symbol: 'XRPUSDT',
        marketType,
        ...(replay ? { replay } : {}),
        payload: { time: timestamp, symbol: 'XRPUSDT', price: '1', volume: '1', side: 'LONG' },
      } as EventEnvelope);
    await repo.insert([
      trade('xrp-spot-1', 'spot', t),
      trade('xrp-spot-2', 'spot', t + 1),
      trade('xrp-fut-1', 'futures', t + 2),
      trade('xrp-spot-replay', 'spot', t + 3, true),
    ]);
    const spot = await repo.latest(
      'PROVIDER_MARKETDATA_TRADE',
      { connectorType: 'sim', marketType: 'spot', symbol: 'XRPUSDT' },
      10,
    );
    expect(spot.map((r) => r.timestamp)).toEqual([t + 1, t]);
    const futures = await repo.latest(
      'PROVIDER_MARKETDATA_TRADE',
      { connectorType: 'sim', marketType: 'futures', symbol: 'XRPUSDT' },
      10,
    );
    expect(futures.map((r) => r.timestamp)).toEqual([t + 2]);
    expect(
      await repo.latest(
        'PROVIDER_MARKETDATA_TRADE',
        { connectorType: 'binance', marketType: 'spot', symbol: 'XRPUSDT' },
        10,
      ),
    ).toEqual([]);
  });
});
