import pino from 'pino';
import { createMemoryBus, createNatsBus } from '@barfinex/bus';
import { createEnvelope } from '@barfinex/events';
import type { Bus } from '@barfinex/bus';
import { createDatabase } from '@barfinex/db';
import type { Database, PrismaClient } from '@barfinex/db';
import { createMetrics } from '@barfinex/service-kit';
import { createTestDatabase, deleteNatsStream, describeWithNats, describeWithPostgres } from '@barfinex/testing';
import type { TestDatabase } from '@barfinex/testing';
import { createEventSinkModule } from './eventsink.module';
import type { EventSinkModule } from './eventsink.module';

const T0 = Date.UTC(2026, 0, 5);
const TRADES = 5_000;
const ACCOUNT_EVERY = 25;

async function eventually(check: () => void | Promise<void>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/** The real client, except that inserts throw while `outage.down` is set (the server went away). */
function failingWrites(prisma: PrismaClient, outage: { down: boolean; refused: number }): PrismaClient {
  return new Proxy(prisma, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if ((prop !== '$executeRawUnsafe' && prop !== '$queryRawUnsafe') || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (outage.down && /^\s*INSERT/i.test(String(args[0]))) {
          outage.refused += 1;
          return Promise.reject(new Error('Connection terminated unexpectedly'));
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

describeWithPostgres('event sink through a database outage (PostgreSQL)', () => {
  let pg: TestDatabase;
  let db: Database;
  let bus: Bus;
  let sinkModule: EventSinkModule;
  const outage = { down: false, refused: 0 };
  const shown: string[] = [];

  beforeAll(async () => {
    pg = await createTestDatabase('eventsink_outage');
    db = await createDatabase({ url: pg.url });
    bus = createMemoryBus();
    sinkModule = createEventSinkModule({
      prisma: failingWrites(db.prisma, outage),
      bus,
      logger: pino({ level: 'silent' }),
      metrics: createMetrics({ service: 'eventsink-test' }),
      enabled: true,
      durable: 'eventsink-outage',
      batchSize: 200,
      flushMs: 20,
      maxBuffered: 100_000,
    });
    await sinkModule.start((record) => shown.push(record.eventId));
  }, 60_000);
  afterAll(async () => {
    await sinkModule?.stop();
    await bus?.close();
    await db?.close();
    await pg?.drop();
  });

  it('stores every event published before, during and after the outage', async () => {
    const publish = async (i: number) => {
      await bus.publish(
        'PROVIDER_MARKETDATA_TRADE',
        { time: T0 + i, symbol: i % 2 ? 'BTCUSDT' : 'ETHUSDT', price: '100.5', volume: '0.1', side: 'LONG' },
        { connectorType: 'sim', marketType: 'spot' },
      );
      if (i % ACCOUNT_EVERY === 0) {
        // An own durable event goes as the provider's publisher sends it: tapped, then published.
        const env = createEnvelope(
          'PROVIDER_ACCOUNT_EVENT',
          { eventType: 'ORDER_TRADE_UPDATE', eventTime: T0 + i, options: { i } },
          { connectorType: 'sim', marketType: 'spot' },
        );
        sinkModule.tap(env);
        await bus.publishEnvelope(env, { validated: true });
      }
    };
    for (let i = 0; i < TRADES / 2; i++) await publish(i);
    outage.down = true;
    for (let i = TRADES / 2; i < TRADES; i++) await publish(i);
    // Writes keep failing and being retried while the database is away.
    await eventually(() => expect(sinkModule.sink.stats().failures).toBeGreaterThanOrEqual(3));
    expect(sinkModule.sink.stats().buffered).toBeGreaterThan(0);
    outage.down = false;

    const expected = TRADES + TRADES / ACCOUNT_EVERY;
    await eventually(async () => expect(await sinkModule.repo.count({})).toBe(expected));
    expect(await sinkModule.repo.count({ category: 'account' })).toBe(TRADES / ACCOUNT_EVERY);
    expect(outage.refused).toBeGreaterThanOrEqual(3);
    expect(sinkModule.sink.stats()).toMatchObject({ buffered: 0, dropped: 0, failures: 0 });
    const rows = await db.prisma.$queryRawUnsafe<Array<{ n: bigint }>>(
      `SELECT count(DISTINCT event_id) AS n FROM sink_events`,
    );
    expect(Number(rows[0]?.n)).toBe(expected);
  }, 120_000);

  it('shows a durable event redelivered after it was stored (its ack lost in a bus outage) once, not twice', async () => {
    const env = createEnvelope(
      'PROVIDER_ACCOUNT_EVENT',
      { eventType: 'ORDER_TRADE_UPDATE', eventTime: T0, options: { redelivered: true } },
      { connectorType: 'sim', marketType: 'spot' },
    );
    await sinkModule.sink.addDurable(env);
    // The stream delivers it again: stored already, so acknowledged, but not shown again.
    await sinkModule.sink.addDurable(env);
    const after = createEnvelope(
      'PROVIDER_ACCOUNT_EVENT',
      { eventType: 'ORDER_TRADE_UPDATE', eventTime: T0 + 1, options: {} },
      { connectorType: 'sim', marketType: 'spot' },
    );
    await sinkModule.sink.addDurable(after);
    expect(shown.filter((id) => id === env.eventId || id === after.eventId)).toEqual([env.eventId, after.eventId]);
    expect(new Set(shown).size).toBe(shown.length);
  }, 60_000);
});

/** An own durable event as the provider's publisher builds it. */
const accountEvent = (i: number) =>
  createEnvelope(
    'PROVIDER_ACCOUNT_EVENT',
    { eventType: 'ORDER_TRADE_UPDATE', eventTime: T0 + i, options: { i } },
    { connectorType: 'sim', marketType: 'spot', key: 'provider' },
  );

describeWithNats('event sink: own events it missed are read back from the stream', () => {
  describeWithPostgres('on PostgreSQL', () => {
    const id = `${Date.now().toString(36)}${Math.random().toString(16).slice(2, 8)}`;
    let pg: TestDatabase;
    let db: Database;
    let bus: Bus;
    const outage = { down: false, refused: 0 };
    const modules: EventSinkModule[] = [];
    const open = async (maxBuffered = 100_000, shown: string[] = []) => {
      const m = createEventSinkModule({
        prisma: failingWrites(db.prisma, outage),
        bus,
        logger: pino({ level: 'silent' }),
        metrics: createMetrics({ service: 'eventsink-catchup-test' }),
        enabled: true,
        durable: `catchup-${id}`,
        batchSize: 50,
        flushMs: 20,
        maxBuffered,
      });
      modules.push(m);
      await m.start((record) => shown.push(record.eventId));
      return m;
    };
    const stored = async (ids: string[]) =>
      Number(
        (
          await db.prisma.$queryRawUnsafe<Array<{ n: bigint }>>(
            `SELECT count(*) AS n FROM sink_events WHERE event_id = ANY($1::text[])`,
            ids,
          )
        )[0]?.n,
      );

    beforeAll(async () => {
      pg = await createTestDatabase('eventsink_catchup');
      db = await createDatabase({ url: pg.url });
      bus = await createNatsBus({
        servers: process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222',
        subjectPrefix: `bfxcatch.${id}`,
        streamName: `BFXCATCH_${id}`,
        echo: false,
      });
    }, 60_000);
    afterEach(async () => {
      outage.down = false;
      for (const m of modules.splice(0)) await m.stop();
    });
    afterAll(async () => {
      await bus?.close();
      await deleteNatsStream(`BFXCATCH_${id}`, process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222');
      await db?.close();
      await pg?.drop();
    });

    it('after a crash, the next start stores what the last run published but never stored, each once', async () => {
      const first = await open();
      const before = Array.from({ length: 10 }, (_, i) => accountEvent(i));
      for (const env of before) {
        first.tap(env);
        await bus.publishEnvelope(env, { validated: true });
      }
      await first.sink.flush();
      expect(await stored(before.map((e) => e.eventId))).toBe(10);
      // The crash: published to the stream, but the tapped rows died with the process's buffer.
      const lost = Array.from({ length: 40 }, (_, i) => accountEvent(100 + i));
      for (const env of lost) await bus.publishEnvelope(env, { validated: true });
      await first.stop();
      expect(await stored(lost.map((e) => e.eventId))).toBe(0);

      const shown: string[] = [];
      const next = await open(100_000, shown);
      await next.caughtUp();
      expect(await stored(lost.map((e) => e.eventId))).toBe(40);
      expect(await stored(before.map((e) => e.eventId))).toBe(10);
      // Shown once each on /eventsink; the ten stored before are not shown again.
      expect(shown.sort()).toEqual(lost.map((e) => e.eventId).sort());
    }, 60_000);

    it('what a full buffer turned away during a database outage is stored once the buffer has room', async () => {
      const m = await open(100);
      outage.down = true;
      const events = Array.from({ length: 300 }, (_, i) => accountEvent(1_000 + i));
      for (const env of events) {
        m.tap(env);
        await bus.publishEnvelope(env, { validated: true });
      }
      expect(m.sink.stats().buffered).toBe(100);
      outage.down = false;
      await m.sink.flush();
      await eventually(async () => {
        await m.caughtUp();
        expect(await stored(events.map((e) => e.eventId))).toBe(300);
      });
    }, 60_000);
  });
});
