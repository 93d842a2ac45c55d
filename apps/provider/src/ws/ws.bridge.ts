import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { Socket } from 'socket.io';
import type { EventEnvelope, EventName } from '@barfinex/events';
import { socketTokenAuth } from '@barfinex/service-kit';
import { attachDefaultNamespace } from './default-namespace';
import { principalOf, roomsOfEvent } from './rooms';
export type { SocketPrincipal } from './rooms';
import { LiveGates, RecentIds } from './resume';
import type { EventHistory } from './resume';
import { recordToEnvelope, toSinkRecord } from './sink-record';
import type { SinkRecord } from './sink-record';

export interface WsBridgeOptions {
  httpServer: HttpServer;
  /** Without `authenticate`, the one token every client must present. */
  token?: string | undefined;
  /** Decides each handshake and sets `socket.data.principal`. */
  authenticate?: (socket: Socket, next: (err?: Error) => void) => void;
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
  /** The event sink's store: with it, clients can `resume` after their last eventId (fed by `emitSinkRecord`). */
  history?: EventHistory;
  /** Stored events one resume sends at most (default 10,000), and per read (default 500). */
  maxReplay?: number;
  replayPageSize?: number;
  /** How many recent eventIds `/eventsink` remembers to never show one twice (default 50,000). */
  recentIdWindow?: number;
}

const SINK_LIVE = 'live';

export interface WsBridge {
  io: Server;
  /** Fans one bus event out to the clients subscribed to it (and to `/eventsink`). */
  dispatch(envelope: EventEnvelope): void;
  /**
   * One record as the event sink stored it (or a replayed one, deliberately not stored): shown on
   * `/eventsink`, and to the default namespace's resumable clients, each eventId once.
   */
  emitSinkRecord(record: SinkRecord): void;
  /** Disconnects every socket opened with this token (revoked); answers how many. */
  dropToken(tokenId: string): number;
  clients(): number;
  close(): Promise<void>;
}

function bufferedPackets(socket: Socket): number {
  // engine.io keeps unsent packets in writeBuffer; it is the only per-client backlog we control.
  const conn = socket.conn as unknown as { writeBuffer?: unknown[] };
  return conn.writeBuffer?.length ?? 0;
}

