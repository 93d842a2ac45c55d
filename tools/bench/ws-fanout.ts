/**
 * WebSocket fan-out: what does the provider's bus → Socket.IO bridge cost on top of a bare
 * Socket.IO server emitting the same envelopes?
 *
 *   1. provider: the real provider in-process (memory bus; also NATS when reachable), 50
 *      socket.io-client clients subscribed to PROVIDER_MARKETDATA_TRADE for one symbol; N trades
 *      are published on the bus (validated, enveloped, delivered to the bridge, emitted to rooms).
 *   2. raw: a bare Socket.IO server on the same path, the same 50 clients in one room, the same
 *      envelopes (prebuilt) emitted in a loop.
 * Same publishing pattern (a yield every 100 events), alternating rounds; delivered msgs/s across
 * all clients, median of the rounds, provider/raw (target ≥ 0.7×).
 * Also delivered msgs per CPU second of the server process, which other jobs on the machine
 * disturb far less than wall-clock rates.
 * Second part: trades published at a paced 5k/s for 3 s to one client (or [latencyClients]);
 * p50/p99 publish→client latency, from a high-resolution send time carried in the envelope's
 * eventId (same machine clock).
 *
 * The clients run in a child process (this file, forked), so they decode on the other core
 * instead of competing with the server's event loop.
 *
 * Run: npx tsx --conditions=development tools/bench/ws-fanout.ts [events=4000] [rounds=5] [latencyClients=1]
 *      (NATS_URL, default nats://127.0.0.1:4222; skipped when not reachable)
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Server } from 'socket.io';
import { createMemoryBus, createNatsBus } from '@barfinex/bus';
import type { Bus } from '@barfinex/bus';
import { createDatabase } from '@barfinex/db';
import type { Database } from '@barfinex/db';
import { createEnvelope } from '@barfinex/events';
import { deleteNatsStream } from '@barfinex/testing';
import { startProvider, TEST_TOKEN } from '@barfinex/provider/bench';
import type { EventEnvelope } from '@barfinex/events';
import { runClients } from './ws-fanout-clients';
import type { ClientCommand, ClientReport } from './ws-fanout-clients';

const EVENT = 'PROVIDER_MARKETDATA_TRADE' as const;
const SYMBOL = 'BTCUSDT';
const CLIENTS = 50;
const N = Number(process.argv[2] ?? 4_000);
const ROUNDS = Number(process.argv[3] ?? 5);
const PACED_RATE = 5_000;
const PACED_SECONDS = 3;
// 5k trades/s to 50 clients would be 250k deliveries/s, beyond what a shared 2-core machine
// delivers even from a bare server; the latency part measures the path, not fan-out capacity.
const LATENCY_CLIENTS = Number(process.argv[4] ?? 1);
const ROOM = `e:${EVENT}:${SYMBOL}`;

const wallNow = () => performance.timeOrigin + performance.now();
const trade = (i: number) => ({
  time: 1_767_225_600_000 + i,
  symbol: SYMBOL,
  price: '65000.5',
  volume: '0.002',
  side: 'LONG' as const,
});
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The forked client process, driven over IPC: one command, one reply. */
class Clients {
  private waiting = new Map<ClientReport['kind'], (r: ClientReport) => void>();
  constructor(private readonly child: ChildProcess) {
    child.on('message', (m: ClientReport) => this.waiting.get(m.kind)?.(m));
  }
  wait(kind: ClientReport['kind']): Promise<ClientReport> {
    return new Promise((resolve) => this.waiting.set(kind, resolve));
  }
  async ask(cmd: ClientCommand, reply: ClientReport['kind']): Promise<ClientReport> {
    const answered = this.wait(reply);
    this.child.send(cmd);
    return answered;
  }
  connect(t: Target, count = CLIENTS): Promise<ClientReport> {
    return this.ask(
      {
        kind: 'connect',
        url: t.url,
        count,
        token: t.token,
        subscribe: t.token ? { events: [EVENT], symbols: [SYMBOL] } : undefined,
      },
      'connected',
    );
  }
  disconnect(): Promise<ClientReport> {
    return this.ask({ kind: 'disconnect' }, 'disconnected');
  }
}

interface Target {
  name: string;
  url: string;
  /** Set for the provider: clients authenticate and subscribe to the trade for SYMBOL. */
  token?: string;
  /** Sends event i, its eventId carrying the send time (for the latency part). */
  send(i: number): void;
  stop(): Promise<void>;
}

interface Rate {
  /** Delivered msgs per wall-clock second. */
  wall: number;
  /** Delivered msgs per CPU second of this (the server's) process: steadier when other jobs share the CPU. */
  cpu: number;
}

async function throughput(clients: Clients, target: Target): Promise<Rate> {
  await clients.ask({ kind: 'expect', total: N * CLIENTS }, 'armed');
  const done = clients.wait('done');
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < N; i++) {
    target.send(i);
    if (i % 100 === 99) await yieldToIo();
  }
  await done;
  const cpu = process.cpuUsage(cpuStart);
  return {
    wall: (N * CLIENTS) / ((performance.now() - start) / 1000),
    cpu: (N * CLIENTS) / ((cpu.user + cpu.system) / 1e6),
  };
}

