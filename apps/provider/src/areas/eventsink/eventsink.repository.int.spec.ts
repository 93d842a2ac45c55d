import { describeOnBothDatabases } from '../../testing/both-databases';
import { createEventSinkRepository } from './eventsink.repository';
import type { SinkRow } from './eventsink.repository';

const T0 = Date.UTC(2026, 0, 5);

function row(i: number, overrides: Partial<SinkRow> = {}): SinkRow {
  return {
    eventId: `e-${i}`,
    type: 'PROVIDER_ORDER_CREATE',
    category: 'order',
    action: 'create',
    source: 'provider',
    symbol: i % 2 === 0 ? 'ETHUSDT' : null,
    connectorType: i % 2 === 0 ? 'sim' : null,
    marketType: i % 2 === 0 ? 'spot' : null,
    timestamp: T0 + i,
    correlationId: i % 3 === 0 ? null : `corr-${i}`,
    causationId: null,
    replay: i % 4 === 0,
    payload: {
      id: `o-${i}`,
      note: 'quotes " and \\ backslashes, {braces}, ü',
      qty: '0.01',
      fills: [1, null, { a: true }],
    },
    key: i % 5 === 0 ? null : 'provider',
    ...overrides,
  };
}

describeOnBothDatabases('event sink repository', (db) => {
  it('stores a batch as given, nulls and payloads included, and skips what is already stored', async () => {
    const repo = createEventSinkRepository(db().prisma, { pool: db().pool });
    const rows = Array.from({ length: 40 }, (_, i) => row(i));
    rows.push(row(40, { payload: undefined }));
    expect(await repo.insert(rows)).toEqual(rows.map((r) => r.eventId));
    // A redelivery stores nothing again; only the new row of a mixed batch is answered.
    expect(await repo.insert([row(3), row(41)])).toEqual(['e-41']);

    const { rows: stored, total } = await repo.page({}, 1, 100, true);
    expect(total).toBe(42);
    const byId = new Map(stored.map((v) => [v.eventId, v]));
    for (const r of [...rows, row(41)]) {
      const v = byId.get(r.eventId);
      expect(v).toMatchObject({
        type: r.type,
        category: r.category,
        action: r.action,
        source: r.source,
        timestamp: r.timestamp,
        replay: r.replay,
        payload: r.payload ?? null,
      });
      expect(v?.symbol).toBe(r.symbol ?? undefined);
      expect(v?.connectorType).toBe(r.connectorType ?? undefined);
      expect(v?.correlationId).toBe(r.correlationId ?? undefined);
      expect(v?.key).toBe(r.key ?? undefined);
    }
  });

  it('answers the event time of the newest stored event of some types, replays and other types aside', async () => {
    const repo = createEventSinkRepository(db().prisma, { pool: db().pool });
    const own = ['PROVIDER_ORDER_CLOSE', 'PROVIDER_ACCOUNT_EVENT'] as const;
    expect(await repo.newestOf(own)).toBeUndefined();
    await repo.insert([
      row(100, {
        eventId: 'n-1',
        type: 'PROVIDER_ORDER_CLOSE',
        category: 'order',
        action: 'close',
        timestamp: T0 + 500,
        replay: false,
      }),
      row(101, {
        eventId: 'n-2',
        type: 'PROVIDER_ACCOUNT_EVENT',
        category: 'account',
        action: 'event',
        timestamp: T0 + 700,
        replay: false,
      }),
      // Newer, but a replay, or another type of the same category, or market data.
      row(102, {
        eventId: 'n-3',
        type: 'PROVIDER_ACCOUNT_EVENT',
        category: 'account',
        action: 'event',
        timestamp: T0 + 900,
        replay: true,
      }),
      row(103, {
        eventId: 'n-4',
        type: 'PROVIDER_ORDER_CREATE',
        category: 'order',
        action: 'create',
        timestamp: T0 + 950,
        replay: false,
      }),
      row(104, {
        eventId: 'n-5',
        type: 'PROVIDER_MARKETDATA_TRADE',
        category: 'marketdata',
        action: 'trade',
        timestamp: T0 + 990,
        replay: false,
      }),
    ]);
    expect(await repo.newestOf(own)).toBe(T0 + 700);
    expect(await repo.newestOf(['PROVIDER_ORDER_CLOSE'])).toBe(T0 + 500);
  });
});
