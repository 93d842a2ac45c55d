import { createEnvelope } from '@barfinex/events';
import type { EventEnvelope } from '@barfinex/events';
import { SinkFullError, createEventSink } from './event-sink';
import type { SinkRow } from './eventsink.repository';

const T0 = Date.UTC(2026, 0, 5);
const trade = (i: number) =>
  createEnvelope(
    'PROVIDER_MARKETDATA_TRADE',
    { time: T0 + i, symbol: 'BTCUSDT', price: '100', volume: '1', side: 'LONG' },
    { eventId: `t${i}`, timestamp: T0 + i },
  );
const fill = (i: number) =>
  createEnvelope(
    'PROVIDER_ACCOUNT_EVENT',
    { eventType: 'ORDER_TRADE_UPDATE', eventTime: T0 + i, options: {} },
    { eventId: `a${i}`, timestamp: T0 + i, connectorType: 'sim', marketType: 'spot' },
  );

async function eventually(check: () => void, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}

/** An insert that fails while `down` is set, like a database that went away. */
function flakyStore() {
  const stored = new Map<string, SinkRow>();
  const state = { down: false, calls: 0 };
  return {
    stored,
    state,
    insert: async (rows: readonly SinkRow[]) => {
      state.calls += 1;
      if (state.down) throw new Error('connection refused');
      const fresh = rows.filter((r) => !stored.has(r.eventId));
      for (const r of fresh) stored.set(r.eventId, r);
      return fresh.map((r) => r.eventId);
    },
  };
}

