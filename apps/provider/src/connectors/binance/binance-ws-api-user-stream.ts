import { createHmac } from 'node:crypto';
import { z } from 'zod';
import type { VenueFill, VenueOrderState } from '../connector';
import { createReconnectingWs } from '../shared/reconnecting-ws';
import { fromExecutionReport } from './binance-mappers';
import type { BinanceCredentials } from './binance-rest';
import { ExecutionReportSchema } from './binance-schemas';
import type { UserStreamState } from './binance-user-stream';

/**
 * Spot user data over the WebSocket API, the only way Binance offers it since the listen-key
 * endpoints (`POST/PUT/DELETE /api/v3/userDataStream`, `userDataStream.start/ping/stop`) were
 * retired on 2026-02-20 (spot CHANGELOG 2026-01-21; docs read at "Last Updated: 2026-07-17").
 *
 * web-socket-api.md "User Data Stream requests": `userDataStream.subscribe` needs a session logged
 * on with `session.logon`, which accepts Ed25519 keys only ("Session Authentication");
 * `userDataStream.subscribe.signature` needs no logon and "can work with any API Key type"
 * (CHANGELOG 2025-08-12), so it is what this connector sends: `apiKey`, `recvWindow`, `timestamp`
 * and an HMAC-SHA256 `signature` of those params sorted by name ("SIGNED request example (HMAC)").
 *
 * Events arrive as `{ subscriptionId, event }` ("Event format"); `eventStreamTerminated` ends a
 * subscription (it is subscribed again) and `serverShutdown` announces a disconnect (a new connection
 * is opened at once). Every subscription, first or after a reconnect, is followed by `onConnected`
 * (reconciliation), since events may have been missed meanwhile.
 */
export interface WsApiUserStreamOptions {
  /** `wss://ws-api.binance.com:443/ws-api/v3`, testnet `wss://ws-api.testnet.binance.vision/ws-api/v3`. */
  url: string;
  credentials: BinanceCredentials;
  /** The venue's clock (local time plus the offset measured from `/time`). */
  venueNow: () => number;
  recvWindowMs: number;
  /** Re-measures the clock offset after a -1021 refusal. */
  resyncClock: () => Promise<unknown>;
  proactiveReconnectMs: number;
  initialBackoffMs?: number;
  replyTimeoutMs?: number;
  onOrder: (state: VenueOrderState, fill?: VenueFill) => void;
  onAccount: (eventType: string, time: number, details: Record<string, unknown>) => void;
  onConnected: (reconnect: boolean) => void;
  onState: (state: UserStreamState) => void;
  onLog: (msg: string, details?: Record<string, unknown>) => void;
}

const ReplySchema = z.looseObject({
  id: z.union([z.string(), z.number(), z.null()]),
  status: z.number(),
  result: z.unknown().optional(),
  error: z.looseObject({ code: z.number(), msg: z.string() }).optional(),
});
const EventSchema = z.looseObject({
  subscriptionId: z.number().optional(),
  event: z.looseObject({ e: z.string(), E: z.number().optional() }),
});

class WsApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export function signWsApiParams(params: Record<string, string | number>, secret: string): string {
  const payload = Object.keys(params)
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
  return createHmac('sha256', secret).update(payload).digest('hex');
}

