import { Money, normalizeDecimal } from '@barfinex/contracts';
import type { Fill, Order } from '@barfinex/contracts';
import { isFinalOrderStatus } from '@barfinex/enums';
import type { ExchangeConnector, VenueFill, VenueOrderState } from '../../connectors/connector';
import type { EventPublisher } from '../../bus/publisher';
import type { OrderPatch, OrdersRepository } from './orders.repository';

// What the venue says about an order, applied to the stored order and announced: the one path for
// a placement's reply, venue events and reconciliation (the write-ahead record's other half).

/** Decimals in the canonical form the database gives back, whatever form the venue used (a venue's own value is kept if it is not a decimal). */
const canonical = (value: string): string => normalizeDecimal(value) ?? value;

/**
 * An order's lifecycle events have ids derived from the order, so announcing a state again (after a
 * crash, by reconciliation) re-sends the same event: JetStream and the event sink drop the copy.
 */
export const orderEventIds = {
  create: (orderId: string) => `${orderId}:create`,
  close: (orderId: string) => `${orderId}:close`,
  fill: (orderId: string, tradeId: string) => `${orderId}:fill:${tradeId}`,
};

/** Routing fields of an order's events (and the event id, for its lifecycle events). */
export function orderRouting(order: Order, eventId?: string) {
  return {
    symbol: order.symbol,
    connectorType: order.connectorType,
    marketType: order.marketType,
    correlationId: order.correlationId ?? order.clientOrderId,
    ...(eventId ? { eventId } : {}),
  };
}

export interface VenueStateDeps {
  repo: Pick<OrdersRepository, 'applyVenueUpdate' | 'insertFill' | 'fillsOf'>;
  events: Pick<EventPublisher, 'emit'>;
}

