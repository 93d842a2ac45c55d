import type { Namespace, Socket } from 'socket.io';
import { EVENT_NAMES, isEventName } from '@barfinex/events';
import {
  SubscribeSchema,
  allRoom,
  allowedSymbols,
  principalOf,
  roomsFor,
  roomsLeaving,
  roomsOfEvent,
  subscriptionCount,
  subscriptionsOf,
} from './rooms';
import type { Feed } from './rooms';
import { ResumeSchema } from './resume';
import type { EventHistory, LiveGates } from './resume';
import { recordToEnvelope } from './sink-record';
import type { SinkRecord } from './sink-record';

export interface DefaultNamespaceDeps {
  now: () => number;
  maxSubscriptions: number;
  history: EventHistory | undefined;
  gates: LiveGates;
  maxReplay: number;
  replayPageSize: number;
  /** Resolves once a client has taken most of what was sent to it. */
  drained(socket: Socket): Promise<void>;
}

type Reply = (body: { ok: boolean; error?: unknown; subscribed?: unknown; resumed?: unknown }) => void;

/**
 * The payload and the reply of a client request. A client that sends only a callback
 * (`emit('subscribe', ack)`) still gets its answer, and a refusal sent without a callback is
 * reported as an `error` event rather than dropped.
 */
function request(socket: Socket, args: unknown[]): { raw: unknown; reply: Reply } {
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

const BAD_SUBSCRIBE = 'expected { events: string[], symbols?: string[] }';
const OUTSIDE_RESTRICTION = {
  code: 'FORBIDDEN',
  message: 'this token may only subscribe to the symbols it is restricted to',
};

/** A refusal for unknown event names or a subscription past the bound; undefined when the rooms may be joined. */
function refusal(
  socket: Socket,
  events: readonly string[],
  rooms: readonly string[],
  maxSubscriptions: number,
): { code: string; message: string; details: unknown } | undefined {
  const unknown = events.filter((e) => !isEventName(e));
  if (unknown.length > 0)
    return { code: 'UNKNOWN_EVENT', message: `unknown event name(s): ${unknown.join(', ')}`, details: { unknown } };
  // Symbols are free-form, so without a bound one client could hold rooms (memory) without end.
  const current = subscriptionCount(socket);
  const added = new Set(rooms.filter((room) => !socket.rooms.has(room))).size;
  if (current + added <= maxSubscriptions) return undefined;
  return {
    code: 'TOO_MANY_SUBSCRIPTIONS',
    message: `at most ${maxSubscriptions} subscriptions (event, or event and symbol) per client; unsubscribe first`,
    details: { limit: maxSubscriptions, current, requested: added },
  };
}

export function attachDefaultNamespace(nsp: Namespace, deps: DefaultNamespaceDeps): void {
  nsp.on('connection', (socket) => {
    const auth = socket.handshake.auth as { subscribeAll?: unknown } | undefined;
    const restricted = principalOf(socket)?.symbols;
    // A token limited to symbols gets every event of its symbols instead of every event.
    if (auth?.subscribeAll === true)
      void socket.join(restricted ? roomsFor('live', EVENT_NAMES, restricted) : allRoom('live'));
    // A socket that resumed is fed in storage order from then on, its later subscriptions too.
    const feed = (): Feed => (socket.data as { feed?: Feed }).feed ?? 'live';

    socket.on('subscribe', (...args: unknown[]) => {
      const { raw, reply } = request(socket, args);
      const parsed = SubscribeSchema.safeParse(raw);
      if (!parsed.success)
        return reply({
          ok: false,
          error: { code: 'VALIDATION_ERROR', message: BAD_SUBSCRIBE, details: parsed.error.issues },
        });
      const symbols = allowedSymbols(socket, parsed.data.symbols);
      if (symbols?.length === 0) return reply({ ok: false, error: OUTSIDE_RESTRICTION });
      const rooms = roomsFor(feed(), parsed.data.events, symbols);
      const refused = refusal(socket, parsed.data.events, rooms, deps.maxSubscriptions);
      if (refused) return reply({ ok: false, error: refused });
      void socket.join(rooms);
      return reply({ ok: true, subscribed: subscriptionsOf(socket) });
    });

    socket.on('unsubscribe', (...args: unknown[]) => {
      const { raw, reply } = request(socket, args);
      const parsed = SubscribeSchema.safeParse(raw);
      if (!parsed.success)
        return reply({
          ok: false,
          error: { code: 'VALIDATION_ERROR', message: BAD_SUBSCRIBE, details: parsed.error.issues },
        });
      for (const room of roomsLeaving(socket, parsed.data.events, parsed.data.symbols)) void socket.leave(room);
      return reply({ ok: true, subscribed: subscriptionsOf(socket) });
    });

    socket.on('resume', (...args: unknown[]) => {
      const { raw, reply } = request(socket, args);
      void resume(socket, raw, deps).then(reply, (err: unknown) =>
        reply({
          ok: false,
          error: { code: 'RESUME_FAILED', message: err instanceof Error ? err.message : String(err) },
        }),
      );
    });

    socket.on('health', () => socket.emit('health:ok', { ok: true, t: deps.now() }));
    socket.on('message', (raw: unknown) => {
      const text =
        typeof raw === 'object' && raw !== null && 'text' in raw
          ? String((raw as { text: unknown }).text)
          : String(raw ?? '');
      socket.emit('response', { message: `Received: ${text.slice(0, 1000)}` });
    });
  });
}

/**
 * `resume { after?, subscriptions, all? }`: joins the subscriptions on the stored feed and, given
 * the last eventId the client saw, first sends the stored events after it that match them.
 */
async function resume(socket: Socket, raw: unknown, deps: DefaultNamespaceDeps): Promise<Parameters<Reply>[0]> {
  const parsed = ResumeSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      error: {
        code: 'VALIDATION_ERROR',
        message: 'expected { after?: eventId | null, subscriptions: { events, symbols? }[], all?: boolean }',
        details: parsed.error.issues,
      },
    };
  }
  const data = (socket.data ??= {}) as { feed?: Feed; resuming?: boolean };
  if (data.resuming || subscriptionCount(socket) > 0) {
    return {
      ok: false,
      error: { code: 'RESUME_NOT_FIRST', message: 'resume must come before any other subscription on a connection' },
    };
  }
  const req = parsed.data;
  const history = deps.history;
  // Without the event sink there is nothing stored to resume from: the bus order it is.
  const feed: Feed = history ? 'stored' : 'live';
  const restricted = principalOf(socket)?.symbols;
  const rooms = [
    ...new Set(
      req.subscriptions.flatMap((sub) =>
        roomsFor(feed, sub.events, allowedSymbols(socket, sub.symbols) ?? sub.symbols),
      ),
    ),
  ];
  if (req.all) rooms.push(...(restricted ? roomsFor(feed, EVENT_NAMES, restricted) : [allRoom(feed)]));
  const refused = refusal(
    socket,
    req.subscriptions.flatMap((sub) => sub.events),
    rooms,
    deps.maxSubscriptions,
  );
  if (refused) return { ok: false, error: refused };
  data.feed = feed;
  if (!history) {
    void socket.join(rooms);
    return {
      ok: true,
      subscribed: subscriptionsOf(socket),
      resumed: { replayed: 0, complete: !req.after, ...(req.after ? { reason: 'UNAVAILABLE' } : {}) },
    };
  }
  if (!req.after) {
    void socket.join(rooms);
    return { ok: true, subscribed: subscriptionsOf(socket), resumed: { replayed: 0, complete: true } };
  }
  const target = new Set(rooms);
  const types = req.all ? undefined : [...new Set(req.subscriptions.flatMap((sub) => sub.events))];
  data.resuming = true;
  try {
    const result = await deps.gates.resume(socket.id, {
      history,
      after: req.after,
      types,
      matches: (record: SinkRecord) =>
        roomsOfEvent('stored', record.type, record.symbol).some((room) => target.has(room)),
      emit: (record: SinkRecord) => void socket.emit(record.type, recordToEnvelope(record)),
      pageSize: deps.replayPageSize,
      maxEvents: deps.maxReplay,
      alive: () => socket.connected,
      drained: () => deps.drained(socket),
      goLive: () => void socket.join(rooms),
      onOverflow: () => {
        socket.emit('error', {
          code: 'SLOW_CONSUMER',
          message: 'disconnected: too many live events arrived during the replay',
        });
        socket.disconnect(true);
      },
    });
    return {
      ok: true,
      subscribed: subscriptionsOf(socket),
      resumed: {
        replayed: result.replayed,
        complete: result.complete,
        ...(result.reason ? { reason: result.reason } : {}),
      },
    };
  } finally {
    data.resuming = false;
  }
}
