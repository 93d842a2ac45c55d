import { randomUUID } from 'node:crypto';
import { Money } from '@barfinex/contracts';
import type { Order, OrderCreate } from '@barfinex/contracts';
import { FINAL_ORDER_STATUSES, isFinalOrderStatus } from '@barfinex/enums';
import type { MarketType, OrderStatus } from '@barfinex/enums';
import { AppError, conflict, createKeyedQueue, notFound, orderRejected, validationError } from '@barfinex/service-kit';
import type { ConnectorRegistry } from '../../connectors/connector-registry';
import { VenueRejectError } from '../../connectors/connector';
import type { ExchangeConnector, VenueFill, VenueOrderState } from '../../connectors/connector';
import type { EventPublisher } from '../../bus/publisher';
import { checkOrderAgainstInstrument } from './order-filters';
import type { OrderFilter, OrdersRepository } from './orders.repository';
import { createVenueState, orderEventIds, orderRouting } from './venue-state';

/** The points of an order's placement where a crash leaves different traces (see `crashAt`). */
export type OrderCrashPoint = 'before-insert' | 'after-insert' | 'after-venue';

export interface OrdersServiceDeps {
  repo: OrdersRepository;
  connectors: ConnectorRegistry;
  events: EventPublisher;
  now: () => number;
  newId?: () => string;
  /**
   * Called at each crash point of a placement. Production passes nothing; the crash tests pass a
   * hook that kills the process there, to prove reconciliation recovers from each one.
   */
  crashAt?: (point: OrderCrashPoint, clientOrderId: string) => void;
}

/** What settling an order that may not have reached its venue did (see `settle`). */
export type SettleOutcome =
  { kind: 'unchanged' | 'updated' | 'placed' | 'closedMissing'; order: Order } | { kind: 'discarded' | 'gone' };

export interface PlaceResult {
  order: Order;
  /** true when an earlier order with the same clientOrderId / idempotencyKey was returned. */
  replayed: boolean;
}

export const OPEN_STATUSES: readonly OrderStatus[] = ['NEW', 'PARTIALLY_FILLED', 'PENDING_TRIGGER'];