describe('event sink buffer', () => {
  it('writes full batches at once and the rest on the timer, each event once', async () => {
    const store = flakyStore();
    const sink = createEventSink({ insert: store.insert, batchSize: 10, flushMs: 5 });
    for (let i = 0; i < 25; i++) sink.add(trade(i));
    sink.add(trade(3));
    await eventually(() => expect(store.stored.size).toBe(25));
    expect(sink.stats()).toMatchObject({ buffered: 0, stored: 25, dropped: 0 });
  });

  it('writes the durable events this process emitted in one batch, and their bus deliveries cost no write', async () => {
    const store = flakyStore();
    const sink = createEventSink({ insert: store.insert, batchSize: 100, flushMs: 60_000 });
    const events = [fill(1), fill(2), fill(3), fill(4), fill(5)];
    for (const env of events) sink.tap(env);
    expect(store.state.calls).toBe(0);
    // The first delivery from the bus writes everything tapped so far, together.
    await sink.addDurable(events[0] as EventEnvelope);
    expect(store.state.calls).toBe(1);
    expect([...store.stored.keys()]).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
    for (const env of events.slice(1)) await sink.addDurable(env);
    expect(store.state.calls).toBe(1);
    expect(sink.stats()).toMatchObject({ buffered: 0, stored: 5 });
  });

  it("waits a moment before writing for tapped deliveries, so concurrent orders share one write; another app's event goes at once", async () => {
    jest.useFakeTimers({ now: T0 });
    try {
      const store = flakyStore();
      const sink = createEventSink({ insert: store.insert, batchSize: 100, flushMs: 60_000, tappedFlushMs: 25 });
      for (const i of [1, 2, 3]) sink.tap(fill(i));
      const first = sink.addDurable(fill(1));
      // Other orders emit while the first delivery waits: their rows join the same write.
      for (const i of [4, 5]) sink.tap(fill(i));
      const later = sink.addDurable(fill(4));
      expect(store.state.calls).toBe(0);
      await jest.advanceTimersByTimeAsync(25);
      await Promise.all([first, later]);
      expect(store.state.calls).toBe(1);
      expect([...store.stored.keys()]).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
      // Not tapped here: it blocks its stream until stored, so it is written without waiting.
      const foreign = sink.addDurable(fill(9));
      expect(store.state.calls).toBe(2);
      await foreign;
      await sink.close();
    } finally {
      jest.useRealTimers();
    }
  });

  it('keeps buffering while the database is down and loses nothing once it is back', async () => {
    const store = flakyStore();
    const errors: number[] = [];
    const sink = createEventSink({
      insert: store.insert,
      batchSize: 50,
      flushMs: 5,
      retryMs: 5,
      maxRetryMs: 20,
      onWriteError: (_e, info) => errors.push(info.retryInMs),
    });
    store.state.down = true;
    for (let i = 0; i < 120; i++) sink.add(trade(i));
    const durable = sink.addDurable(fill(1));
    await eventually(() => expect(errors.length).toBeGreaterThanOrEqual(4));
    expect(errors.slice(0, 3)).toEqual([5, 10, 20]);
    expect(sink.stats()).toMatchObject({ buffered: 121, stored: 0 });
    store.state.down = false;
    await durable;
    await eventually(() => expect(store.stored.size).toBe(121));
    expect(sink.stats()).toMatchObject({ buffered: 0, stored: 121, dropped: 0, failures: 0 });
  });

  it('counts market data over the cap as dropped and refuses durable events so the bus redelivers them', async () => {
    const store = flakyStore();
    store.state.down = true;
    const dropped: number[] = [];
    const sink = createEventSink({
      insert: store.insert,
      batchSize: 5,
      flushMs: 5,
      retryMs: 5,
      maxBuffered: 10,
      onDropped: (_r, n) => dropped.push(n),
    });
    for (let i = 0; i < 12; i++) sink.add(trade(i));
    expect(dropped).toEqual([1, 2]);
    await expect(sink.addDurable(fill(1))).rejects.toBeInstanceOf(SinkFullError);
    expect(sink.stats()).toMatchObject({ buffered: 10, dropped: 2 });
  });

  it('refuses a durable event not stored in time, and still stores it later', async () => {
    const store = flakyStore();
    store.state.down = true;
    const sink = createEventSink({ insert: store.insert, flushMs: 5, retryMs: 5, maxRetryMs: 5, durableTimeoutMs: 30 });
    await expect(sink.addDurable(fill(7))).rejects.toThrow(/not stored within 30 ms/);
    store.state.down = false;
    await eventually(() => expect(store.stored.has('a7')).toBe(true));
    // The redelivery of the same event is then acknowledged without a second row.
    await sink.addDurable(fill(7) as EventEnvelope);
    await sink.close();
    expect(store.stored.size).toBe(1);
  });

  it('writes a durable event added while a write is finishing right after it, not on the flush timer', async () => {
    // However many microtask hops after the previous write's insert resolved the event arrives, it
    // is written at once: the flush timer (an hour here) never has to fire.
    for (let hops = 0; hops < 6; hops++) {
      const stored: string[] = [];
      let release: () => void = () => undefined;
      let first = true;
      const sink = createEventSink({
        flushMs: 3_600_000,
        durableTimeoutMs: 2_000,
        insert: async (rows) => {
          if (first) {
            first = false;
            await new Promise<void>((r) => (release = r));
          }
          stored.push(...rows.map((r) => r.eventId));
          return rows.map((r) => r.eventId);
        },
      });
      const firstDone = sink.addDurable(fill(0));
      release();
      for (let i = 0; i < hops; i++) await Promise.resolve();
      await sink.addDurable(fill(1));
      await firstDone;
      expect(stored).toEqual(['a0', 'a1']);
      await sink.close();
    }
  });

  it('marks rows replayed when the envelope says so', async () => {
    const store = flakyStore();
    const sink = createEventSink({ insert: store.insert, flushMs: 5 });
    sink.add({ ...trade(1), replay: true } as EventEnvelope);
    await sink.close();
    expect(store.stored.get('t1')?.replay).toBe(true);
  });

  it('reports a redelivered event that was already stored as nothing new, so it is shown once', async () => {
    const store = flakyStore();
    const shown: string[] = [];
    const sink = createEventSink({
      insert: store.insert,
      flushMs: 5,
      onStored: (rows) => shown.push(...rows.map((r) => r.eventId)),
    });
    await sink.addDurable(fill(1));
    // The bus never got the ack (an outage), so it delivers the same event again.
    await sink.addDurable(fill(1));
    await sink.addDurable(fill(2));
    await sink.close();
    expect(shown).toEqual(['a1', 'a2']);
  });
});
