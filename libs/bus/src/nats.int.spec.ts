import { randomBytes } from 'node:crypto';
import { connect } from 'nats';
import { describeWithNats } from '@barfinex/testing';
import { runBusContract } from './contract';
import type { BusHarnessFactory } from './contract-harness';
import { createNatsBus } from './nats';
import { DURABLE_EVENT, LIVE_EVENT, durablePayload } from './contract-fixtures';
import { eventSubject } from './subjects';

const servers = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';

describeWithNats('NATS bus', () => {
  // Each harness gets its own subject prefix and stream, so runs (and engineers) never meet.
  const harness =
    (echo: boolean): BusHarnessFactory =>
    async ({ onError, now }) => {
      const id = `${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
      const subjectPrefix = `bfxtest.${id}`;
      const streamName = `BFXTEST_${id}`;
      const bus = await createNatsBus({
        servers,
        subjectPrefix,
        streamName,
        onError,
        now,
        nakDelayMs: 20,
        stream: { maxAgeMs: 600_000 },
        echo,
      });
      const raw = await connect({ servers });
      return {
        bus,
        id: subjectPrefix,
        publishRaw: async (name, symbol, text) => {
          raw.publish(eventSubject(name, symbol, subjectPrefix), text);
          await raw.flush();
        },
        close: async () => {
          await bus.close();
          const jsm = await raw.jetstreamManager();
          await jsm.streams.delete(streamName).catch(() => undefined);
          await raw.close();
        },
      };
    };
  runBusContract('nats', harness(true));
  // What the provider runs: its own events reach its subscriptions in-process, not from the server.
  runBusContract('nats without echo', harness(false), { echo: false });

  it('reads back the durable events the stream holds from a time on, and leaves no consumer behind', async () => {
    const opened = await harness(false)({ onError: () => undefined, now: Date.now });
    try {
      const { bus } = opened;
      const early = await bus.publish(DURABLE_EVENT, durablePayload('BTCUSDT', 1));
      await new Promise((resolve) => setTimeout(resolve, 50));
      const from = Date.now();
      const later = [];
      for (let i = 2; i < 600; i++)
        later.push(bus.publish(DURABLE_EVENT, durablePayload(i % 2 ? 'ETHUSDT' : 'BTCUSDT', i)));
      const sent = (await Promise.all(later)).map((e) => e.eventId);
      // A live event has no stream: it is never read back, nor is a durable one before `from`.
      const seen: string[] = [];
      const read = await bus.readDurable?.(
        [DURABLE_EVENT, LIVE_EVENT],
        from - 20,
        (env) => void seen.push(env.eventId),
      );
      expect(read).toBe(sent.length);
      expect(seen).toEqual(sent);
      expect(seen).not.toContain(early.eventId);
      expect(await bus.readDurable?.([DURABLE_EVENT], Date.now() + 60_000, () => undefined)).toBe(0);
      const raw = await connect({ servers });
      const jsm = await raw.jetstreamManager();
      const streams = await jsm.streams.list().next();
      const mine = streams.find((st) => st.config.subjects.some((sub) => sub.startsWith(`${opened.id}.`)));
      expect(mine?.state.consumer_count).toBe(0);
      await raw.close();
    } finally {
      await opened.close();
    }
  });
});