export function createWsBridge(options: WsBridgeOptions): WsBridge {
  const now = options.now ?? Date.now;
  const maxBuffered = options.maxBufferedPackets ?? 5_000;
  const io = new Server(options.httpServer, {
    path: '/ws',
    cors: { origin: options.corsOrigins === '*' ? true : options.corsOrigins, credentials: true },
    maxHttpBufferSize: 1e5,
  });
  const auth = options.authenticate ?? socketTokenAuth(options.token);
  io.use(auth);
  const sink = io.of('/eventsink');
  sink.use(auth);
  const maxReplay = options.maxReplay ?? 10_000;
  const replayPageSize = options.replayPageSize ?? 500;
  const drained = (socket: Socket): Promise<void> =>
    new Promise((resolve) => {
      if (!socket.connected || bufferedPackets(socket) < replayPageSize) return resolve();
      const done = () => {
        clearTimeout(timer);
        socket.conn.off('drain', done);
        socket.off('disconnect', done);
        resolve();
      };
      // A transport that never reports drain must not stall the replay; the slow-client sweep still applies.
      const timer = setTimeout(done, 1_000);
      socket.conn.on('drain', done);
      socket.once('disconnect', done);
    });
  const defaultGates = new LiveGates(maxBuffered);
  const sinkGates = new LiveGates(maxBuffered);
  // Every `/eventsink` client gets the same broadcast, so one window of recent ids keeps each of them from a repeat.
  const shownOnSink = new RecentIds(options.recentIdWindow ?? 50_000);
  attachDefaultNamespace(io.of('/'), {
    now,
    maxSubscriptions: options.maxSubscriptions ?? 10_000,
    history: options.history,
    gates: defaultGates,
    maxReplay,
    replayPageSize,
    drained,
  });

  // `/eventsink` sockets get the broadcast in the `live` room; one that names its last eventId
  // (`auth.lastEventId`) first gets the stored records after it.
  sink.on('connection', (socket) => {
    // The sink shows every stored event: a token limited to some symbols may not watch it.
    if (principalOf(socket)?.symbols) {
      socket.emit('error', {
        code: 'FORBIDDEN',
        message: 'a token restricted to symbols cannot watch /eventsink; subscribe on the default namespace',
      });
      socket.disconnect(true);
      return;
    }
    const after = (socket.handshake.auth as { lastEventId?: unknown } | undefined)?.lastEventId;
    const history = options.history;
    if (typeof after !== 'string' || after.length === 0 || after.length > 200 || !history) {
      void socket.join(SINK_LIVE);
      return;
    }
    void sinkGates
      .resume(socket.id, {
        history,
        after,
        types: undefined,
        matches: () => true,
        emit: (record) => void socket.emit('event', record),
        pageSize: replayPageSize,
        maxEvents: maxReplay,
        alive: () => socket.connected,
        drained: () => drained(socket),
        goLive: () => void socket.join(SINK_LIVE),
        onOverflow: () => void socket.disconnect(true),
      })
      .then(
        (result) =>
          socket.emit('resumed', {
            replayed: result.replayed,
            complete: result.complete,
            ...(result.reason ? { reason: result.reason } : {}),
          }),
        (err: unknown) => {
          socket.emit('error', { code: 'RESUME_FAILED', message: err instanceof Error ? err.message : String(err) });
          socket.disconnect(true);
        },
      );
  });
  const showOnSink = (record: SinkRecord): void => {
    // Every stored event passes here: with nobody on /eventsink there is nothing to send or dedupe.
    if (sink.sockets.size === 0) return;
    if (!shownOnSink.add(record.eventId)) return;
    sinkGates.hold(record);
    if (sink.sockets.size > 0) sink.to(SINK_LIVE).emit('event', record);
  };

  const sweep = setInterval(() => {
    const at = now();
    for (const nsp of [io.of('/'), sink]) {
      for (const socket of nsp.sockets.values()) {
        const expiresAt = principalOf(socket)?.expiresAt;
        if (expiresAt != null && expiresAt <= at) {
          socket.emit('error', { code: 'UNAUTHORIZED', message: 'API token expired' });
          socket.disconnect(true);
          continue;
        }
        const buffered = bufferedPackets(socket);
        if (buffered > maxBuffered) {
          options.onSlowClient?.(socket.id, buffered);
          socket.emit('error', {
            code: 'SLOW_CONSUMER',
            message: `disconnected: ${buffered} events waiting to be sent`,
          });
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
      const rooms = roomsOfEvent('live', name, envelope.symbol);
      const held = io.of('/').adapter.rooms;
      // Socket.IO serialises a broadcast before it looks for recipients: unwatched events cost nothing.
      if (rooms.some((room) => held.has(room))) io.to(rooms).emit(name, envelope);
      if (!options.persistedSinkFeed) showOnSink(toSinkRecord(envelope));
    },
    emitSinkRecord(record) {
      showOnSink(record);
      if (!options.history) return;
      defaultGates.hold(record);
      const rooms = roomsOfEvent('stored', record.type, record.symbol);
      const held = io.of('/').adapter.rooms;
      if (rooms.some((room) => held.has(room))) io.to(rooms).emit(record.type, recordToEnvelope(record));
    },
    dropToken(tokenId) {
      let dropped = 0;
      for (const nsp of [io.of('/'), sink]) {
        for (const socket of nsp.sockets.values()) {
          if (principalOf(socket)?.tokenId !== tokenId) continue;
          socket.emit('error', { code: 'UNAUTHORIZED', message: 'API token revoked' });
          socket.disconnect(true);
          dropped += 1;
        }
      }
      return dropped;
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
