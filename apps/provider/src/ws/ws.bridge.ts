import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { Namespace, Socket } from 'socket.io';
import { z } from 'zod';
import { isEventName } from '@barfinex/events';
import type { EventEnvelope, EventName } from '@barfinex/events';
import { socketTokenAuth } from '@barfinex/service-kit';
import { toSinkRecord } from './sink-record';
import type { SinkRecord } from './sink-record';

const SubscribeSchema = z.object({
  events: z.array(z.string().min(1)).min(1).max(200),
  symbols: z.array(z.string().min(1).max(40)).max(500).optional(),
});

export interface WsBridgeOptions {
  httpServer: HttpServer;
  token: string | undefined;
  corsOrigins: string[] | '*';
  /** A client whose unsent packets exceed this is disconnected instead of growing memory. */
  maxBufferedPackets?: number;
  /** Most subscriptions (an event, or an event for one symbol) one client may hold; default 10,000. */
  maxSubscriptions?: number;
  sweepIntervalMs?: number;
  now?: () => number;
  onSlowClient?: (socketId: string, buffered: number) => void;
  /** When the event sink runs, `/eventsink` shows what it persisted (`emitSinkRecord`), not raw bus traffic. */
  persistedSinkFeed?: boolean;
}

export interface WsBridge {
  io: Server;
  /** Fans one bus event out to the clients subscribed to it (and to `/eventsink`). */
  dispatch(envelope: EventEnvelope): void;
  /** One record on `/eventsink` (a stored event, or a replayed one that is deliberately not stored). */
  emitSinkRecord(record: SinkRecord): void;
  clients(): number;
  close(): Promise<void>;
}

const ALL_ROOM = 'all';
const eventRoom = (name: string) => `e:${name}`;
const symbolRoom = (name: string, symbol: string) => `e:${name}:${symbol.toUpperCase()}`;

function bufferedPackets(socket: Socket): number {
  // engine.io keeps unsent packets in writeBuffer; it is the only per-client backlog we control.
  const conn = socket.conn as unknown as { writeBuffer?: unknown[] };
  return conn.writeBuffer?.length ?? 0;
}

/** The subscription rooms a socket is in (not its own id room, not `all`). */
function subscriptionCount(socket: Socket): number {
  let n = 0;
  for (const room of socket.rooms) if (room.startsWith('e:')) n += 1;
  return n;
}

function attachDefaultNamespace(nsp: Namespace, now: () => number, maxSubscriptions: number): void {
  nsp.on('connection', (socket) => {
    const auth = socket.handshake.auth as { subscribeAll?: unknown } | undefined;
    if (auth?.subscribeAll === true) void socket.join(ALL_ROOM);

    socket.on('subscribe', (...args: unknown[]) => {
      const { raw, reply } = request(socket, args);
      const parsed = SubscribeSchema.safeParse(raw);
      if (!parsed.success) {
        reply({ ok: false, error: { code: 'VALIDATION_ERROR', message: 'expected { events: string[], symbols?: string[] }', details: parsed.error.issues } });
        return;
      }
      const unknown = parsed.data.events.filter((e) => !isEventName(e));
      if (unknown.length > 0) {
        reply({ ok: false, error: { code: 'UNKNOWN_EVENT', message: `unknown event name(s): ${unknown.join(', ')}`, details: { unknown } } });
        return;
      }
      const rooms = roomsFor(parsed.data.events, parsed.data.symbols);
      // Symbols are free-form, so without a bound one client could hold rooms (memory) without end.
      const current = subscriptionCount(socket);
      const added = new Set(rooms.filter((room) => !socket.rooms.has(room))).size;
      if (current + added > maxSubscriptions) {
        reply({ ok: false, error: { code: 'TOO_MANY_SUBSCRIPTIONS', message: `at most ${maxSubscriptions} subscriptions (event, or event and symbol) per client; unsubscribe first`, details: { limit: maxSubscriptions, current, requested: added } } });
        return;
      }
      void socket.join(rooms);
      reply({ ok: true, subscribed: subscriptionsOf(socket) });
    });

    socket.on('unsubscribe', (...args: unknown[]) => {
      const { raw, reply } = request(socket, args);
      const parsed = SubscribeSchema.safeParse(raw);
      if (!parsed.success) {
        reply({ ok: false, error: { code: 'VALIDATION_ERROR', message: 'expected { events: string[], symbols?: string[] }', details: parsed.error.issues } });
        return;
      }
      const symbols = parsed.data.symbols;
      // Without symbols an event is dropped whole: its per-symbol subscriptions would otherwise keep delivering it.
      const leaving =
        symbols && symbols.length > 0
          ? roomsFor(parsed.data.events, symbols)
          : [...socket.rooms].filter((room) => parsed.data.events.some((e) => room === eventRoom(e) || room.startsWith(`${eventRoom(e)}:`)));
      for (const room of leaving) void socket.leave(room);
      reply({ ok: true, subscribed: subscriptionsOf(socket) });
    });

    socket.on('health', () => socket.emit('health:ok', { ok: true, t: now() }));
    socket.on('message', (raw: unknown) => {
      const text = typeof raw === 'object' && raw !== null && 'text' in raw ? String((raw as { text: unknown }).text) : String(raw ?? '');
      socket.emit('response', { message: `Received: ${text.slice(0, 1000)}` });
    });
  });
}

