import type { VenueFill, VenueOrderState } from '../connector';
import { createReconnectingWs } from '../shared/reconnecting-ws';
import { fromAlgoUpdate } from './binance-algo';
import { fromOrderTradeUpdate } from './binance-mappers';
import type { BinanceRest } from './binance-rest';
import { AlgoUpdateSchema, OrderTradeUpdateSchema } from './binance-schemas';

/** Whether a user-data stream delivers events; `reason` says why not. */
export interface UserStreamState {
  open: boolean;
  reason?: string;
}

export interface UserStreamOptions {
  rest: BinanceRest;
  /** The private WebSocket base, e.g. `wss://fstream.binance.com/private`. */
  wsBase: string;
  keepAliveMs: number;
  proactiveReconnectMs: number;
  initialBackoffMs?: number;
  onOrder: (state: VenueOrderState, fill?: VenueFill) => void;
  /** A conditional order's `ALGO_UPDATE` (its real order's fills are fetched there); `onOrder` when absent. */
  onAlgoOrder?: (state: VenueOrderState) => void;
  onAccount: (eventType: string, time: number, details: Record<string, unknown>) => void;
  /** Every (re)connect: orders may have changed while no events could arrive, so reconcile. */
  onConnected: (reconnect: boolean) => void;
  onState: (state: UserStreamState) => void;
  onLog: (msg: string, details?: Record<string, unknown>) => void;
}

/**
 * Events the private socket is asked for. The `events` query is an allow list: an event not named
 * is never delivered, `listenKeyExpired` included.
 */
const EVENTS = ['ORDER_TRADE_UPDATE', 'ALGO_UPDATE', 'ACCOUNT_UPDATE', 'listenKeyExpired'];

const errText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * USD-M futures user data: a listen key from `POST /fapi/v1/listenKey`, kept alive with `PUT`
 * (valid 60 minutes; "User Data Streams" of the USDⓈ-M docs, still documented), and read on the
 * private endpoint `<wsBase>/ws?listenKey=<key>&events=<a>/<b>` (the 2026 WebSocket URL
 * architecture; the legacy `/ws/<listenKey>` was retired on 2026-04-23). A failed keep-alive is
 * not just logged: the stream counts as not open and reconnects with a fresh key, which the
 * reconciliation after the reconnect covers.
 */
export function createBinanceUserStream(options: UserStreamOptions) {
  const path = '/fapi/v1/listenKey';
  let listenKey: string | undefined;
  let keepAlive: NodeJS.Timeout | undefined;

  async function newKey(): Promise<string> {
    try {
      const reply = await options.rest.keyed<{ listenKey: string }>('POST', path, {}, 1);
      listenKey = reply.listenKey;
    } catch (err) {
      options.onState({ open: false, reason: `listen key refused by Binance: ${errText(err)}` });
      throw err;
    }
    return `${options.wsBase}/ws?listenKey=${encodeURIComponent(listenKey)}&events=${EVENTS.join('/')}`;
  }

  function onMessage(text: string): void {
    const msg = JSON.parse(text) as { e?: string; E?: number } & Record<string, unknown>;
    switch (msg.e) {
      case 'ORDER_TRADE_UPDATE': {
        const { state, fill } = fromOrderTradeUpdate(OrderTradeUpdateSchema.parse(msg));
        options.onOrder(state, fill);
        return;
      }
      case 'ALGO_UPDATE': {
        // "Event: Algo Order Update": a conditional order's own life; its real order's trades come as ORDER_TRADE_UPDATE.
        const state = fromAlgoUpdate(AlgoUpdateSchema.parse(msg));
        if (options.onAlgoOrder) options.onAlgoOrder(state);
        else options.onOrder(state);
        return;
      }
      case 'ACCOUNT_UPDATE': {
        const { e: _type, E, ...details } = msg;
        options.onAccount('ACCOUNT_UPDATE', E ?? 0, details);
        return;
      }
      case 'listenKeyExpired':
        renew('listen key expired');
        return;
      default:
    }
  }

  /** The key is gone or could not be extended: reconnect with a new one (reconciled after). */
  function renew(reason: string): void {
    options.onLog(`${reason}; reconnecting with a new listen key`);
    options.onState({ open: false, reason: `${reason}; reconnecting with a new listen key` });
    listenKey = undefined;
    ws.reconnect();
  }

  const ws = createReconnectingWs({
    url: newKey,
    proactiveReconnectMs: options.proactiveReconnectMs,
    ...(options.initialBackoffMs !== undefined ? { initialBackoffMs: options.initialBackoffMs } : {}),
    onOpen: (_socket, reconnect) => {
      options.onState({ open: true });
      options.onConnected(reconnect);
    },
    onMessage: (text) => {
      try {
        onMessage(text);
      } catch (err) {
        options.onLog('unreadable user-stream message', { err: errText(err) });
      }
    },
    onClose: ({ code, willReconnect }) => {
      if (willReconnect)
        options.onState({ open: false, reason: `user-data connection closed (${code}); reconnecting` });
      options.onLog('user stream closed', { code, willReconnect });
    },
    onError: (err) => options.onLog('user stream error', { err: err.message }),
  });

  async function extend(): Promise<void> {
    if (!listenKey) return;
    try {
      await options.rest.keyed('PUT', path, {}, 1);
    } catch (err) {
      renew(`listen key keep-alive failed (${errText(err)})`);
    }
  }

  return {
    async start() {
      keepAlive = setInterval(() => void extend(), options.keepAliveMs);
      keepAlive.unref();
      await ws.start();
    },
    async stop() {
      if (keepAlive) clearInterval(keepAlive);
      await ws.stop();
    },
    /** Runs one keep-alive now (tests; the timer does the same every `keepAliveMs`). */
    keepAliveNow: () => extend(),
    opens: () => ws.opens(),
    connected: () => ws.connected(),
  };
}
