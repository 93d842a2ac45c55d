import type { Schedule } from '@barfinex/bus';
import pino from 'pino';
import { createTestPglite } from '@barfinex/db/testing';
import type { Database } from '@barfinex/db';
import { EVENT_EXAMPLES } from '@barfinex/events';
import { createFlakyBus } from './flaky-bus.fixture';
import type { FlakyBus } from './flaky-bus.fixture';
import { createEventOutboxRepository } from './outbox.repository';
import type { EventOutboxRepository } from './outbox.repository';
import { createEventPublisher } from './publisher';
import type { OutboxEventPublisher } from './publisher';

const logger = pino({ level: 'silent' });
const ACCOUNT = EVENT_EXAMPLES.PROVIDER_ACCOUNT_EVENT;
const TRADE = EVENT_EXAMPLES.PROVIDER_MARKETDATA_TRADE;

/** Timers that fire only when the test says so; `delays` records what was asked for. */
function manualClock() {
  let tasks: Array<{ fn: () => void; ms: number; cancelled: boolean }> = [];
  const schedule: Schedule = (fn, ms) => {
    const task = { fn, ms, cancelled: false };
    tasks.push(task);
    return () => {
      task.cancelled = true;
    };
  };
  return {
    schedule,
    pending: (): number[] => tasks.filter((t) => !t.cancelled).map((t) => t.ms),
    /** Lets every pending timer's delay pass. */
    fire(): void {
      const due = tasks.filter((t) => !t.cancelled);
      tasks = [];
      for (const t of due) t.fn();
    },
  };
}

let db: Database;
let store: EventOutboxRepository;

beforeAll(async () => {
  db = await createTestPglite();
  store = createEventOutboxRepository(db.prisma);
}, 60_000);
afterAll(() => db.close());
beforeEach(() => db.prisma.eventOutbox.deleteMany());

async function started(bus: FlakyBus, opts: { lost?: string[]; outbox?: EventOutboxRepository } = {}) {
  const clock = manualClock();
  const publisher = createEventPublisher({
    bus,
    outbox: opts.outbox ?? store,
    logger,
    key: 'provider',
    schedule: clock.schedule,
    onLost: (name) => opts.lost?.push(name),
  });
  await publisher.start();
  clock.fire();
  await publisher.idle();
  return { publisher, clock };
}

const emitAccount = (p: OutboxEventPublisher, eventId: string): void =>
  p.emit('PROVIDER_ACCOUNT_EVENT', ACCOUNT, { eventId });
const ids = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
const outboxIds = async (): Promise<string[]> =>
  (await db.prisma.eventOutbox.findMany({ orderBy: { seq: 'asc' } })).map((r) => r.eventId);

