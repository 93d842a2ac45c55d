// Recovery after nats-server restarts. Uses a throwaway server on its own port and store dir: the
// shared server on 4222 is never touched.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeWithNats } from '@barfinex/testing';
import type { EventEnvelope } from '@barfinex/events';
import { eventually } from './contract-harness';
import { DURABLE_EVENT, LIVE_EVENT, durablePayload, livePayload } from './contract-fixtures';
import { createNatsBus } from './nats';
import type { Bus } from './types';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function startServer(port: number, storeDir: string): Promise<ChildProcess> {
  const child = spawn(process.env['NATS_SERVER_BIN'] ?? '/usr/sbin/nats-server', ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir], { stdio: 'ignore' });
  const deadline = Date.now() + 10_000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null) throw new Error(`nats-server exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error('nats-server did not start');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return child;
}

async function killServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

describeWithNats('NATS bus across a server restart', () => {
  let storeDir = '';
  let server: ChildProcess | undefined;
  let bus: Bus | undefined;

  beforeEach(() => {
    storeDir = mkdtempSync(join(tmpdir(), 'bfx-nats-'));
  });

  afterEach(async () => {
    await bus?.close();
    if (server !== undefined) await killServer(server);
    rmSync(storeDir, { recursive: true, force: true });
  });

  it('keeps subscriptions, holds durable publishes while down, and keeps stored durable events', async () => {
    const port = await freePort();
    server = await startServer(port, storeDir);
    const statuses: string[] = [];
    bus = await createNatsBus({
      servers: `nats://127.0.0.1:${port}`,
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

    await killServer(server);
    await eventually(() => expect(bus?.status().connected).toBe(false));
    await bus.publish(LIVE_EVENT, livePayload('BTCUSDT', 1));
    expect(bus.status().dropped).toBe(1);
    const whileDown = bus.publish(DURABLE_EVENT, durablePayload('BTCUSDT', 2));
    await eventually(() => expect(bus?.status().pendingDurable).toBe(1));

    server = await startServer(port, storeDir);
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
    const port = await freePort();
    server = await startServer(port, storeDir);
    bus = await createNatsBus({ servers: `nats://127.0.0.1:${port}`, reconnectTimeWaitMs: 100 });
    const kept: string[] = [];
    await bus.subscribe(DURABLE_EVENT, (env) => void kept.push(env.eventId), { durable: 'keeper' });

    await killServer(server);
    rmSync(storeDir, { recursive: true, force: true });
    server = await startServer(port, storeDir);
    await eventually(() => expect(bus?.status().connected).toBe(true));

    const after = await bus.publish(DURABLE_EVENT, durablePayload('BTCUSDT', 1));
    await eventually(() => expect(kept).toEqual([after.eventId]));
  }, 60_000);
});
