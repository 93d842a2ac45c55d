import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import type { EventEnvelope, EventName } from '@barfinex/events';

export interface ProviderSocketOptions {
  /** The provider's root, e.g. `http://127.0.0.1:8080`. */
  baseUrl: string;
  token: string;
  events?: readonly EventName[];
  symbols?: readonly string[];
  /** Receive every event (reference-style clients). */
  subscribeAll?: boolean;
  /** Default `/ws`. */
  path?: string;
  /** Bound for `ready()` and each subscribe acknowledgement. Default 10 s. */
  timeoutMs?: number;
  /**
   * Default true: events arrive in the order the provider's event sink stored them, and after a
   * reconnect the client first receives what it missed since its last event, each event once.
   * False: events as the bus delivers them, and nothing from while the connection was down.
   */
  resume?: boolean;
  /** Resume after this event on the first connection too (a client that kept it across its own restart). */
  lastEventId?: string;
  /** Told after each (re)connection how the catch-up went; `complete: false` means a gap (`reason` says why). */
  onResumed?: (info: ResumeInfo) => void;
}

export interface ResumeInfo {
  /** The eventId resumed after; undefined on a fresh start. */
  after?: string;
  replayed: number;
  complete: boolean;
  /** `UNKNOWN_EVENT` (no longer stored), `LIMIT` (too much missed), `UNAVAILABLE` (the provider stores no events). */
  reason?: string;
}

interface Subscription {
  events: EventName[];
  symbols?: string[];
}

type AckReply =
  | { ok: true; subscribed: string[]; resumed?: Omit<ResumeInfo, 'after'> }
  | { ok: false; error: { code: string; message: string } };

export interface ProviderSocket {
  on<N extends EventName>(name: N, handler: (envelope: EventEnvelope<N>) => void): () => void;
  /** Resolves once connected and the initial subscription is acknowledged. */
  ready(): Promise<void>;
  subscribe(sub: Subscription): Promise<string[]>;
  unsubscribe(sub: Subscription): Promise<string[]>;
  /** The last stored event received: keep it to resume from across a restart of this client. */
  lastEventId(): string | undefined;
  readonly socket: Socket;
  close(): void;
}

/**
 * A socket.io client of the provider's default namespace. After every reconnect (the server
 * forgets a socket's rooms when it drops) it sends its subscriptions again with the last eventId
 * it received (`resume`), so a client that lives across a provider restart or a network cut
 * misses nothing and sees nothing twice.
 */
export function connectProviderSocket(options: ProviderSocketOptions): ProviderSocket {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const resumable = options.resume ?? true;
  const socket = io(options.baseUrl, {
    path: options.path ?? '/ws',
    transports: ['websocket'],
    auth: { token: options.token, ...(options.subscribeAll && !resumable ? { subscribeAll: true } : {}) },
  });
  const wanted: Subscription[] = options.events?.length
    ? [{ events: [...options.events], ...(options.symbols?.length ? { symbols: [...options.symbols] } : {}) }]
    : [];
  let last = options.lastEventId;
  if (resumable) {
    socket.onAny((_name: string, envelope: unknown) => {
      const env = envelope as Partial<EventEnvelope> | undefined;
      // A replayed event (`replay: true`) is never stored, so it cannot be resumed from.
      if (typeof env?.eventId === 'string' && env.replay !== true) last = env.eventId;
    });
  }

  const emitAck = (verb: 'subscribe' | 'unsubscribe' | 'resume', body: unknown): Promise<AckReply & { ok: true }> =>
    new Promise((resolve, reject) => {
      socket.timeout(timeoutMs).emit(verb, body, (err: Error | null, reply: AckReply) => {
        if (err) reject(new Error(`${verb} was not acknowledged within ${timeoutMs} ms`));
        else if (!reply.ok) reject(new Error(`${verb} refused: ${reply.error.code}: ${reply.error.message}`));
        else resolve(reply);
      });
    });

  // Subscriptions are sent only once the connection's resume is acknowledged: one sent earlier
  // would join the bus-order feed, or be replayed twice.
  let established: Promise<void> | null = null;
  const establish = async (): Promise<void> => {
    if (!resumable) {
      for (const sub of wanted) await emitAck('subscribe', sub);
      return;
    }
    const after = last;
    const reply = await emitAck('resume', {
      after: after ?? null,
      subscriptions: wanted,
      ...(options.subscribeAll ? { all: true } : {}),
    });
    options.onResumed?.({
      ...(after ? { after } : {}),
      replayed: reply.resumed?.replayed ?? 0,
      complete: reply.resumed?.complete ?? !after,
      ...(reply.resumed?.reason ? { reason: reply.resumed.reason } : {}),
    });
  };
  socket.on('connect', () => {
    established = establish();
    established.catch(() => undefined);
  });
  let closed = false;
  socket.on('disconnect', (reason) => {
    established = null;
    // A provider that shuts down gracefully disconnects its clients, which socket.io does not
    // retry by itself; the restarted provider is where the client resumes.
    if (reason === 'io server disconnect' && !closed) socket.connect();
  });

  const connected = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no connection to ${options.baseUrl} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once('connect_error', (err) => {
      // Auth failures are final; transient ones are retried by socket.io itself.
      if (/unauthori[sz]ed|token/i.test(err.message)) {
        clearTimeout(timer);
        reject(err);
      }
    });
  });
  connected.catch(() => undefined);

  /**
   * Sends a change of subscriptions on this connection once its resume is acknowledged. Without a
   * connection it sends nothing: the next resume carries `wanted`, and a request queued while
   * disconnected would reach the server before that resume.
   */
  const change = async (
    verb: 'subscribe' | 'unsubscribe',
    sub: Subscription,
    update: () => void,
  ): Promise<string[]> => {
    const current = socket.connected ? established : null;
    update();
    if (!current) {
      await connected;
      await established;
      return [];
    }
    await current;
    if (!socket.connected || established !== current) return [];
    return (await emitAck(verb, sub)).subscribed;
  };

  return {
    socket,
    on(name, handler) {
      const listener = handler as (envelope: unknown) => void;
      socket.on(name as string, listener);
      return () => void socket.off(name as string, listener);
    },
    async ready() {
      await connected;
      await established;
    },
    subscribe(sub) {
      const entry = { events: [...sub.events], ...(sub.symbols?.length ? { symbols: [...sub.symbols] } : {}) };
      return change('subscribe', entry, () => wanted.push(entry));
    },
    unsubscribe(sub) {
      return change('unsubscribe', sub, () => {
        for (const w of wanted) w.events = w.events.filter((e) => !sub.events.includes(e));
        wanted.splice(0, wanted.length, ...wanted.filter((w) => w.events.length > 0));
      });
    },
    lastEventId: () => last,
    close: () => {
      closed = true;
      socket.close();
    },
  };
}