export function createVenueState(deps: VenueStateDeps) {
  /**
   * Applies the venue's view of an order: CREATE when the venue's id is first learnt (the venue
   * acknowledged it), then the fills, then the state and CLOSE when it is final. One path for a
   * placement's reply, a venue event and reconciliation, so each event goes out once, in order.
   */
  async function applyVenueState(
    order: Order,
    state: VenueOrderState,
    fills: readonly VenueFill[] = [],
  ): Promise<Order> {
    // A late copy of an older state (a list read before a fill applied) must not undo progress.
    if (new Money(state.quantityExecuted).lt(order.quantityExecuted) && !isFinalOrderStatus(state.status)) return order;
    // A venue that refused the order never accepted it: as on the placement path, only CLOSE goes out.
    if (!order.externalId && state.externalId && state.status !== 'REJECTED') {
      deps.events.emit(
        'PROVIDER_ORDER_CREATE',
        { ...order, externalId: state.externalId },
        orderRouting(order, orderEventIds.create(order.id)),
      );
    }
    const final = isFinalOrderStatus(state.status);
    // The venue's clock may run behind ours: an order never changes or closes before it was created.
    const at = Math.max(state.updatedAt, order.createdAt);
    const patch: OrderPatch = {
      status: state.status,
      ...(state.externalId ? { externalId: state.externalId } : {}),
      quantityExecuted: canonical(state.quantityExecuted),
      ...(state.averagePrice ? { averagePrice: canonical(state.averagePrice) } : {}),
      ...(state.rejectReason ? { rejectReason: state.rejectReason } : {}),
      updatedAt: at,
      ...(final && order.closedAt === undefined ? { closedAt: at } : {}),
    };
    // Fills and state in one statement; FILL goes out for each fill stored now, not for a repeat.
    const payloads = fills.map((fill) => fillPayload(order, fill));
    const stored = new Set(await deps.repo.applyVenueUpdate(order.id, patch, payloads));
    // Each FILL also says what the order is now, so whoever follows the order need not read it back.
    const now = {
      orderStatus: state.status,
      quantityExecuted: canonical(state.quantityExecuted),
      ...(patch.averagePrice ? { averagePrice: patch.averagePrice } : {}),
    };
    for (const payload of payloads) {
      if (stored.has(payload.tradeId ?? payload.fillId))
        deps.events.emit(
          'PROVIDER_ORDER_FILL',
          { ...payload, ...now },
          orderRouting(order, orderEventIds.fill(order.id, payload.tradeId ?? payload.fillId)),
        );
    }
    const updated: Order = { ...order, ...patch };
    if (final && !isFinalOrderStatus(order.status)) {
      deps.events.emit('PROVIDER_ORDER_CLOSE', updated, orderRouting(updated, orderEventIds.close(updated.id)));
    }
    return updated;
  }

  function fillPayload(order: Order, fill: VenueFill): Fill {
    return {
      fillId: `${order.id}:${fill.tradeId}`,
      orderId: order.id,
      clientOrderId: order.clientOrderId,
      externalId: fill.externalId,
      tradeId: fill.tradeId,
      symbol: order.symbol,
      side: order.side,
      price: canonical(fill.price),
      quantity: canonical(fill.quantity),
      fee: canonical(fill.fee),
      feeAsset: fill.feeAsset,
      isMaker: fill.isMaker,
      time: fill.time,
      connectorType: order.connectorType,
      marketType: order.marketType,
      source: order.source,
      ...(fill.realizedPnl !== undefined ? { realizedPnl: fill.realizedPnl } : {}),
    };
  }

  async function applyFill(order: Order, fill: VenueFill): Promise<void> {
    const payload = fillPayload(order, fill);
    const stored = await deps.repo.insertFill(order.id, payload);
    if (stored)
      deps.events.emit('PROVIDER_ORDER_FILL', payload, orderRouting(order, orderEventIds.fill(order.id, fill.tradeId)));
  }

  /**
   * The fills the venue reports for an order beyond those stored: the venue's own trade list where
   * it has one (stored fills are skipped by their trade id), else one fill for the remainder at the
   * price and fee that make the totals match (the simulator keeps an order's totals, not its trades).
   */
  async function missingFills(
    connector: ExchangeConnector,
    order: Order,
    state: VenueOrderState,
  ): Promise<VenueFill[]> {
    const stored = await deps.repo.fillsOf(order.id);
    const quantity = stored.reduce((sum, f) => sum.plus(f.quantity), new Money(0));
    const missing = new Money(state.quantityExecuted).minus(quantity);
    if (missing.lte(0)) return [];
    if (connector.orderFills && state.externalId)
      return connector.orderFills(order.marketType, order.symbol, state.externalId);
    if (!state.averagePrice) return [];
    const quote = stored.reduce((sum, f) => sum.plus(new Money(f.price).times(f.quantity)), new Money(0));
    const fee = stored.reduce((sum, f) => sum.plus(f.fee ?? '0'), new Money(0));
    const price = new Money(state.averagePrice).times(state.quantityExecuted).minus(quote).div(missing);
    return [
      {
        clientOrderId: order.clientOrderId,
        externalId: state.externalId,
        // The same remainder found twice is the same fill.
        tradeId: `reconciled-${new Money(state.quantityExecuted).toFixed()}`,
        symbol: order.symbol,
        side: order.side,
        price: price.toDecimalPlaces(12).toFixed(),
        quantity: missing.toFixed(),
        fee: state.fee ? Money.max(0, new Money(state.fee).minus(fee)).toFixed() : '0',
        feeAsset: state.feeAsset ?? stored[0]?.feeAsset ?? '',
        isMaker: false,
        time: state.updatedAt,
      },
    ];
  }

  /** The venue acknowledged the order and reports what is stored: nothing to apply. */
  function unchangedAt(order: Order, state: VenueOrderState): boolean {
    return (
      order.externalId !== undefined &&
      order.status === state.status &&
      new Money(order.quantityExecuted).eq(state.quantityExecuted)
    );
  }

  return { applyVenueState, applyFill, missingFills, unchangedAt };
}

export type VenueState = ReturnType<typeof createVenueState>;
