import type { VenueFill, VenueOrderState } from '../connector';
import { createReconnectingWs } from '../shared/reconnecting-ws';
import type { BinanceMarket } from './binance-hosts';
import { fromExecutionReport, fromOrderTradeUpdate } from './binance-mappers';
import type { BinanceRest } from './binance-rest';
import { ExecutionReportSchema, OrderTradeUpdateSchema } from './binance-schemas';

export interface UserStreamOptions {
  rest: BinanceRest;
  wsBase: string;
  market: BinanceMarket;
  keepAliveMs: number;
  proactiveReconnectMs: number;
  initialBackoffMs?: number;
  onOrder: (state: VenueOrderState, fill?: VenueFill) => void;
  onAccount: (eventType: string, time: number, details: Record<string, unknown>) => void;
  /** Every (re)connect: orders may have changed while no events could arrive, so reconcile. */
  onConnected: (reconnect: boolean) => void;
  onLog: (msg: string, details?: Record<string, unknown>) => void;
}

/** The listen-key user-data stream: order, fill and account events, kept alive and reconnected. */
export function createBinanceUserStream(options: UserStreamOptions) {
  const path = options.rest.paths.listenKey;
  let listenKey: string | undefined;
  let keepAlive: NodeJS.Timeout | undefined;

  async function newKey(): Promise<string> {
    const reply = await options.rest.keyed<{ listenKey: string }>('POST', path, {}, 2);
    listenKey = reply.listenKey;
    return `${options.wsBase}/ws/${listenKey}`;
  }

  function onMessage(text: string): void {
    const raw = JSON.parse(text) as { e?: string; event?: { e?: string }; E?: number };
    const msg = (raw.event ?? raw) as { e?: string; E?: number } & Record<string, unknown>;
    switch (msg.e) {
      case 'executionReport': {
        const { state, fill } = fromExecutionReport(ExecutionReportSchema.parse(msg));
        options.onOrder(state, fill);
        return;
      }
      case 'ORDER_TRADE_UPDATE': {
        const { state, fill } = fromOrderTradeUpdate(OrderTradeUpdateSchema.parse(msg));
        options.onOrder(state, fill);
        return;
      }
      case 'outboundAccountPosition':
      case 'balanceUpdate':
      case 'ACCOUNT_UPDATE': {
        const { e, E, ...details } = msg;
        options.onAccount(e === 'outboundAccountPosition' || e === 'balanceUpdate' ? 'BALANCE_UPDATE' : 'ACCOUNT_UPDATE', E ?? 0, details);
        return;
      }
      case 'listenKeyExpired':
        options.onLog('listen key expired; reconnecting with a new one');
        void ws.stop().then(() => ws.start().catch(() => undefined));
        return;
      default:
    }
  }

  const ws = createReconnectingWs({
    url: newKey,
    proactiveReconnectMs: options.proactiveReconnectMs,
    ...(options.initialBackoffMs !== undefined ? { initialBackoffMs: options.initialBackoffMs } : {}),
    onOpen: (_socket, reconnect) => options.onConnected(reconnect),
    onMessage: (text) => {
      try {
        onMessage(text);
      } catch (err) {
        options.onLog('unreadable user-stream message', { err: err instanceof Error ? err.message : String(err) });
      }
    },
    onClose: ({ code, willReconnect }) => options.onLog('user stream closed', { code, willReconnect }),
    onError: (err) => options.onLog('user stream error', { err: err.message }),
  });

  return {
    async start() {
      await ws.start();
      keepAlive = setInterval(() => {
        if (!listenKey) return;
        const params = options.market === 'spot' ? { listenKey } : {};
        options.rest.keyed('PUT', path, params, 2).catch((err: unknown) => options.onLog('listen key keep-alive failed', { err: err instanceof Error ? err.message : String(err) }));
      }, options.keepAliveMs);
      keepAlive.unref();
    },
    async stop() {
      if (keepAlive) clearInterval(keepAlive);
      await ws.stop();
    },
    opens: () => ws.opens(),
    connected: () => ws.connected(),
  };
}