async function paced(clients: Clients, target: Target): Promise<ClientReport> {
  const total = PACED_RATE * PACED_SECONDS;
  await clients.ask({ kind: 'expect', total: total * LATENCY_CLIENTS, latency: true }, 'armed');
  const done = clients.wait('done');
  const start = performance.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * PACED_RATE));
    while (sent < due) target.send(sent++);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return done;
}

async function providerTarget(name: string, bus: Bus, db: Database, cleanup: () => Promise<void>): Promise<Target> {
  // The raw server has no slow-client limit either; the throughput rounds briefly queue a lot.
  // The event sink (which would persist every trade, here into in-process PGlite) is off: this
  // measures the bus → WebSocket path, not storage.
  const h = await startProvider({ db, bus, env: { WS_MAX_BUFFERED: '1000000', EVENTSINK_ENABLED: 'false' } });
  return {
    name,
    url: h.baseUrl,
    token: TEST_TOKEN,
    send: (i) => void bus.publish(EVENT, trade(i), { eventId: `${wallNow().toFixed(3)}-${i}` }),
    stop: async () => {
      await h.stop();
      await bus.close();
      await cleanup();
    },
  };
}

async function rawTarget(): Promise<Target> {
  const http = createServer();
  const io = new Server(http, { path: '/ws' });
  io.on('connection', (socket) => void socket.join(ROOM));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const prebuilt: EventEnvelope[] = Array.from({ length: Math.max(N, PACED_RATE * PACED_SECONDS) }, (_, i) =>
    createEnvelope(EVENT, trade(i)),
  );
  return {
    name: 'raw socket.io',
    url: `http://127.0.0.1:${port}`,
    send: (i) =>
      void io.to(ROOM).emit(EVENT, { ...(prebuilt[i] as EventEnvelope), eventId: `${wallNow().toFixed(3)}-${i}` }),
    stop: async () => {
      io.disconnectSockets(true);
      io.engine.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

/** The provider on a run-scoped NATS stream, when a server answers. */
async function natsTarget(db: Database): Promise<Target | undefined> {
  const servers = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
  const run = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  try {
    const bus = await createNatsBus({
      servers,
      name: 'bench-ws-fanout',
      streamName: `BFXBENCH_${run}`,
      subjectPrefix: `bfxbench${run}`,
    });
    return await providerTarget('provider (NATS bus)', bus, db, () => deleteNatsStream(`BFXBENCH_${run}`, servers));
  } catch (err) {
    console.log(`  (NATS at ${servers} not reachable, skipped: ${(err as Error).message})`);
    return undefined;
  }
}

async function main(): Promise<void> {
  const child = fork(process.argv[1] as string, ['--clients'], { execArgv: process.execArgv, stdio: 'inherit' });
  const clients = new Clients(child);
  const db = await createDatabase({ url: 'pglite:memory' });
  const targets = [
    await providerTarget('provider (memory bus)', createMemoryBus(), db, async () => undefined),
    await rawTarget(),
  ];
  const nats = await natsTarget(db);
  if (nats) targets.splice(1, 0, nats);

  const rates = new Map<string, Rate[]>(targets.map((t) => [t.name, []]));
  for (let round = -1; round < ROUNDS; round++) {
    for (const t of targets) {
      await clients.connect(t);
      const rate = await throughput(clients, t);
      if (round >= 0) rates.get(t.name)?.push(rate); // round -1 warms up
      await clients.disconnect();
    }
  }
  const rawRates = rates.get('raw socket.io') ?? [];
  const rawWall = median(rawRates.map((r) => r.wall));
  const rawCpu = median(rawRates.map((r) => r.cpu));
  const fmt = (x: number) => Math.round(x).toLocaleString('en-US').padStart(9);
  console.log(
    `ws fan-out, ${N} trades x ${CLIENTS} clients, median of ${ROUNDS} rounds, delivered msgs/s (wall clock | per server CPU second):`,
  );
  for (const [name, xs] of rates) {
    const wall = median(xs.map((r) => r.wall));
    const cpu = median(xs.map((r) => r.cpu));
    console.log(
      `  ${name.padEnd(22)} ${fmt(wall)} = ${(wall / rawWall).toFixed(2)}x raw | ${fmt(cpu)} = ${(cpu / rawCpu).toFixed(2)}x raw`,
    );
  }
  console.log('  target: provider >= 0.7x raw');
  console.log(
    `latency at a paced ${PACED_RATE.toLocaleString('en-US')} trades/s for ${PACED_SECONDS} s, ${LATENCY_CLIENTS} client(s) (publish -> client):`,
  );
  for (const t of targets) {
    await clients.connect(t, LATENCY_CLIENTS);
    const r = await paced(clients, t);
    console.log(
      `  ${t.name.padEnd(22)} p50 ${r.p50?.toFixed(2)} ms   p99 ${r.p99?.toFixed(2)} ms   max ${r.max?.toFixed(2)} ms`,
    );
    await clients.disconnect();
  }
  child.kill();
  for (const t of targets) await t.stop();
  await db.close();
}

if (process.argv.includes('--clients')) {
  runClients();
} else {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
