import { randomUUID } from 'node:crypto';
import { Money } from '@barfinex/contracts';
import type { Order, Position, Reconciliation } from '@barfinex/contracts';
import type { ConnectorType, MarketType } from '@barfinex/enums';
import type { ExchangeConnector, VenueOpenOrder } from '../connector';
import type { EventPublisher } from '../../bus/publisher';
import type { OrdersRepository } from '../../areas/orders/orders.repository';
import { OPEN_STATUSES } from '../../areas/orders/orders.service';
import { orderEventIds } from '../../areas/orders/venue-state';
import type { OrdersService } from '../../areas/orders/orders.service';

type Mismatch = Reconciliation['mismatches'][number];

export interface ReconcilerDeps {
  repo: Pick<OrdersRepository, 'listAll' | 'insert' | 'findByClientOrderId'>;
  orders: Pick<OrdersService, 'onVenueOrder' | 'settle'>;
  events: Pick<EventPublisher, 'emit'>;
  now: () => number;
  newId?: () => string;
}

/** Source of orders found on the venue that this provider never placed. */
export const EXTERNAL_SOURCE = { type: 'provider', key: 'external' } as const;

const key = (type: ConnectorType, market: MarketType) => `${type}/${market}`;
const positionKey = (p: Position) => `${p.symbol}:${p.side}`;

function adopted(v: VenueOpenOrder, type: ConnectorType, market: MarketType, id: string): Order {
  return {
    id,
    clientOrderId: v.clientOrderId,
    externalId: v.externalId,
    symbol: v.symbol,
    side: v.side,
    type: v.type,
    status: v.status,
    quantity: v.quantity,
    quantityExecuted: v.quantityExecuted,
    connectorType: type,
    marketType: market,
    source: { ...EXTERNAL_SOURCE },
    createdAt: v.createdAt,
    updatedAt: v.updatedAt,
    ...(v.price ? { price: v.price } : {}),
    ...(v.stopPrice ? { stopPrice: v.stopPrice } : {}),
    ...(v.averagePrice ? { averagePrice: v.averagePrice } : {}),
    ...(v.timeInForce ? { timeInForce: v.timeInForce } : {}),
  };
}

/**
 * Compares what the venue says with the database and makes the database agree: changed orders
 * get the venue's state and fills, orders the venue never received are closed, venue orders the
 * database lacks are adopted as external. The result is kept for the route and published.
 */
export function createReconciler(deps: ReconcilerDeps) {
  const newId = deps.newId ?? randomUUID;
  const latest = new Map<string, Reconciliation>();
  const positions = new Map<string, Map<string, string>>();

  function describe(local: Order, after: Order): Mismatch | undefined {
    const sameStatus = local.status === after.status;
    const sameQty = new Money(local.quantityExecuted).eq(after.quantityExecuted);
    if (sameStatus && sameQty) return undefined;
    return {
      kind: sameStatus ? 'quantityChanged' : 'statusChanged',
      symbol: local.symbol,
      orderId: local.id,
      detail: sameStatus
        ? `executed ${local.quantityExecuted} -> ${after.quantityExecuted}`
        : `${local.status} -> ${after.status}`,
    };
  }

  function comparePositions(type: ConnectorType, market: MarketType, current: Position[], out: Mismatch[]): void {
    const now = new Map(
      current.filter((p) => !new Money(p.quantity).isZero()).map((p) => [positionKey(p), p.quantity]),
    );
    const before = positions.get(key(type, market));
    positions.set(key(type, market), now);
    if (!before) return;
    for (const k of new Set([...before.keys(), ...now.keys()])) {
      const [a, b] = [before.get(k) ?? '0', now.get(k) ?? '0'];
      if (!new Money(a).eq(b))
        out.push({ kind: 'positionChanged', symbol: k.split(':')[0], detail: `${k} ${a} -> ${b}` });
    }
  }

  async function run(connector: ExchangeConnector, market: MarketType): Promise<Reconciliation> {
    if (!connector.openOrders || !connector.queryOrder)
      throw new Error(`connector ${connector.type} cannot be reconciled`);
    const type = connector.type;
    const venueOpen = await connector.openOrders(market);
    // All of them: an order past a cap would never be compared with the venue.
    const localOpen = await deps.repo.listAll({ connectorType: type, marketType: market, statuses: OPEN_STATUSES });
    const mismatches: Mismatch[] = [];
    let matched = 0;
    const seen = new Set<string>();
    const localByClientId = new Map(localOpen.map((o) => [o.clientOrderId, o]));

    for (const v of venueOpen) {
      seen.add(v.clientOrderId);
      const local = localByClientId.get(v.clientOrderId) ?? (await deps.repo.findByClientOrderId(v.clientOrderId));
      // The periodic run's usual case costs nothing: acknowledged, and as the venue has it.
      if (
        local?.externalId !== undefined &&
        local.status === v.status &&
        new Money(local.quantityExecuted).eq(v.quantityExecuted)
      ) {
        matched++;
        continue;
      }
      if (!local) {
        const order = await deps.repo.insert(adopted(v, type, market, newId()));
        if (order)
          deps.events.emit('PROVIDER_ORDER_CREATE', order, {
            symbol: order.symbol,
            connectorType: type,
            marketType: market,
            correlationId: order.clientOrderId,
            eventId: orderEventIds.create(order.id),
          });
        mismatches.push({
          kind: 'missingLocal',
          symbol: v.symbol,
          orderId: order?.id ?? v.clientOrderId,
          detail: `adopted venue order ${v.externalId} as external`,
        });
        continue;
      }
      const after = await deps.orders.onVenueOrder(connector, v);
      const mismatch =
        after &&
        (describe(local, after) ??
          (local.externalId
            ? undefined
            : { kind: 'statusChanged', symbol: local.symbol, orderId: local.id, detail: 'acknowledged by the venue' }));
      if (mismatch) mismatches.push(mismatch);
      else matched++;
    }

    // Every other open order is settled in its own queue, so a placement in flight finishes first.
    for (const local of localOpen) {
      if (seen.has(local.clientOrderId)) continue;
      const outcome = await deps.orders.settle(connector, local);
      if (outcome.kind === 'discarded') {
        mismatches.push({
          kind: 'missingRemote',
          symbol: local.symbol,
          orderId: local.id,
          detail: 'never reached the venue; its write-ahead record was discarded',
        });
      } else if (outcome.kind === 'closedMissing') {
        mismatches.push({
          kind: 'missingRemote',
          symbol: local.symbol,
          orderId: local.id,
          detail: 'unknown to the venue; closed as REJECTED',
        });
      } else if (outcome.kind === 'updated') {
        mismatches.push(
          describe(local, outcome.order) ?? {
            kind: 'statusChanged',
            symbol: local.symbol,
            orderId: local.id,
            detail: 'acknowledged by the venue',
          },
        );
      } else if (outcome.kind === 'unchanged') {
        matched++;
      }
    }

    if (market === 'futures') comparePositions(type, market, (await connector.account(market)).positions, mismatches);

    const result: Reconciliation = {
      connectorType: type,
      marketType: market,
      checkedAt: deps.now(),
      matched,
      mismatches,
    };
    latest.set(key(type, market), result);
    deps.events.emit('PROVIDER_RECONCILIATION', result, { connectorType: type, marketType: market });
    return result;
  }

  return { run, latest: (type: ConnectorType, market: MarketType) => latest.get(key(type, market)) };
}

export type Reconciler = ReturnType<typeof createReconciler>;
