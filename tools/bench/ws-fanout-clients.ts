// The client side of tools/bench/ws-fanout.ts, run in a forked process and driven over IPC:
// N socket.io-client connections (each its own engine.io connection), counting deliveries and,
// when asked, measuring send→receive latency from the send time carried in the eventId.
import { performance } from 'node:perf_hooks';
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';

export type ClientCommand =
  | { kind: 'connect'; url: string; count: number; token?: string; subscribe?: { events: string[]; symbols: string[] } }
  | { kind: 'expect'; total: number; latency?: boolean }
  | { kind: 'disconnect' };

export interface ClientReport {
  kind: 'connected' | 'armed' | 'done' | 'disconnected';
  p50?: number;
  p99?: number;
  max?: number;
}

const EVENT = 'PROVIDER_MARKETDATA_TRADE';

function percentile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? NaN;
}

export function runClients(): void {
  const send = (r: ClientReport) => process.send?.(r);
  let sockets: Socket[] = [];
  let expected = 0;
  let received = 0;
  let latencies: Float64Array | undefined;

  const onEvent = (env: { eventId: string }) => {
    if (latencies) latencies[received] = performance.timeOrigin + performance.now() - Number.parseFloat(env.eventId);
    received++;
    if (received !== expected) return;
    if (!latencies) return send({ kind: 'done' });
    const sorted = latencies.sort();
    send({ kind: 'done', p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted[sorted.length - 1] });
  };

  const connectOne = (cmd: Extract<ClientCommand, { kind: 'connect' }>) =>
    new Promise<Socket>((resolve, reject) => {
      const socket = io(cmd.url, {
        path: '/ws',
        transports: ['websocket'],
        forceNew: true,
        reconnection: false,
        auth: cmd.token ? { token: cmd.token } : {},
      });
      socket.on(EVENT, onEvent);
      socket.once('connect_error', reject);
      socket.once('connect', () => {
        if (!cmd.subscribe) return resolve(socket);
        socket.emit('subscribe', cmd.subscribe, (reply: { ok: boolean }) =>
          reply.ok ? resolve(socket) : reject(new Error(JSON.stringify(reply))),
        );
      });
    });

  process.on('message', (cmd: ClientCommand) => {
    void (async () => {
      if (cmd.kind === 'connect') {
        sockets = await Promise.all(Array.from({ length: cmd.count }, () => connectOne(cmd)));
        send({ kind: 'connected' });
      } else if (cmd.kind === 'expect') {
        expected = cmd.total;
        received = 0;
        latencies = cmd.latency ? new Float64Array(cmd.total) : undefined;
        send({ kind: 'armed' });
      } else {
        for (const s of sockets) s.disconnect();
        sockets = [];
        send({ kind: 'disconnected' });
      }
    })().catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
  });
  process.on('disconnect', () => process.exit(0));
  if (process.env['BENCH_DEBUG'])
    setInterval(() => console.error(`clients: ${sockets.length} sockets, ${received}/${expected}`), 2000).unref();
}
