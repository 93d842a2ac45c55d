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
}

interface Subscription {
  events: EventName[];
  symbols?: string[];
}

type AckReply = { ok: true; subscribed: string[] } | { ok: false; error: { code: string; message: string } };

export interface ProviderSocket {
  on<N extends EventName>(name: N, handler: (envelope: EventEnvelope<N>) => void): () => void;
  /** Resolves once connected and the initial subscription is acknowledged. */
  ready(): Promise<void>;
  subscribe(sub: Subscription): Promise<string[]>;
  unsubscribe(sub: Subscription): Promise<string[]>;
  readonly socket: Socket;
  close(): void;
}

/**
 * A socket.io client of the provider's default namespace. Subscriptions are re-sent after every
 * reconnect (the server forgets a socket's rooms when it drops), so a client that lives across a
 * provider restart keeps receiving what it asked for.
 */
export function connectProviderSocket(options: ProviderSocketOptions): ProviderSocket {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const socket = io(options.baseUrl, {
    path: options.path ?? '/ws',
    transports: ['websocket'],
    auth: { token: options.token, ...(options.subscribeAll ? { subscribeAll: true } : {}) },
  });
  const wanted: Subscription[] = options.events?.length
    ? [{ events: [...options.events], ...(options.symbols?.length ? { symbols: [...options.symbols] } : {}) }]
    : [];

  const emitAck = (verb: 'subscribe' | 'unsubscribe', sub: Subscription): Promise<string[]> =>
    new Promise((resolve, reject) => {
      socket.timeout(timeoutMs).emit(verb, sub, (err: Error | null, reply: AckReply) => {
        if (err) reject(new Error(`${verb} was not acknowledged within ${timeoutMs} ms`));
        else if (!reply.ok) reject(new Error(`${verb} refused: ${reply.error.code}: ${reply.error.message}`));
        else resolve(reply.subscribed);
      });
    });

  let readyPromise: Promise<void> | null = null;
  const resubscribe = async (): Promise<void> => {
    for (const sub of wanted) await emitAck('subscribe', sub);
  };
  socket.on('connect', () => {
    readyPromise = resubscribe();
    readyPromise.catch(() => undefined);
  });

  const connected = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no connection to ${options.baseUrl} within ${timeoutMs} ms`)), timeoutMs);
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

  return {
    socket,
    on(name, handler) {
      const listener = handler as (envelope: unknown) => void;
      socket.on(name as string, listener);
      return () => void socket.off(name as string, listener);
    },
    async ready() {
      await connected;
      await readyPromise;
    },
    async subscribe(sub) {
      wanted.push({ events: [...sub.events], ...(sub.symbols?.length ? { symbols: [...sub.symbols] } : {}) });
      await connected;
      return emitAck('subscribe', sub);
    },
    async unsubscribe(sub) {
      await connected;
      const subscribed = await emitAck('unsubscribe', sub);
      for (const w of wanted) w.events = w.events.filter((e) => !sub.events.includes(e));
      return subscribed;
    },
    close: () => void socket.close(),
  };
}