/**
 * The payload and the reply of a client request. A client that sends only a callback
 * (`emit('subscribe', ack)`) still gets its answer, and a refusal sent without a callback is
 * reported as an `error` event rather than dropped.
 */
function request(socket: Socket, args: unknown[]): { raw: unknown; reply: (body: { ok: boolean; error?: unknown; subscribed?: unknown }) => void } {
  const last = args[args.length - 1];
  const ack = typeof last === 'function' ? (last as (body: unknown) => void) : undefined;
  const raw = ack ? args.slice(0, -1)[0] : args[0];
  return {
    raw,
    reply: (body) => {
      if (ack) ack(body);
      else if (!body.ok) socket.emit('error', body.error);
    },
  };
}

function roomsFor(events: string[], symbols: string[] | undefined): string[] {
  if (!symbols || symbols.length === 0) return events.map(eventRoom);
  return events.flatMap((e) => symbols.map((s) => symbolRoom(e, s)));
}

function subscriptionsOf(socket: Socket): { all: boolean; events: string[]; symbols: Record<string, string[]> } {
  const events: string[] = [];
  const symbols: Record<string, string[]> = {};
  for (const room of socket.rooms) {
    if (!room.startsWith('e:')) continue;
    const [, name, symbol] = room.split(':');
    if (!name) continue;
    if (symbol) (symbols[name] ??= []).push(symbol);
    else events.push(name);
  }
  return { all: socket.rooms.has(ALL_ROOM), events: events.sort(), symbols };
}

export function createWsBridge(options: WsBridgeOptions): WsBridge {
  const now = options.now ?? Date.now;
  const maxBuffered = options.maxBufferedPackets ?? 5_000;
  const io = new Server(options.httpServer, {
    path: '/ws',
    cors: { origin: options.corsOrigins === '*' ? true : options.corsOrigins, credentials: true },
    maxHttpBufferSize: 1e5,
  });
  const auth = socketTokenAuth(options.token);
  io.use(auth);
  const sink = io.of('/eventsink');
  sink.use(auth);
  attachDefaultNamespace(io.of('/'), now, options.maxSubscriptions ?? 10_000);

  const sweep = setInterval(() => {
    for (const nsp of [io.of('/'), sink]) {
      for (const socket of nsp.sockets.values()) {
        const buffered = bufferedPackets(socket);
        if (buffered > maxBuffered) {
          options.onSlowClient?.(socket.id, buffered);
          socket.emit('error', { code: 'SLOW_CONSUMER', message: `disconnected: ${buffered} events waiting to be sent` });
          socket.disconnect(true);
        }
      }
    }
  }, options.sweepIntervalMs ?? 1_000);
  sweep.unref();

  return {
    io,
    dispatch(envelope) {
      const name: EventName = envelope.type;
      const rooms = [ALL_ROOM, eventRoom(name)];
      if (envelope.symbol) rooms.push(symbolRoom(name, envelope.symbol));
      io.to(rooms).emit(name, envelope);
      if (!options.persistedSinkFeed && sink.sockets.size > 0) sink.emit('event', toSinkRecord(envelope));
    },
    emitSinkRecord(record) {
      if (sink.sockets.size > 0) sink.emit('event', record);
    },
    clients() {
      return io.of('/').sockets.size + sink.sockets.size;
    },
    async close() {
      clearInterval(sweep);
      io.disconnectSockets(true);
      sink.disconnectSockets(true);
      await new Promise<void>((resolve) => {
        // io.close() also closes the HTTP server, which the owner of the server closes itself.
        io.engine.close();
        resolve();
      });
    },
  };
}
