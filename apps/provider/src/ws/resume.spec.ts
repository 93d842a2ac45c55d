import type { Socket } from 'socket.io-client';
import type { EventHistory, StoredEvent } from './resume';
import { RecentIds } from './resume';
import type { SinkRecord } from './sink-record';
import type { WsBridge } from './ws.bridge';
import { startTestBridge } from './ws.testing';
import type { TestBridge } from './ws.testing';

const TOKEN = 'resume-test-token';

const record = (n: number, type = 'PROVIDER_ORDER_CREATE', symbol = 'BTCUSDT'): SinkRecord => ({
  eventId: `e-${n}`,
  category: 'order',
  action: 'create',
  eventType: 'order.create',
  type,
  source: 'PROVIDER',
  symbol,
  timestamp: 1_000 + n,
  replay: false,
  data: { n },
});

/** The event sink's store in memory: row order is storage order. */
function memoryHistory() {
  const rows: StoredEvent[] = [];
  let beforeRead: (() => void) | undefined;
  const history: EventHistory = {
    position: async (eventId) => rows.find((r) => r.record.eventId === eventId)?.position,
    after: async (position, types, limit) => {
      const hook = beforeRead;
      beforeRead = undefined;
      hook?.();
      return rows.filter((r) => r.position > position && (!types || types.includes(r.record.type))).slice(0, limit);
    },
  };
  return {
    history,
    store: (rec: SinkRecord) => rows.push({ position: rows.length + 1, record: rec }),
    /** Runs once, just before the next page is read (a write landing while a replay runs). */
    beforeNextRead: (fn: () => void) => (beforeRead = fn),
  };
}

const mem = memoryHistory();
let t: TestBridge;
let bridge: WsBridge;

/** What the event sink does: store the row, then hand the record to the bridge. */
function stored(rec: SinkRecord): void {
  mem.store(rec);
  bridge.emitSinkRecord(rec);
}

beforeAll(async () => {
  t = await startTestBridge(TOKEN, { persistedSinkFeed: true, history: mem.history, replayPageSize: 3 });
  bridge = t.bridge;
});
afterAll(() => t.close());

const connect = (namespace = '', auth: Record<string, unknown> = {}): Promise<Socket> => t.connect(namespace, auth);

describe('resume on the default namespace', () => {
  it('sends the stored events after the last one seen that match, then live ones, each once and in storage order', async () => {
    for (let n = 1; n <= 5; n++) stored(record(n));
    stored(record(6, 'PROVIDER_ORDER_CREATE', 'ETHUSDT'));
    stored(record(7, 'PROVIDER_ORDER_CLOSE'));
    for (let n = 8; n <= 10; n++) stored(record(n));

    const socket = await connect();
    const seen: string[] = [];
    socket.on('PROVIDER_ORDER_CREATE', (env: { eventId: string }) => seen.push(env.eventId));
    // While the first page is read, one event already stored is handed over again (it was in flight)
    // and a new one is stored: the first must not repeat, the second must not be lost.
    mem.beforeNextRead(() => {
      bridge.emitSinkRecord(record(10));
      stored(record(11));
    });
    const reply = (await socket.emitWithAck('resume', {
      after: 'e-2',
      subscriptions: [{ events: ['PROVIDER_ORDER_CREATE'], symbols: ['BTCUSDT'] }],
    })) as Record<string, unknown>;
    expect(reply).toMatchObject({
      ok: true,
      resumed: { replayed: 7, complete: true },
      subscribed: { events: [], symbols: { PROVIDER_ORDER_CREATE: ['BTCUSDT'] } },
    });

    stored(record(12));
    stored(record(13, 'PROVIDER_ORDER_CREATE', 'ETHUSDT'));
    stored(record(14));
    // Events reach one client in order: the health answer arrives after everything emitted before it.
    const answered = new Promise((resolve) => socket.once('health:ok', resolve));
    socket.emit('health');
    await answered;
    expect(seen).toEqual(['e-3', 'e-4', 'e-5', 'e-8', 'e-9', 'e-10', 'e-11', 'e-12', 'e-14']);
  });

  it('reports a gap when the last event seen is not stored, and goes live', async () => {
    const socket = await connect();
    const reply = await socket.emitWithAck('resume', {
      after: 'never-stored',
      subscriptions: [{ events: ['PROVIDER_ORDER_CLOSE'] }],
    });
    expect(reply).toMatchObject({ ok: true, resumed: { replayed: 0, complete: false, reason: 'UNKNOWN_EVENT' } });
    const next = new Promise<string>((resolve) =>
      socket.once('PROVIDER_ORDER_CLOSE', (env: { eventId: string }) => resolve(env.eventId)),
    );
    stored(record(20, 'PROVIDER_ORDER_CLOSE'));
    expect(await next).toBe('e-20');
  });

  it('stops at maxReplay and says so', async () => {
    const m = memoryHistory();
    for (let n = 1; n <= 6; n++) m.store(record(n));
    const capped = await startTestBridge(TOKEN, {
      persistedSinkFeed: true,
      history: m.history,
      maxReplay: 2,
      replayPageSize: 2,
    });
    try {
      const socket = await capped.connect();
      const reply = await socket.emitWithAck('resume', {
        after: 'e-1',
        subscriptions: [{ events: ['PROVIDER_ORDER_CREATE'] }],
      });
      expect(reply).toMatchObject({ ok: true, resumed: { replayed: 2, complete: false, reason: 'LIMIT' } });
    } finally {
      await capped.close();
    }
  });

  it('refuses a resume after other subscriptions on the same connection', async () => {
    const socket = await connect();
    await socket.emitWithAck('subscribe', { events: ['PROVIDER_ORDER_CREATE'] });
    expect(await socket.emitWithAck('resume', { after: 'e-1', subscriptions: [] })).toMatchObject({
      ok: false,
      error: { code: 'RESUME_NOT_FIRST' },
    });
  });
});

describe('/eventsink', () => {
  it('never shows one eventId twice, also when the same stored record is handed over again', async () => {
    const socket = await connect('/eventsink');
    const seen: string[] = [];
    socket.on('event', (r: SinkRecord) => seen.push(r.eventId));
    const last = new Promise<void>((resolve) =>
      socket.on('event', (r: SinkRecord) => r.eventId === 'e-32' && resolve()),
    );
    stored(record(30));
    bridge.emitSinkRecord(record(30));
    stored(record(31));
    bridge.emitSinkRecord(record(31));
    stored(record(32));
    await last;
    expect(seen).toEqual(['e-30', 'e-31', 'e-32']);
  });

  it('resumes after auth.lastEventId with the stored records after it, then live', async () => {
    const socket = t.client('/eventsink', { lastEventId: 'e-30' });
    const seen: string[] = [];
    socket.on('event', (r: SinkRecord) => seen.push(r.eventId));
    const resumed = await new Promise<unknown>((resolve) => socket.once('resumed', resolve));
    expect(resumed).toEqual({ replayed: 2, complete: true });
    const live = new Promise<void>((resolve) =>
      socket.on('event', (r: SinkRecord) => r.eventId === 'e-33' && resolve()),
    );
    stored(record(33));
    await live;
    expect(seen).toEqual(['e-31', 'e-32', 'e-33']);
  });
});

describe('RecentIds', () => {
  it('remembers the last ids up to its capacity', () => {
    const recent = new RecentIds(2);
    expect([
      recent.add('a'),
      recent.add('a'),
      recent.add('b'),
      recent.add('c'),
      recent.add('a'),
      recent.add('c'),
    ]).toEqual([true, false, true, true, true, false]);
  });
});
