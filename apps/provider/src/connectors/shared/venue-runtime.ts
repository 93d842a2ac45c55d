import type { MarketType } from '@barfinex/enums';
import type { Logger } from 'pino';
import type { EventPublisher } from '../../bus/publisher';
import type { MarketDataHub } from '../../areas/market-data/market-data.hub';
import type { OrdersService } from '../../areas/orders/orders.service';
import type { ExchangeConnector } from '../connector';
import type { Reconciler } from './reconciler';

export interface VenueRuntimeDeps {
  connectors: readonly ExchangeConnector[];
  orders: OrdersService;
  marketData: MarketDataHub;
  reconciler: Reconciler;
  events: EventPublisher;
  logger: Logger;
  /** How often every open order is checked against its venue (PROVIDER_RECONCILE_MS). */
  reconcileMs: number;
}

/**
 * The provider's side of its venues while it runs: each connector started with where its market
 * data, order updates, fills and balance changes go, the periodic reconciliation of open orders,
 * and the connectors stopped again.
 */
export function createVenueRuntime(deps: VenueRuntimeDeps) {
  const { connectors, orders, marketData, reconciler, events, logger } = deps;
  let reconcileTimer: NodeJS.Timeout | undefined;
  let reconciling: Promise<void> | undefined;

  /** Every open order against its venue, one connector market at a time; a run still going is not doubled. */
  function reconcileAll(): Promise<void> {
    reconciling ??= (async () => {
      for (const connector of connectors) {
        if (!connector.openOrders || (connector.status() !== 'ACTIVE' && connector.status() !== 'DEGRADED')) continue;
        for (const m of connector.markets) {
          await reconciler
            .run(connector, m)
            .catch((err: unknown) =>
              logger.warn(
                { err, connector: connector.type, market: m },
                'periodic reconciliation failed; the next run retries',
              ),
            );
        }
      }
    })().finally(() => {
      reconciling = undefined;
    });
    return reconciling;
  }

  async function start(): Promise<void> {
    for (const connector of connectors) {
      await connector.start({
        onTrade: (m, trade) => marketData.onTrade(connector.type, m, trade),
        onOrderBook: (m, book) => marketData.onOrderBook(connector.type, m, book),
        onTicker: (m, ticker) => marketData.onTicker(connector.type, m, ticker),
        onOrderUpdate: (m, state) =>
          void orders
            .onVenueOrderUpdate(m, state)
            .catch((err: unknown) => logger.error({ err, clientOrderId: state.clientOrderId }, 'order update failed')),
        onFill: (m, fill) =>
          void orders
            .onVenueFill(m, fill)
            .catch((err: unknown) => logger.error({ err, clientOrderId: fill.clientOrderId }, 'fill failed')),
        onAccountChange: (m, change) =>
          events.emit(
            'PROVIDER_ACCOUNT_EVENT',
            {
              eventType: change.eventType,
              eventTime: change.time,
              options: { marketType: m, connectorType: connector.type, ...change.details },
            },
            { connectorType: connector.type, marketType: m },
          ),
        ...(connector.openOrders ? { reconcile: (m: MarketType) => reconciler.run(connector, m) } : {}),
      });
    }
    reconcileTimer = setInterval(() => void reconcileAll(), deps.reconcileMs);
    reconcileTimer.unref();
  }

  /** Stops the periodic runs, waits for one going, then stops every connector. */
  async function stop(): Promise<void> {
    if (reconcileTimer) clearInterval(reconcileTimer);
    reconcileTimer = undefined;
    await reconciling;
    for (const connector of connectors) await connector.stop();
  }

  return { start, stop, reconcileAll };
}

export type VenueRuntime = ReturnType<typeof createVenueRuntime>;