describe('the event publisher with its outbox', () => {
  it('publishes straight to the bus when it is connected, writing nothing to the outbox', async () => {
    const bus = createFlakyBus();
    const { publisher, clock } = await started(bus);
    for (const id of ids('ok', 5)) emitAccount(publisher, id);
    publisher.emit('PROVIDER_MARKETDATA_TRADE', TRADE);
    await publisher.settled();
    expect(bus.accepted).toEqual(ids('ok', 5));
    expect(await store.count()).toBe(0);
    expect(publisher.outboxDepth()).toBe(0);
    // No relay timer on the normal path.
    expect(clock.pending()).toEqual([]);
    await publisher.stop();
  });

  it('keeps every durable event emitted while the bus is down and delivers them in order, once each, after it is back', async () => {
    const bus = createFlakyBus();
    const { publisher, clock } = await started(bus);
    emitAccount(publisher, 'before');
    await publisher.settled();
    bus.down();
    for (const id of ids('outage', 30)) emitAccount(publisher, id);
    // Live-only events are still dropped while down, as before: they are worthless once stale.
    publisher.emit('PROVIDER_MARKETDATA_TRADE', TRADE);
    await publisher.settled();
    expect(await outboxIds()).toEqual(ids('outage', 30));
    expect(publisher.outboxDepth()).toBe(30);

    // While the bus says it is down the relay only polls its status, once a second.
    clock.fire();
    await publisher.idle();
    expect(clock.pending()).toEqual([1_000]);
    expect(bus.accepted).toEqual(['before']);

    bus.up();
    emitAccount(publisher, 'after-up');
    clock.fire();
    await publisher.idle();
    expect(bus.accepted).toEqual(['before', ...ids('outage', 30), 'after-up']);
    expect(await store.count()).toBe(0);
    expect(publisher.outboxDepth()).toBe(0);

    // Drained: back to the direct path, no outbox write, no timer.
    emitAccount(publisher, 'direct');
    await publisher.settled();
    expect(bus.accepted.at(-1)).toBe('direct');
    expect(await store.count()).toBe(0);
    expect(clock.pending()).toEqual([]);
    await publisher.stop();
  });

  it('stores an event whose direct publish fails, queues later ones behind it, and retries with backoff', async () => {
    const bus = createFlakyBus();
    const { publisher, clock } = await started(bus);
    bus.failPublishes(true);
    emitAccount(publisher, 'failed');
    await publisher.settled();
    // The bus still says connected, but a row is waiting: the next events must not overtake it.
    emitAccount(publisher, 'queued-1');
    emitAccount(publisher, 'queued-2');
    await publisher.settled();
    expect(await outboxIds()).toEqual(['failed', 'queued-1', 'queued-2']);
    expect(bus.accepted).toEqual([]);

    const delays: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      clock.fire();
      await publisher.idle();
      delays.push(...clock.pending());
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 5_000]);
    expect(await store.count()).toBe(3);

    bus.failPublishes(false);
    clock.fire();
    await publisher.idle();
    expect(bus.accepted).toEqual(['failed', 'queued-1', 'queued-2']);
    expect(await store.count()).toBe(0);
    await publisher.stop();
  });

  it('stops a relay pass at the first failure and resumes from that row', async () => {
    const bus = createFlakyBus();
    const { publisher, clock } = await started(bus);
    bus.down();
    for (const id of ids('row', 5)) emitAccount(publisher, id);
    await publisher.settled();
    bus.up();
    let calls = 0;
    const publishEnvelope = bus.publishEnvelope.bind(bus);
    bus.publishEnvelope = async (env) => {
      calls += 1;
      if (calls === 3) throw new Error('JetStream did not answer');
      return publishEnvelope(env);
    };
    clock.fire();
    await publisher.idle();
    expect(bus.accepted).toEqual(['row-0', 'row-1']);
    expect(await outboxIds()).toEqual(['row-2', 'row-3', 'row-4']);
    clock.fire();
    await publisher.idle();
    expect(bus.accepted).toEqual(ids('row', 5));
    expect(await store.count()).toBe(0);
    await publisher.stop();
  });

  it('delivers, after a restart, the events an earlier run left in the outbox, before any new one', async () => {
    const first = createFlakyBus();
    const run1 = await started(first);
    first.down();
    for (const id of ids('left', 4)) emitAccount(run1.publisher, id);
    await run1.publisher.stop();
    expect(await outboxIds()).toEqual(ids('left', 4));

    const second = createFlakyBus();
    const clock = manualClock();
    const publisher = createEventPublisher({
      bus: second,
      outbox: store,
      logger,
      key: 'provider',
      schedule: clock.schedule,
    });
    // Emitted before start has looked at the outbox: it waits behind what is there.
    emitAccount(publisher, 'early');
    await publisher.start();
    clock.fire();
    await publisher.idle();
    expect(second.accepted).toEqual([...ids('left', 4), 'early']);
    expect(await store.count()).toBe(0);
    await publisher.stop();
  });

  it('logs and counts an event as lost only when the outbox write fails too', async () => {
    const bus = createFlakyBus();
    const lost: string[] = [];
    const broken: EventOutboxRepository = { ...store, append: () => Promise.reject(new Error('database is down')) };
    const { publisher } = await started(bus, { lost, outbox: broken });
    bus.down();
    emitAccount(publisher, 'doomed');
    await publisher.settled();
    expect(lost).toEqual(['PROVIDER_ACCOUNT_EVENT']);
    await publisher.stop();
  });

  it('stop waits for outbox writes in flight', async () => {
    const bus = createFlakyBus();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow: EventOutboxRepository = {
      ...store,
      append: async (envs, now) => (await gate, store.append(envs, now)),
    };
    const { publisher } = await started(bus, { outbox: slow });
    bus.down();
    emitAccount(publisher, 'slow');
    let stopped = false;
    const stopping = publisher.stop().then(() => (stopped = true));
    await Promise.resolve();
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(await outboxIds()).toEqual(['slow']);
  });
});
