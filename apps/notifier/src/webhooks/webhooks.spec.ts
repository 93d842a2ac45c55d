import { createMemoryBus } from '@barfinex/bus';
import type { MemoryBus } from '@barfinex/bus';
import { createTestPglite } from '@barfinex/db/testing';
import type { Database } from '@barfinex/db';
import { EVENT_EXAMPLES } from '@barfinex/events';
import { createProviderClient } from '@barfinex/sdk';
import { createLogger } from '@barfinex/service-kit';
import { eventually } from '@barfinex/testing';
import { createNotifierApp } from '../app';
import type { NotifierApp } from '../app';
import { loadNotifierConfig } from '../config';
import { startReceiver } from '../testing/receiver';
import type { TestReceiver } from '../testing/receiver';

const TOKEN = 'notifier-spec-token';
const SECRET = 'a-secret-of-at-least-16';
const HOUR = 3_600_000;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read field by field and checked by the expectations
type Json = Record<string, any>;

describe('outbound webhooks (memory bus, PGlite)', () => {
  let db: Database;
  let bus: MemoryBus;
  let notifier: NotifierApp;
  let receiver: TestReceiver;
  let url: string;
  let clock = 1_800_000_000_000;
  const provider = createProviderClient({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 200 });
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (res.status === 204 ? undefined : await res.json()) as Json };
  };
  const fill = (n: number) =>
    bus.publish(
      'PROVIDER_ORDER_FILL',
      { ...EVENT_EXAMPLES.PROVIDER_ORDER_FILL, fillId: `fill-${n}` },
      { correlationId: `c-${n}` },
    );

  beforeAll(async () => {
    db = await createTestPglite();
    bus = createMemoryBus();
    receiver = await startReceiver(SECRET, { now: () => clock });
    const config = loadNotifierConfig({
      NOTIFIER_PORT: '0',
      NOTIFIER_HOST: '127.0.0.1',
      NOTIFIER_API_TOKEN: TOKEN,
      NOTIFIER_POLL_MS: '3600000',
      NOTIFIER_WEBHOOK_TIMEOUT_MS: '2000',
    });
    let seed = 1;
    notifier = await createNotifierApp({
      config,
      logger: createLogger({ name: 'notifier', level: 'silent' }),
      bus,
      db,
      provider,
      now: () => clock,
      random: () => (seed = (seed * 16807) % 2147483647) / 2147483647,
      deliveryBatch: 200,
    });
    ({ url } = await notifier.start());
  });
  afterAll(async () => {
    await notifier.stop();
    await receiver.close();
    await bus.close();
    provider.close();
    await db.close();
  });

  it('refuses bad subscriptions with the error body', async () => {
    const unknownEvent = await call('POST', '/webhooks', { url: receiver.url, events: ['PROVIDER_MARKETDATA_TRADE'] });
    expect(unknownEvent.status).toBe(400);
    expect(unknownEvent.body['error']).toMatchObject({ code: 'VALIDATION_ERROR' });
    expect((await call('POST', '/webhooks', { url: 'ftp://127.0.0.1/x', events: ['order'] })).status).toBe(400);
    const metadata = await call('POST', '/webhooks', { url: 'http://169.254.169.254/latest', events: ['order'] });
    expect(metadata.status).toBe(403);
    expect(metadata.body['error'].message).toMatch(/cloud metadata/);
    expect((await call('POST', '/webhooks', { url: receiver.url, events: ['order'], secret: 'short' })).status).toBe(
      400,
    );
    expect((await call('GET', '/webhooks/nope')).status).toBe(404);
  });

  let id = '';
  it('creates a subscription, shows its secret once, and pings it signed', async () => {
    const created = await call('POST', '/webhooks', {
      url: receiver.url,
      events: ['order', 'INSPECTOR_RISK_KILL_SWITCH'],
      symbols: ['BTCUSDT'],
      secret: SECRET,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ secret: SECRET, enabled: true, paused: false, secretHint: '…t-16' });
    id = created.body['id'] as string;
    const shown = await call('GET', `/webhooks/${id}`);
    expect(shown.body['secret']).toBeUndefined();
    const ping = await call('POST', `/webhooks/${id}/test`);
    expect(ping.body).toMatchObject({ delivered: true, responseCode: 204 });
    expect(receiver.received.pop()).toMatchObject({ event: 'PING', signatureOk: true });
  });

  it('delivers matching events in order, signed, and logs each delivery', async () => {
    await fill(1);
    await bus.publish('PROVIDER_ORDER_FILL', {
      ...EVENT_EXAMPLES.PROVIDER_ORDER_FILL,
      symbol: 'ETHUSDT',
      fillId: 'other',
    });
    await bus.publish('DETECTOR_SIGNAL_GENERATED', EVENT_EXAMPLES.DETECTOR_SIGNAL_GENERATED);
    await fill(2);
    await eventually(() => expect(receiver.received).toHaveLength(2));
    expect(receiver.received.map((r) => (r.body.payload as { fillId: string }).fillId)).toEqual(['fill-1', 'fill-2']);
    expect(receiver.received.every((r) => r.signatureOk && r.attempt === 1)).toBe(true);
    const log = await call('GET', `/webhooks/${id}/deliveries`);
    expect(log.body['total']).toBe(2);
    expect(log.body['data'][0]).toMatchObject({
      status: 'delivered',
      attempts: 1,
      responseCode: 204,
      nextRetryAt: null,
      eventName: 'PROVIDER_ORDER_FILL',
    });
  });

  it('retries a failing receiver with backoff, the same delivery id, and keeps later events behind it', async () => {
    receiver.received.length = 0;
    receiver.failWith = 503;
    await fill(3);
    await eventually(async () =>
      expect((await call('GET', `/webhooks/${id}/deliveries?status=pending`)).body['data'][0]?.attempts).toBe(1),
    );
    await fill(4);
    await notifier.worker.runAll();
    const pending = (await call('GET', `/webhooks/${id}/deliveries?status=pending`)).body['data'] as Record<
      string,
      unknown
    >[];
    expect(pending).toHaveLength(2);
    const head = pending.find((d) => d['attempts'] === 1) ?? {};
    expect(head).toMatchObject({ responseCode: 503, lastError: 'HTTP 503: receiver trouble' });
    expect(head['nextRetryAt'] as number).toBeGreaterThanOrEqual(clock + 500);
    expect(pending.find((d) => d['attempts'] === 0)).toBeDefined();

    receiver.failWith = undefined;
    await notifier.worker.runAll();
    expect(receiver.received).toHaveLength(0);
    clock += 2_000;
    await notifier.worker.runAll();
    expect(receiver.received.map((r) => [(r.body.payload as { fillId: string }).fillId, r.attempt])).toEqual([
      ['fill-3', 2],
      ['fill-4', 1],
    ]);
    expect(receiver.received[0]?.deliveryId).toBe(head['id']);
  });

  it('pauses a subscription whose delivery keeps failing past the retry horizon, and resume sends what it owes in order', async () => {
    receiver.received.length = 0;
    await receiver.down();
    await fill(5);
    await eventually(async () =>
      expect((await call('GET', `/webhooks/${id}/deliveries?status=pending`)).body['data'][0]?.attempts).toBe(1),
    );
    for (let i = 0; i < 40 && !(await call('GET', `/webhooks/${id}`)).body['paused']; i++) {
      clock += 2 * HOUR;
      await notifier.worker.runAll();
    }
    const paused = (await call('GET', `/webhooks/${id}`)).body;
    expect(paused['paused']).toBe(true);
    expect(paused['pausedReason']).toMatch(/failed for 2\d(\.\d)? h, last: ECONNREFUSED/);
    const failed = (await call('GET', `/webhooks/${id}/deliveries?status=failed`)).body['data'] as Record<
      string,
      number
    >[];
    expect(failed).toHaveLength(1);
    expect(failed[0]?.['attempts']).toBeGreaterThan(10);

    await fill(6);
    await receiver.up();
    await notifier.worker.runAll();
    expect(receiver.received).toHaveLength(0);
    const resumed = await call('POST', `/webhooks/${id}/resume`);
    expect(resumed.body).toMatchObject({ paused: false, requeued: 1 });
    await eventually(() =>
      expect(receiver.received.map((r) => (r.body.payload as { fillId: string }).fillId)).toEqual(['fill-5', 'fill-6']),
    );
  });

  it('holds deliveries while an operator has paused the subscription, then sends them in order', async () => {
    receiver.received.length = 0;
    const paused = await call('POST', `/webhooks/${id}/pause`, { reason: 'receiver maintenance' });
    expect(paused.body).toMatchObject({ paused: true, pausedReason: 'receiver maintenance' });
    await fill(7);
    await fill(8);
    await eventually(async () =>
      expect((await call('GET', `/webhooks/${id}/deliveries?status=pending`)).body['total']).toBe(2),
    );
    await notifier.worker.runAll();
    expect(receiver.received).toHaveLength(0);
    expect((await call('POST', `/webhooks/${id}/resume`)).body).toMatchObject({ paused: false, requeued: 0 });
    await eventually(() =>
      expect(receiver.received.map((r) => (r.body.payload as { fillId: string }).fillId)).toEqual(['fill-7', 'fill-8']),
    );
  });

  it('redelivers a delivered event under its delivery id', async () => {
    const [latest] = (await call('GET', `/webhooks/${id}/deliveries?status=delivered&limit=1`)).body['data'] as {
      id: string;
    }[];
    receiver.received.length = 0;
    expect((await call('POST', `/webhooks/${id}/deliveries/${latest?.id}/redeliver`)).status).toBe(202);
    await eventually(() => expect(receiver.received.map((r) => r.deliveryId)).toEqual([latest?.id]));
    expect((await call('POST', `/webhooks/${id}/deliveries/dlv_nope/redeliver`)).status).toBe(404);
  });

  it('streams a backlog of several batches once each and in order, and a failure inside one holds back the rest', async () => {
    receiver.received.length = 0;
    await call('POST', `/webhooks/${id}/pause`, { reason: 'backlog' });
    const total = 450; // more than two batches of 200: the second is read and sent while the first is recorded
    for (let i = 0; i < total; i++) await fill(1000 + i);
    await eventually(async () =>
      expect((await call('GET', `/webhooks/${id}/deliveries?status=pending`)).body['total']).toBe(total),
    );
    receiver.failAfter = 300;
    await call('POST', `/webhooks/${id}/resume`);
    await eventually(async () =>
      expect((await call('GET', `/webhooks/${id}/deliveries?status=pending`)).body['total']).toBe(total - 300),
    );
    await notifier.worker.idle();
    expect(receiver.received).toHaveLength(300);
    receiver.failAfter = undefined;
    clock += 2_000;
    await notifier.worker.runAll();
    await notifier.worker.idle();
    const fills = receiver.received.map((r) => (r.body.payload as { fillId: string }).fillId);
    expect(fills).toEqual(Array.from({ length: total }, (_, i) => `fill-${1000 + i}`));
    expect(new Set(receiver.received.map((r) => r.deliveryId)).size).toBe(total);
    expect(receiver.received.filter((r) => r.attempt === 2).map((r) => r.body.payload)).toEqual([
      expect.objectContaining({ fillId: 'fill-1300' }),
    ]);
    expect((await call('GET', `/webhooks/${id}/deliveries?status=pending`)).body['total']).toBe(0);
  });

  it('updates and deletes a subscription', async () => {
    const disabled = await call('PATCH', `/webhooks/${id}`, { enabled: false, description: 'off for now' });
    expect(disabled.body).toMatchObject({ enabled: false, description: 'off for now' });
    expect((await call('PATCH', `/webhooks/${id}`, { secret: 'x' })).status).toBe(400);
    expect((await call('DELETE', `/webhooks/${id}`)).status).toBe(204);
    expect((await call('GET', '/webhooks')).body['items']).toEqual([]);
  });
});
