// Outbound webhooks on the real NATS (JetStream durable consumer) and PostgreSQL: a receiver that is
// down for a stretch while events flow, and a notifier stopped and started again in the middle, still
// gets every subscribed event, in order, once, each with a valid signature.
import { createNatsBus } from '@barfinex/bus';
import type { Bus } from '@barfinex/bus';
import { createDatabase } from '@barfinex/db';
import type { Database } from '@barfinex/db';
import { EVENT_EXAMPLES } from '@barfinex/events';
import { createProviderClient } from '@barfinex/sdk';
import { createLogger } from '@barfinex/service-kit';
import {
  createTestDatabase,
  deleteNatsStream,
  describeWithNats,
  describeWithPostgres,
  eventually,
} from '@barfinex/testing';
import type { TestDatabase } from '@barfinex/testing';
import { createNotifierApp } from '../app';
import type { NotifierApp } from '../app';
import { loadNotifierConfig } from '../config';
import { startReceiver } from '../testing/receiver';
import type { TestReceiver } from '../testing/receiver';

const NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
const TOKEN = 'notifier-int-token';
const SECRET = 'int-secret-0123456789';

describeWithNats('webhooks through a receiver outage and a notifier restart', () => {
  describeWithPostgres('on NATS and PostgreSQL', () => {
    const run = `ntf${Date.now().toString(36)}`;
    const subjectPrefix = `bfx_${run}`;
    const streamName = `BFX_${run}`;
    let testDb: TestDatabase;
    let publisher: Bus;
    let receiver: TestReceiver;
    const provider = createProviderClient({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 200 });
    const config = loadNotifierConfig({
      NOTIFIER_PORT: '0',
      NOTIFIER_HOST: '127.0.0.1',
      NOTIFIER_API_TOKEN: TOKEN,
      NOTIFIER_POLL_MS: '100ms',
      NOTIFIER_WEBHOOK_TIMEOUT_MS: '2s',
      NOTIFIER_WEBHOOK_MAX_BACKOFF_MS: '400ms',
      NATS_URL,
      NATS_SUBJECT_PREFIX: subjectPrefix,
      NATS_STREAM: streamName,
    });

    async function startNotifier(): Promise<{ app: NotifierApp; url: string; bus: Bus; db: Database }> {
      const bus = await createNatsBus({ servers: NATS_URL, name: `notifier-${run}`, subjectPrefix, streamName });
      const db = await createDatabase({ url: testDb.url });
      const app = await createNotifierApp({
        config,
        logger: createLogger({ name: 'notifier', level: 'silent' }),
        bus,
        db,
        provider,
      });
      const { url } = await app.start();
      return { app, url, bus, db };
    }
    async function stopNotifier(n: { app: NotifierApp; bus: Bus; db: Database }) {
      await n.app.stop();
      await n.bus.close();
      await n.db.close();
    }
    const fill = (i: number) =>
      publisher.publish('PROVIDER_ORDER_FILL', { ...EVENT_EXAMPLES.PROVIDER_ORDER_FILL, fillId: `fill-${i}` });

    beforeAll(async () => {
      testDb = await createTestDatabase('notifier');
      publisher = await createNatsBus({ servers: NATS_URL, name: `publisher-${run}`, subjectPrefix, streamName });
      receiver = await startReceiver(SECRET);
    }, 60_000);
    afterAll(async () => {
      await receiver?.close();
      await publisher?.close();
      provider.close();
      await deleteNatsStream(streamName, NATS_URL);
      await testDb?.drop();
    });

    let notifier: Awaited<ReturnType<typeof startNotifier>> | undefined;
    afterEach(async () => {
      if (notifier) await stopNotifier(notifier);
      notifier = undefined;
    });

    it('delivers every event in order, once and signed, across the outage and the restart', async () => {
      const first = await startNotifier();
      notifier = first;
      const created = await fetch(`${first.url}/webhooks`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ url: receiver.url, events: ['PROVIDER_ORDER_FILL'], secret: SECRET }),
      });
      expect(created.status).toBe(201);
      const webhookId = ((await created.json()) as { id: string }).id;

      for (let i = 1; i <= 5; i++) await fill(i);
      await eventually(() => expect(receiver.received).toHaveLength(5), 20_000, 50);

      // The receiver goes away; events keep coming and wait in the stored queue.
      await receiver.down();
      for (let i = 6; i <= 15; i++) await fill(i);
      await eventually(
        async () => {
          const page = (await (
            await fetch(`${first.url}/webhooks/${webhookId}/deliveries?status=pending&limit=100`, {
              headers: { authorization: `Bearer ${TOKEN}` },
            })
          ).json()) as { total: number; data: { attempts: number }[] };
          expect(page.total).toBe(10);
          expect(Math.max(...page.data.map((d) => d.attempts))).toBeGreaterThanOrEqual(2);
        },
        20_000,
        50,
      );

      // The notifier stops; what is published meanwhile waits in its durable consumer.
      await stopNotifier(first);
      notifier = undefined;
      for (let i = 16; i <= 25; i++) await fill(i);
      const second = await startNotifier();
      notifier = second;
      await receiver.up();

      await eventually(() => expect(receiver.received).toHaveLength(25), 30_000, 50);
      const fills = receiver.received.map((r) => (r.body.payload as { fillId: string }).fillId);
      expect(fills).toEqual(Array.from({ length: 25 }, (_, i) => `fill-${i + 1}`));
      expect(new Set(receiver.received.map((r) => r.deliveryId)).size).toBe(25);
      expect(receiver.received.every((r) => r.signatureOk && r.event === 'PROVIDER_ORDER_FILL')).toBe(true);
      // The ones that waited out the outage were retried under their delivery id.
      expect(receiver.received.slice(5, 15).some((r) => r.attempt > 1)).toBe(true);
      // A drain records its attempts together once the batch is sent.
      await eventually(
        async () => {
          const log = (await (
            await fetch(`${second.url}/webhooks/${webhookId}/deliveries?status=delivered&limit=100`, {
              headers: { authorization: `Bearer ${TOKEN}` },
            })
          ).json()) as { total: number };
          expect(log.total).toBe(25);
        },
        10_000,
        50,
      );
      // Nothing more arrives later: each event was sent once.
      await new Promise((r) => setTimeout(r, 500));
      expect(receiver.received).toHaveLength(25);
    }, 90_000);
  });
});