export function createOrdersService(deps: OrdersServiceDeps) {
  const newId = deps.newId ?? randomUUID;
  const crashAt = deps.crashAt ?? (() => undefined);
  // Placement replies and asynchronous venue updates for one order are applied one at a time.
  const perOrder = createKeyedQueue();
  const { applyVenueState, applyFill, missingFills, unchangedAt } = createVenueState({
    repo: deps.repo,
    events: deps.events,
  });

  async function existingFor(input: OrderCreate): Promise<Order | undefined> {
    if (input.idempotencyKey) {
      const byKey = await deps.repo.findByIdempotencyKey(input.idempotencyKey);
      if (byKey) return byKey;
    }
    if (input.clientOrderId) return deps.repo.findByClientOrderId(input.clientOrderId);
    return undefined;
  }

  /** The connector for a new order, after the instrument's filters; throws the 4xx a request gets. */
  function checked(input: OrderCreate) {
    const connector = deps.connectors.require(input.connectorType, input.marketType);
    const instrument = connector.instrument(input.marketType, input.symbol);
    if (!instrument) {
      throw validationError(`unknown symbol ${input.symbol} on ${input.connectorType}/${input.marketType}`, {
        issues: [{ path: 'symbol', message: 'unknown symbol', code: 'UNKNOWN_SYMBOL' }],
      });
    }
    // Leverage belongs to a futures symbol; on spot it would be stored and silently ignored.
    if (input.leverage !== undefined && input.marketType !== 'futures') {
      throw validationError(`leverage applies to futures markets only, not ${input.marketType}`, {
        issues: [
          { path: 'leverage', message: 'leverage applies to futures markets only', code: 'LEVERAGE_NOT_APPLICABLE' },
        ],
      });
    }
    const problem = checkOrderAgainstInstrument(instrument, input, connector.lastPrice(input.marketType, input.symbol));
    if (problem) throw validationError(problem.message, { issues: [problem] });
    return connector;
  }

  /**
   * Sets the symbol's leverage at the venue (what PUT /accounts/leverage does) before the order is
   * sent, so the order trades at the leverage it asks for. Venues keep leverage per symbol, so the
   * open position and the symbol's other orders move to it too. When the venue refuses, the order
   * was never sent: it is not stored and its clientOrderId stays free.
   */
  async function applyLeverage(connector: ExchangeConnector, order: Order, leverage: number): Promise<void> {
    try {
      await connector.setLeverage(order.marketType, order.symbol, leverage);
    } catch (err) {
      await deps.repo.remove(order.id);
      if (err instanceof VenueRejectError) {
        throw validationError(`leverage ${leverage} not set: ${err.message}`, {
          issues: [{ path: 'leverage', code: err.code, message: err.message }],
        });
      }
      throw err;
    }
  }

  /** Sends a stored order to its venue and applies the reply. Runs inside the order's queue. */
  async function send(connector: ExchangeConnector, stored: Order): Promise<Order> {
    if (stored.leverage !== undefined) await applyLeverage(connector, stored, stored.leverage);
    let placement;
    try {
      placement = await connector.placeOrder(stored.marketType, {
        clientOrderId: stored.clientOrderId,
        symbol: stored.symbol,
        side: stored.side,
        type: stored.type,
        quantity: stored.quantity,
        ...(stored.price ? { price: stored.price } : {}),
        ...(stored.stopPrice ? { stopPrice: stored.stopPrice } : {}),
        ...(stored.callbackRate ? { callbackRate: stored.callbackRate } : {}),
        ...(stored.timeInForce ? { timeInForce: stored.timeInForce } : {}),
        ...(stored.reduceOnly ? { reduceOnly: true } : {}),
      });
    } catch (err) {
      if (err instanceof VenueRejectError && err.invalidRequest) {
        // The venue refused the request itself and kept nothing: no order exists, so none is stored
        // and the clientOrderId stays free for the corrected request, as with the checks above.
        await deps.repo.remove(stored.id);
        throw validationError(err.message, { issues: [{ path: '', code: err.code, message: err.message }] });
      }
      if (err instanceof VenueRejectError) {
        const rejected = await deps.repo.update(stored.id, {
          status: 'REJECTED',
          rejectReason: `${err.code}: ${err.message}`,
          updatedAt: deps.now(),
          closedAt: deps.now(),
        });
        deps.events.emit('PROVIDER_ORDER_CLOSE', rejected, orderRouting(rejected, orderEventIds.close(rejected.id)));
        throw orderRejected(err.message, { reason: err.code, order: rejected });
      }
      // Anything else (a timeout, a dropped connection) leaves the venue's answer unknown: the
      // stored order stays unacknowledged until a retry or reconciliation asks the venue.
      throw err;
    }
    crashAt('after-venue', stored.clientOrderId);
    return applyVenueState(stored, placement.order, placement.fills);
  }

  /**
   * Brings one stored order in line with its venue, inside the order's queue: the venue's state
   * (with the fills and events it implies) when the venue has it; when it does not, an order the
   * venue acknowledged is closed as REJECTED, and one it never received (a crash or a lost
   * connection between the write-ahead insert and the venue's reply) is sent now when `resend`
   * (a retry of the same request), else its write-ahead record is discarded: no event ever
   * announced it, and the clientOrderId is free for the retry.
   */
  async function settleLocked(connector: ExchangeConnector, id: string, resend: boolean): Promise<SettleOutcome> {
    const order = await deps.repo.findById(id);
    if (!order) return { kind: 'gone' };
    // A venue that cannot be asked about one order leaves it to its own reconciliation.
    if (isFinalOrderStatus(order.status) || (order.externalId && resend) || !connector.queryOrder)
      return { kind: 'unchanged', order };
    const state = await connector.queryOrder(order.marketType, order.clientOrderId, order.symbol);
    if (state) {
      if (unchangedAt(order, state)) return { kind: 'unchanged', order };
      return {
        kind: 'updated',
        order: await applyVenueState(order, state, await missingFills(connector, order, state)),
      };
    }
    if (!order.externalId) {
      if (resend) return { kind: 'placed', order: await send(connector, order) };
      await deps.repo.remove(order.id);
      return { kind: 'discarded' };
    }
    const missing: VenueOrderState = {
      clientOrderId: order.clientOrderId,
      externalId: order.externalId,
      symbol: order.symbol,
      status: 'REJECTED',
      quantityExecuted: order.quantityExecuted,
      rejectReason: 'NOT_FOUND_ON_VENUE',
      updatedAt: deps.now(),
    };
    return { kind: 'closedMissing', order: await applyVenueState(order, missing) };
  }

  function settle(connector: ExchangeConnector, order: Order, resend = false): Promise<SettleOutcome> {
    return perOrder.run(order.clientOrderId, () => settleLocked(connector, order.id, resend));
  }

  /** The answer to a repeated clientOrderId / idempotencyKey: the order as its venue has it now. */
  async function replay(previous: Order, lockedKey?: string): Promise<PlaceResult> {
    if (previous.externalId || isFinalOrderStatus(previous.status)) return { order: previous, replayed: true };
    const connector = deps.connectors.require(previous.connectorType, previous.marketType);
    const outcome =
      previous.clientOrderId === lockedKey
        ? await settleLocked(connector, previous.id, true)
        : await settle(connector, previous, true);
    if (!('order' in outcome))
      throw conflict('the earlier order with this clientOrderId or idempotencyKey is gone; send the request again');
    return { order: outcome.order, replayed: outcome.kind !== 'placed' };
  }

  /** `placedBy`: the id of the API token that asked for the order, stored with it. */
  async function place(input: OrderCreate, placedBy?: { tokenId?: string | undefined }): Promise<PlaceResult> {
    // A repeated clientOrderId / idempotencyKey returns the first order. The unique insert below
    // detects the repeat, so a new order costs no lookup; a retry whose checks would fail now (the
    // price moved since) still gets its first order back rather than an error.
    let connector: ExchangeConnector;
    try {
      connector = checked(input);
    } catch (err) {
      const previous = await existingFor(input);
      if (previous) return replay(previous);
      throw err;
    }

    const now = deps.now();
    const draft: Order = {
      id: newId(),
      clientOrderId: input.clientOrderId ?? `bfx-${newId()}`,
      ...(input.idempotencyKey ? { idempotencyKey: input.idempotencyKey } : {}),
      symbol: input.symbol,
      side: input.side,
      type: input.type,
      status: 'NEW',
      quantity: input.quantity,
      quantityExecuted: '0',
      connectorType: input.connectorType,
      marketType: input.marketType,
      source: input.source ?? { type: 'provider' },
      createdAt: now,
      updatedAt: now,
      ...(input.price ? { price: input.price } : {}),
      ...(input.stopPrice ? { stopPrice: input.stopPrice } : {}),
      ...(input.callbackRate ? { callbackRate: input.callbackRate } : {}),
      ...(input.timeInForce ? { timeInForce: input.timeInForce } : {}),
      ...(input.leverage ? { leverage: input.leverage } : {}),
      ...(input.reduceOnly ? { reduceOnly: true } : {}),
      ...(input.correlationId ? { correlationId: input.correlationId } : {}),
      ...(placedBy?.tokenId ? { tokenId: placedBy.tokenId } : {}),
    };

    // The insert runs in the order's queue too, so reconciliation never sees the write-ahead row
    // of a placement that has not reached its venue call yet.
    return perOrder.run(draft.clientOrderId, async () => {
      crashAt('before-insert', draft.clientOrderId);
      // The row exists before the venue hears of the order (the write-ahead record): after a crash
      // in between, reconciliation or a retry asks the venue by clientOrderId what became of it.
      const inserted = await deps.repo.insert(draft);
      if (!inserted) {
        const raced = await existingFor({ ...input, clientOrderId: draft.clientOrderId });
        if (raced) return replay(raced, draft.clientOrderId);
        throw conflict('an order with this clientOrderId or idempotencyKey already exists');
      }
      crashAt('after-insert', draft.clientOrderId);
      return { order: await send(connector, inserted), replayed: false };
    });
  }

  async function get(id: string): Promise<Order> {
    const order = (await deps.repo.findById(id)) ?? (await deps.repo.findByClientOrderId(id));
    if (!order) throw notFound(`order ${id}`);
    return order;
  }

  /** The venue's state of an order it refused to cancel, when that state is final. */
  async function closedAtVenue(connector: ExchangeConnector, order: Order): Promise<VenueOrderState | undefined> {
    try {
      const state = await connector.queryOrder?.(order.marketType, order.clientOrderId, order.symbol);
      return state && isFinalOrderStatus(state.status) ? state : undefined;
    } catch {
      return undefined;
    }
  }

  async function cancel(id: string): Promise<Order> {
    const order = await get(id);
    const alreadyFilled = (o: Order) =>
      new AppError('CONFLICT', `order ${id} is already FILLED`, { details: { order: o } });
    return perOrder.run(order.clientOrderId, async () => {
      const current = await get(order.id);
      if (current.status === 'FILLED') throw alreadyFilled(current);
      if (isFinalOrderStatus(current.status)) return current;
      const connector = deps.connectors.require(current.connectorType, current.marketType);
      let state: VenueOrderState;
      try {
        state = await connector.cancelOrder(current.marketType, current.clientOrderId);
      } catch (err) {
        if (!(err instanceof VenueRejectError)) throw err;
        // The venue closed the order (filled, expired) before its event reached us, and some venues
        // answer a cancel of a closed order with "unknown order" or "not cancelable": ask for its state.
        const closed = await closedAtVenue(connector, current);
        if (!closed) throw conflict(err.message, { reason: err.code });
        state = closed;
      }
      // The venue's final state is stored either way; a filled order answers as one already FILLED.
      const updated = await applyVenueState(current, state);
      if (updated.status === 'FILLED') throw alreadyFilled(updated);
      return updated;
    });
  }

  async function replace(
    id: string,
    changes: Partial<Pick<OrderCreate, 'price' | 'quantity' | 'stopPrice' | 'callbackRate'>> & {
      clientOrderId?: string;
    },
    /** The token that asked for the replacement: the new order carries it, as a placed one does. */
    replacedBy?: { tokenId?: string | undefined },
  ): Promise<{ canceled: Order; order: Order }> {
    const current = await get(id);
    if (isFinalOrderStatus(current.status)) throw conflict(`order ${id} is ${current.status} and cannot be replaced`);
    // A taken clientOrderId would make the placement below answer with that other order after this one is gone.
    if (changes.clientOrderId !== undefined && (await deps.repo.findByClientOrderId(changes.clientOrderId))) {
      throw conflict(`clientOrderId ${changes.clientOrderId} is already used by another order`, {
        clientOrderId: changes.clientOrderId,
      });
    }
    // Without a new quantity the replacement carries what is still open, never the part already filled.
    // Leverage is not carried: it was set when the original was placed, and a new price or quantity
    // must not undo a leverage change made since.
    const terms = (from: Order): OrderCreate => ({
      symbol: from.symbol,
      side: from.side,
      type: from.type,
      quantity: changes.quantity ?? new Money(from.quantity).minus(from.quantityExecuted).toFixed(),
      connectorType: from.connectorType,
      marketType: from.marketType,
      source: from.source,
      ...(from.timeInForce ? { timeInForce: from.timeInForce } : {}),
      ...(from.reduceOnly ? { reduceOnly: from.reduceOnly } : {}),
      ...(from.correlationId ? { correlationId: from.correlationId } : {}),
      ...((changes.price ?? from.price) ? { price: changes.price ?? from.price } : {}),
      ...((changes.stopPrice ?? from.stopPrice) ? { stopPrice: changes.stopPrice ?? from.stopPrice } : {}),
      ...((changes.callbackRate ?? from.callbackRate)
        ? { callbackRate: changes.callbackRate ?? from.callbackRate }
        : {}),
      ...(changes.clientOrderId ? { clientOrderId: changes.clientOrderId } : {}),
    });
    // New terms the venue would refuse must fail before the working order is cancelled, not after.
    checked(terms(current));
    // An order that filled meanwhile makes the cancel answer 409 (already FILLED): nothing is placed.
    const canceled = await cancel(current.id);
    const { order } = await place(terms(canceled), replacedBy);
    return { canceled, order };
  }

  async function cancelWhere(filter: OrderFilter): Promise<Order[]> {
    // Every one of them, newest first: a cap here would leave the rest working unseen.
    const items = (await deps.repo.listAll({ ...filter, statuses: OPEN_STATUSES })).sort(
      (a, b) => b.createdAt - a.createdAt,
    );
    const out: Order[] = [];
    // One order the venue will not cancel (filled meanwhile, unknown to it) must not leave the others working.
    for (const o of items) {
      try {
        out.push(await cancel(o.id));
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500) throw err;
      }
    }
    return out;
  }

  /** Venue-initiated changes (fills of resting orders, triggers, expiries). */
  function onVenueOrderUpdate(_market: MarketType, state: VenueOrderState): Promise<void> {
    return perOrder.run(state.clientOrderId, async () => {
      const order = await deps.repo.findByClientOrderId(state.clientOrderId);
      if (!order || isFinalOrderStatus(order.status)) return;
      await applyVenueState(order, state);
    });
  }

  /** Reconciliation's view of one order: its state and the fills it implies, applied as one step. */
  function onVenueOrder(connector: ExchangeConnector, state: VenueOrderState): Promise<Order | undefined> {
    return perOrder.run(state.clientOrderId, async () => {
      const order = await deps.repo.findByClientOrderId(state.clientOrderId);
      if (!order || isFinalOrderStatus(order.status)) return undefined;
      if (unchangedAt(order, state)) return order;
      return applyVenueState(order, state, await missingFills(connector, order, state));
    });
  }

  function onVenueFill(_market: MarketType, fill: VenueFill): Promise<void> {
    return perOrder.run(fill.clientOrderId, async () => {
      const order = await deps.repo.findByClientOrderId(fill.clientOrderId);
      if (order) await applyFill(order, fill);
    });
  }

  /** What `place` checks before anything is stored or sent; throws the same 400s. */
  function validate(input: OrderCreate): { valid: true; order: OrderCreate; checks: string[] } {
    checked(input);
    return { valid: true, order: input, checks: ['body', 'connector', 'instrument filters'] };
  }

  return {
    place,
    validate,
    get,
    cancel,
    replace,
    cancelWhere,
    list: deps.repo.list,
    countBySymbol: deps.repo.countBySymbol,
    onVenueOrderUpdate,
    onVenueFill,
    onVenueOrder,
    settle,
    idle: () => perOrder.idle(),
  };
}

export type OrdersService = ReturnType<typeof createOrdersService>;
export { FINAL_ORDER_STATUSES };
