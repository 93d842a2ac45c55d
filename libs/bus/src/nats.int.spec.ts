import { randomBytes } from 'node:crypto';
import { connect } from 'nats';
import { describeWithNats } from '@barfinex/testing';
import { runBusContract } from './contract';
import type { BusHarnessFactory } from './contract-harness';
import { createNatsBus } from './nats';
import { eventSubject } from './subjects';

const servers = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';

describeWithNats('NATS bus', () => {
  // Each harness gets its own subject prefix and stream, so runs (and engineers) never meet.
  const harness =
    (echo: boolean) =>
    async ({ onError, now }: Parameters<BusHarnessFactory>[0]) => {
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
});
