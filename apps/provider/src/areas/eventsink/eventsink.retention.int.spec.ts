import { eventually } from '@barfinex/testing';
import { describeOnBothDatabases } from '../../testing/both-databases';
import { createEventSinkRepository } from './eventsink.repository';
import type { SinkRow } from './eventsink.repository';
import { createSinkRetention } from './eventsink.retention';

const NOW = Date.UTC(2026, 11, 7, 12);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const KINDS = {
  candle: { type: 'PROVIDER_MARKETDATA_CANDLE', category: 'marketdata', action: 'candle' },
  prices: { type: 'PROVIDER_SYMBOL_PRICES', category: 'symbols', action: 'prices' },
  order: { type: 'PROVIDER_ORDER_CLOSE', category: 'order', action: 'close' },
  signal: { type: 'DETECTOR_SIGNAL', category: 'signal', action: 'signal' },
} as const;

function row(eventId: string, kind: keyof typeof KINDS, ageMs: number): SinkRow {
  return {
    eventId,
    ...KINDS[kind],
    source: 'provider',
    symbol: 'ETHUSDT',
    connectorType: 'sim',
    marketType: 'spot',
    timestamp: NOW - ageMs,
    correlationId: null,
    causationId: null,
    replay: false,
    payload: { eventId },
    key: 'provider',
  };
}

describeOnBothDatabases('event sink retention', (db) => {
  const repo = () => createEventSinkRepository(db().prisma, { pool: db().pool });
  const stored = async () => (await repo().page({}, 1, 1_000, false)).rows.map((r) => r.eventId).sort();

  beforeEach(async () => {
    await db().prisma.$executeRawUnsafe('DELETE FROM sink_events');
  });

  it('deletes market data past its horizon and every other event past its own, and nothing younger', async () => {
    await repo().insert([
      row('candle-2d', 'candle', 2 * DAY),
      row('candle-1h', 'candle', HOUR),
      row('prices-25h', 'prices', 25 * HOUR),
      row('prices-now', 'prices', 0),
      row('order-100d', 'order', 100 * DAY),
      row('order-2d', 'order', 2 * DAY),
      row('signal-91d', 'signal', 91 * DAY),
      row('signal-89d', 'signal', 89 * DAY),
    ]);
    const pruned: unknown[] = [];
    const retention = createSinkRetention({
      repo: repo(),
      now: () => NOW,
      marketKeepMs: DAY,
      keepMs: 90 * DAY,
      onPruned: (counts) => pruned.push(counts),
    });
    expect(await retention.runOnce()).toEqual({ marketdata: 2, other: 2, more: false });
    expect(await stored()).toEqual(['candle-1h', 'order-2d', 'prices-now', 'signal-89d']);
    expect(pruned).toEqual([{ marketdata: 2, other: 2 }]);
    // Nothing left past a horizon: a round deletes nothing and reports nothing.
    expect(await retention.runOnce()).toEqual({ marketdata: 0, other: 0, more: false });
    expect(pruned).toHaveLength(1);
  });

  it('works a backlog off in batches, at most a round’s cap at a time, and says when some is left', async () => {
    await repo().insert(Array.from({ length: 8 }, (_, i) => row(`old-${i}`, 'candle', 2 * DAY + i)));
    await repo().insert([row('young', 'candle', HOUR)]);
    const statements: number[] = [];
    const counting = repo();
    const retention = createSinkRetention({
      repo: {
        prune: async (...args) => {
          const n = await counting.prune(...args);
          statements.push(n);
          return n;
        },
      },
      now: () => NOW,
      marketKeepMs: DAY,
      keepMs: 0,
      batch: 3,
      maxPerRound: 5,
    });
    expect(await retention.runOnce()).toEqual({ marketdata: 5, other: 0, more: true });
    expect(statements).toEqual([3, 2]);
    expect(await retention.runOnce()).toEqual({ marketdata: 3, other: 0, more: false });
    expect(await stored()).toEqual(['young']);
  });

  it('keeps a kind for ever when its horizon is 0, and touches nothing with both at 0', async () => {
    await repo().insert([row('candle-400d', 'candle', 400 * DAY), row('order-400d', 'order', 400 * DAY)]);
    const onlyMarket = createSinkRetention({ repo: repo(), now: () => NOW, marketKeepMs: DAY, keepMs: 0 });
    expect(await onlyMarket.runOnce()).toEqual({ marketdata: 1, other: 0, more: false });
    expect(await stored()).toEqual(['order-400d']);

    const never = createSinkRetention({
      repo: { prune: () => Promise.reject(new Error('a round ran')) },
      now: () => NOW,
      marketKeepMs: 0,
      keepMs: 0,
    });
    never.start();
    expect(await never.runOnce()).toEqual({ marketdata: 0, other: 0, more: false });
    await never.stop();
  });

  it('runs its first round as it starts and goes on after a round that failed', async () => {
    await repo().insert([row('candle-2d', 'candle', 2 * DAY), row('order-2d', 'order', 2 * DAY)]);
    const errors: unknown[] = [];
    let calls = 0;
    const real = repo();
    const retention = createSinkRetention({
      repo: {
        prune: (...args) => (++calls === 1 ? Promise.reject(new Error('database restarting')) : real.prune(...args)),
      },
      now: () => NOW,
      marketKeepMs: DAY,
      keepMs: DAY,
      everyMs: 10,
      onError: (err) => errors.push(err),
    });
    retention.start();
    try {
      await eventually(async () => expect(await stored()).toEqual([]));
      expect(errors).toEqual([new Error('database restarting')]);
    } finally {
      await retention.stop();
    }
  });
});

describe('event sink retention stopping', () => {
  it('ends a running round after its current batch when it stops, backlog or not', async () => {
    let release: () => void = () => undefined;
    const calls: number[] = [];
    const retention = createSinkRetention({
      repo: {
        prune: async (_before, _categories, limit) => {
          calls.push(limit);
          if (calls.length === 1) await new Promise<void>((resolve) => (release = resolve));
          return limit;
        },
      },
      now: () => NOW,
      marketKeepMs: DAY,
      keepMs: DAY,
      batch: 10,
    });
    retention.start();
    await eventually(() => expect(calls).toEqual([10]));
    const stopped = retention.stop();
    release();
    await stopped;
    // The first kind's batch finished; neither its next batch nor the other kind ran.
    expect(calls).toEqual([10]);
  });
});
