import pino from 'pino';
import { createMemoryBus } from '@barfinex/bus';
import type { Bus } from '@barfinex/bus';
import { createTestPglite } from '@barfinex/db/testing';
import type { Database } from '@barfinex/db';
import { createEnvelope } from '@barfinex/events';
import { createMetrics } from '@barfinex/service-kit';
import { CATCH_UP_MARGIN_MS, OWN_DURABLE_EVENTS, createEventSinkModule } from './eventsink.module';

const T0 = Date.UTC(2026, 0, 5);
const trade = (i: number) =>
  createEnvelope(
    'PROVIDER_MARKETDATA_TRADE',
    { time: T0 + i, symbol: 'BTCUSDT', price: '100.5', volume: '0.1', side: 'LONG' },
    { connectorType: 'sim', marketType: 'spot' },
  );

describe('event sink catch-up', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestPglite();
  });
  afterAll(async () => {
    await db.close();
  });

  it('reads own events back from just before the newest one stored, and after a failure waits before trying again', async () => {
    const own = createEnvelope(
      'PROVIDER_ACCOUNT_EVENT',
      { eventType: 'ORDER_TRADE_UPDATE', eventTime: T0, options: {} },
      { connectorType: 'sim', marketType: 'spot' },
      () => T0 + 5_000,
    );
    const reads: Array<{ names: readonly string[]; fromMs: number }> = [];
    // The memory bus has no stream; this one's stream is away (NATS down, say).
    const bus: Bus = Object.assign(createMemoryBus(), {
      readDurable: (names: readonly string[], fromMs: number) => {
        reads.push({ names, fromMs });
        return Promise.reject(new Error('no responders'));
      },
    });
    const make = () =>
      createEventSinkModule({
        prisma: db.prisma,
        bus,
        logger: pino({ level: 'silent' }),
        metrics: createMetrics({ service: 'eventsink-catchup-unit' }),
        enabled: true,
        durable: 'catchup-unit',
        batchSize: 10,
        flushMs: 5,
        maxBuffered: 1_000,
      });
    const first = make();
    await first.start(() => undefined);
    await first.caughtUp();
    // Nothing of its own stored yet: a fresh database has nothing to read back.
    expect(reads).toEqual([]);
    first.tap(own);
    await first.sink.flush();
    await first.stop();

    const next = make();
    await next.start(() => undefined);
    await next.caughtUp();
    expect(reads).toEqual([{ names: OWN_DURABLE_EVENTS, fromMs: T0 + 5_000 - CATCH_UP_MARGIN_MS }]);
    // Writes that follow the failure do not each try again.
    for (let i = 0; i < 50; i++) next.sink.add(trade(i));
    await next.sink.flush();
    await next.caughtUp();
    expect(reads).toHaveLength(1);
    await next.stop();
    await bus.close();
  });
});
