// Recovery after nats-server restarts. Uses a throwaway server on its own port and store dir: the
// shared server on 4222 is never touched.
import { rmSync } from 'node:fs';
import { describeWithNats, startNatsServer } from '@barfinex/testing';
import type { NatsServerProcess } from '@barfinex/testing';
import type { EventEnvelope } from '@barfinex/events';
import { eventually } from './contract-harness';
import { DURABLE_EVENT, LIVE_EVENT, durablePayload, livePayload } from './contract-fixtures';
import { createNatsBus } from './nats';
import type { Bus } from './types';

describeWithNats('NATS bus across a server restart', () => {
  let server: NatsServerProcess;
  let bus: Bus | undefined;

  beforeEach(async () => {
    server = await startNatsServer();
  });

  afterEach(async () => {
    await bus?.close();
    await server.dispose();
  });

  it('keeps subscriptions, holds durable publishes while down, and keeps stored durable events', async () => {
    const statuses: string[] = [];
    bus = await createNatsBus({
      servers: server.url,
      reconnectTimeWaitMs: 100,
      onStatus: (event) => statuses.push(event.type),
    });
    const flips: boolean[] = [];
    bus.watchConnection((change) => void flips.push(change.connected));

    const live: EventEnvelope[] = [];
    await bus.subscribe(LIVE_EVENT, (env) => void live.push(env));
    const kept: string[] = [];
    await bus.subscribe(DURABLE_EVENT, (env) => void kept.push(env.eventId), { durable: 'keeper' });
    // Create the "returning" consumer, then leave: it is down for everything that follows.
    await (await bus.subscribe(DURABLE_EVENT, () => undefined, { durable: 'returning' })).unsubscribe();

    const beforeKill = await bus.publish(DURABLE_EVENT, durablePayload('BTCUSDT', 1));
    await eventually(() => expect(kept).toEqual([beforeKill.eventId]));

    await server.kill();
    await eventually(() => expect(bus?.status().connected).toBe(false));
    await bus.publish(LIVE_EVENT, livePayload('BTCUSDT', 1));
    expect(bus.status().dropped).toBe(1);
    const whileDown = bus.publish(DURABLE_EVENT, durablePayload('BTCUSDT', 2));
    await eventually(() => expect(bus?.status().pendingDurable).toBe(1));

    await server.start();
    await eventually(() => expect(bus?.status()).toMatchObject({ connected: true, reconnects: 1 }));
    const heldBack = await whileDown;
    expect(bus.status().pendingDurable).toBe(0);

    const afterRestart = await bus.publish(LIVE_EVENT, livePayload('BTCUSDT', 2));
    await eventually(() => expect(live.map((e) => e.eventId)).toEqual([afterRestart.eventId]));
    await eventually(() => expect(kept).toEqual([beforeKill.eventId, heldBack.eventId]));

    const returning: string[] = [];
    await bus.subscribe(DURABLE_EVENT, (env) => void returning.push(env.eventId), { durable: 'returning' });
    await eventually(() => expect(returning).toEqual([beforeKill.eventId, heldBack.eventId]));
    expect(statuses).toEqual(expect.arrayContaining(['disconnect', 'reconnect']));
    // However many attempts the outage took, listeners hear one loss and one return.
    expect(flips).toEqual([false, true]);
    await bus.close();
    expect(flips).toEqual([false, true]);
  }, 60_000);

  it('rebuilds its stream and durable consumers when the server comes back without its store', async () => {
    bus = await createNatsBus({ servers: server.url, reconnectTimeWaitMs: 100 });
    const kept: string[] = [];
    await bus.subscribe(DURABLE_EVENT, (env) => void kept.push(env.eventId), { durable: 'keeper' });

    await server.kill();
    rmSync(server.storeDir, { recursive: true, force: true });
    await server.start();
    await eventually(() => expect(bus?.status().connected).toBe(true));

    const after = await bus.publish(DURABLE_EVENT, durablePayload('BTCUSDT', 1));
    await eventually(() => expect(kept).toEqual([after.eventId]));
  }, 60_000);
});