export function createBinanceWsApiUserStream(options: WsApiUserStreamOptions) {
  const pending = new Map<
    string,
    { resolve: (r: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }
  >();
  let seq = 0;
  let socket: { send(message: unknown): void } | undefined;
  let subscribed = false;
  /** Why the last subscription failed; kept through the close that follows, so the reason stays the useful one. */
  let failure: string | undefined;

  function request(method: string, params: Record<string, string | number>): Promise<unknown> {
    const id = `${method}-${++seq}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`${method}: no reply within ${options.replyTimeoutMs ?? 10_000} ms`));
      }, options.replyTimeoutMs ?? 10_000);
      timer.unref();
      pending.set(id, { resolve, reject, timer });
      socket?.send({ id, method, params });
    });
  }

  function signedParams(): Record<string, string | number> {
    const params = {
      apiKey: options.credentials.apiKey,
      recvWindow: options.recvWindowMs,
      timestamp: Math.round(options.venueNow()),
    };
    return { ...params, signature: signWsApiParams(params, options.credentials.apiSecret) };
  }

  async function subscribe(reconnect: boolean): Promise<void> {
    try {
      await request('userDataStream.subscribe.signature', signedParams());
    } catch (err) {
      if (!(err instanceof WsApiError) || err.code !== -1021) throw err;
      // Our clock drifted from the venue's: measure again and sign once more.
      await options.resyncClock();
      await request('userDataStream.subscribe.signature', signedParams());
    }
    subscribed = true;
    failure = undefined;
    options.onState({ open: true });
    options.onConnected(reconnect);
  }

  function fail(err: unknown): never {
    const reason =
      err instanceof WsApiError
        ? `user-data subscription refused by Binance (${err.code}: ${err.message})`
        : `user-data subscription failed: ${err instanceof Error ? err.message : String(err)}`;
    failure = reason;
    options.onState({ open: false, reason });
    throw err instanceof Error ? err : new Error(String(err));
  }

  function onEvent(e: { e: string; E?: number } & Record<string, unknown>): void {
    switch (e.e) {
      case 'executionReport': {
        const { state, fill } = fromExecutionReport(ExecutionReportSchema.parse(e));
        options.onOrder(state, fill);
        return;
      }
      case 'outboundAccountPosition':
      case 'balanceUpdate':
      case 'externalLockUpdate': {
        const { e: _type, E, ...details } = e;
        options.onAccount('BALANCE_UPDATE', E ?? 0, details);
        return;
      }
      case 'eventStreamTerminated':
        subscribed = false;
        options.onState({ open: false, reason: 'the venue ended the user-data subscription; subscribing again' });
        void subscribe(true).catch((err: unknown) => {
          options.onLog('user-data resubscription failed; reconnecting', {
            err: err instanceof Error ? err.message : String(err),
          });
          ws.reconnect();
        });
        return;
      case 'serverShutdown':
        options.onLog('venue announced a server shutdown; reconnecting');
        ws.reconnect();
        return;
      default:
        options.onLog('unhandled user-data event', { event: e.e });
    }
  }

  function onMessage(text: string): void {
    const raw = JSON.parse(text) as Record<string, unknown>;
    if ('event' in raw) return onEvent(EventSchema.parse(raw).event);
    const reply = ReplySchema.parse(raw);
    const waiter = pending.get(String(reply.id));
    if (!waiter) return;
    pending.delete(String(reply.id));
    clearTimeout(waiter.timer);
    if (reply.status === 200) waiter.resolve(reply.result);
    else waiter.reject(new WsApiError(reply.error?.code ?? reply.status, reply.error?.msg ?? `status ${reply.status}`));
  }

  const ws = createReconnectingWs({
    url: () => options.url,
    proactiveReconnectMs: options.proactiveReconnectMs,
    ...(options.initialBackoffMs !== undefined ? { initialBackoffMs: options.initialBackoffMs } : {}),
    onOpen: async (s, reconnect) => {
      socket = s;
      subscribed = false;
      await subscribe(reconnect).catch(fail);
    },
    onMessage: (text) => {
      try {
        onMessage(text);
      } catch (err) {
        options.onLog('unreadable user-data message', { err: err instanceof Error ? err.message : String(err) });
      }
    },
    onClose: ({ code, willReconnect }) => {
      subscribed = false;
      for (const [id, w] of pending) {
        clearTimeout(w.timer);
        w.reject(new Error('connection closed'));
        pending.delete(id);
      }
      if (willReconnect)
        options.onState({
          open: false,
          reason: failure ? `${failure}; retrying` : `user-data connection closed (${code}); reconnecting`,
        });
      options.onLog('user stream closed', { code, willReconnect });
    },
    onError: (err) => options.onLog('user stream error', { err: err.message }),
  });

  return {
    start: () => ws.start(),
    stop: () => ws.stop(),
    opens: () => ws.opens(),
    connected: () => ws.connected() && subscribed,
  };
}
