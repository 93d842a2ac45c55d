import type { Fill, Order } from '@barfinex/contracts';
import { isFinalOrderStatus } from '@barfinex/enums';
import type { Logger } from 'pino';
import { Dec, ZERO } from '../decimal';
import type { OrderGateway, SubmitResult } from '../orders/order-gateway';
import type { InspectorRepository } from '../store/inspector.repository';
import { createKeyedQueue } from '@barfinex/service-kit';
import { computeOutcome } from './outcome';
import { ACTIVE_STATUSES, parseClientOrderId, protectiveClientOrderId } from './position-record';
import type { OrderRole, PositionRecord } from './position-record';
import type { Protection } from './protection';
import type { OrderFailure } from '../risk/trade-events';

export interface PositionManagerDeps {
  repo: InspectorRepository;
  gateway: OrderGateway;
  protection: Protection;
  logger: Logger;
  now: () => number;
  report: {
    /** A position closed with its outcome (publish it, feed the loss policies). */
    closed: (p: PositionRecord, outcome: { rMultiple?: string; pnlPct: string; isWin: boolean }) => Promise<void>;
    /** One of its orders was refused or lost (announce it with what is done about it). */
    orderFailed: (p: PositionRecord, role: OrderRole, failure: OrderFailure) => Promise<void>;
  };
}

type OrderView = Pick<Order, 'status' | 'quantityExecuted' | 'averagePrice' | 'clientOrderId'>;

const MAX_PROTECTION_GEN = 10;
const EXIT_REASON: Record<OrderRole, string> = { sl: 'stop_loss', tp: 'take_profit', exit: 'exit', entry: 'entry' };

/**
 * The life of every position the inspector opens: entry → protective SL/TP → one of them (or a
 * forced exit) fills → the other is cancelled → outcome. Work for one position is serialised.
 */
export function createPositionManager(deps: PositionManagerDeps) {
  const { repo, gateway, protection, logger } = deps;
  const queue = createKeyedQueue();
  const update = (p: PositionRecord, patch: Partial<PositionRecord>) =>
    repo.updatePosition(p.id, { ...patch, updatedAt: deps.now() });

  // A fill event from an older provider says nothing of its order, so the recorded fills of an
  // order also count: once they add up to the position, the order is as good as filled.
  async function view(p: PositionRecord, order: OrderView): Promise<OrderView> {
    if (order.status === 'FILLED' && order.averagePrice) return order;
    const fills = await repo.fillsOf(p.id, order.clientOrderId);
    const qty = fills.reduce((s, f) => s.plus(f.quantity), ZERO);
    const target = order.clientOrderId === p.entryClientOrderId ? p.quantity : p.filledQuantity;
    if (qty.isZero() || (qty.lt(target) && order.status !== 'FILLED')) return order;
    const notional = fills.reduce((s, f) => s.plus(new Dec(f.price).times(f.quantity)), ZERO);
    return { ...order, status: 'FILLED', quantityExecuted: qty.toFixed(), averagePrice: notional.div(qty).toFixed() };
  }

  async function opened(p: PositionRecord, order: OrderView): Promise<void> {
    const entryPrice = order.averagePrice;
    if (!entryPrice) throw new Error(`entry ${order.clientOrderId} filled without an average price`);
    const levels = await protection.levels(p, entryPrice);
    const open = await update(p, {
      status: 'OPEN',
      filledQuantity: order.quantityExecuted,
      entryPrice,
      ...levels,
      protectionGen: 1,
      slClientOrderId: protectiveClientOrderId(p.id, 'sl', 1),
      tpClientOrderId: protectiveClientOrderId(p.id, 'tp', 1),
      openedAt: deps.now(),
    });
    logger.info(
      { positionId: p.id, correlationId: p.correlationId, entryPrice, ...levels },
      'entry filled; placing stop-loss and take-profit',
    );
    await protect(open);
  }

  /**
   * Places whichever protective order is missing; a cancelled one comes back under a new id. No
   * read first: a POST under the order's clientOrderId answers the order as it is when it exists.
   */
  async function protect(p: PositionRecord): Promise<void> {
    for (const role of ['sl', 'tp'] as const) {
      for (;;) {
        let current = (await repo.getPosition(p.id)) ?? p;
        if (current.status !== 'OPEN') return;
        const cid = role === 'sl' ? current.slClientOrderId : current.tpClientOrderId;
        if (!cid) break;
        const result = await protection.protective(current, role);
        if (result.kind !== 'placed' || !isFinalOrderStatus(result.order.status)) {
          if (await settle(current, role, result)) return;
          break;
        }
        const seen = await view(current, result.order);
        if (seen.status === 'FILLED') return closed(current, role, seen);
        const gen = current.protectionGen + 1;
        // A venue that keeps refusing the level would loop forever; flat is the safe state.
        if (gen > MAX_PROTECTION_GEN) {
          const reason = `the ${EXIT_REASON[role].replace('_', '-')} order ended ${result.order.status} ${MAX_PROTECTION_GEN} times`;
          await deps.report.orderFailed(current, role, {
            code: result.order.status,
            reason,
            consequence: 'closing the position at market',
          });
          return forceExit(current, 'protection_unavailable');
        }
        current = await update(current, {
          protectionGen: gen,
          [role === 'sl' ? 'slClientOrderId' : 'tpClientOrderId']: protectiveClientOrderId(p.id, role, gen),
        });
        logger.warn(
          { positionId: p.id, role, previous: cid, status: result.order.status },
          'protective order gone; placing it again',
        );
      }
    }
  }

  /** Applies a send result; true when the position left OPEN because of it. */
  async function settle(p: PositionRecord, role: OrderRole, result: SubmitResult): Promise<boolean> {
    if (result.kind === 'placed') {
      await apply(p, role, result.order);
      const after = await repo.getPosition(p.id);
      return after?.status !== p.status;
    }
    if (result.kind === 'unknown') {
      logger.warn(
        { positionId: p.id, role, message: result.message },
        'order outcome unknown; reconciling later by clientOrderId',
      );
      return false;
    }
    const failure = {
      code: result.code,
      reason: result.message,
      ...(result.reason ? { venueReason: result.reason } : {}),
    };
    if (role === 'entry') {
      await update(p, { status: 'FAILED', exitReason: `entry rejected: ${result.message}`, closedAt: deps.now() });
      logger.warn({ positionId: p.id, code: result.code, reason: result.reason }, 'entry rejected');
      await deps.report.orderFailed(p, role, { ...failure, consequence: 'no position was opened' });
      return true;
    }
    logger.error(
      { positionId: p.id, role, code: result.code, reason: result.reason, message: result.message },
      'order rejected',
    );
    if (role === 'exit') {
      await deps.report.orderFailed(p, role, {
        ...failure,
        consequence: 'the position stays closing; the exit is sent again at the next reconcile',
      });
      return false;
    }
    // Without its stop (or with a level already crossed) the position is not kept open.
    await deps.report.orderFailed(p, role, { ...failure, consequence: 'closing the position at market' });
    await forceExit(p, `protection_rejected:${role}`);
    return true;
  }

  async function apply(p: PositionRecord, role: OrderRole, order: OrderView): Promise<void> {
    const seen = await view(p, order);
    if (role === 'entry') {
      if (p.status !== 'PENDING_ENTRY') return;
      const executed = new Dec(seen.quantityExecuted);
      if (seen.status === 'FILLED' || (isFinalOrderStatus(seen.status) && executed.gt(0))) return opened(p, seen);
      if (isFinalOrderStatus(seen.status)) {
        const failed = await update(p, {
          status: 'FAILED',
          exitReason: `entry ${seen.status.toLowerCase()}`,
          closedAt: deps.now(),
        });
        await deps.report.orderFailed(failed, role, {
          code: seen.status,
          reason: `the entry order ended ${seen.status} without a fill`,
          consequence: 'no position was opened',
        });
      }
      return;
    }
    if (p.status !== 'OPEN' && p.status !== 'CLOSING') return;
    if (seen.status === 'FILLED') return closed(p, role, seen);
    if (role !== 'exit' && p.status === 'OPEN' && isFinalOrderStatus(seen.status)) {
      const live = role === 'sl' ? p.slClientOrderId : p.tpClientOrderId;
      if (live === seen.clientOrderId) await protect(p);
    }
  }

  async function closed(p: PositionRecord, role: OrderRole, exit: OrderView): Promise<void> {
    if (!exit.averagePrice || !p.entryPrice) throw new Error(`position ${p.id}: exit without prices`);
    const fills = [
      ...(await repo.fillsOf(p.id, p.entryClientOrderId)),
      ...(await repo.fillsOf(p.id, exit.clientOrderId)),
    ];
    const fees = fills.reduce((s, f) => s.plus(f.fee ?? 0), ZERO).toFixed();
    const numbers = computeOutcome({
      side: p.side,
      entryPrice: p.entryPrice,
      exitPrice: exit.averagePrice,
      quantity: exit.quantityExecuted,
      fees,
      ...(p.stopLoss ? { stopLoss: p.stopLoss } : {}),
    });
    const reason = role === 'exit' ? (p.exitReason ?? 'exit') : EXIT_REASON[role];
    const done = await update(p, {
      status: 'CLOSED',
      exitPrice: exit.averagePrice,
      exitReason: reason,
      pnl: numbers.pnl,
      fees,
      closedAt: deps.now(),
    });
    // One-cancels-other: the position is flat, whatever still rests must go.
    for (const cid of [p.slClientOrderId, p.tpClientOrderId, p.exitClientOrderId]) {
      if (cid && cid !== exit.clientOrderId) await gateway.cancel(cid);
    }
    logger.info(
      { positionId: p.id, correlationId: p.correlationId, reason, pnl: numbers.pnl, rMultiple: numbers.rMultiple },
      'position closed',
    );
    await deps.report.closed(done, numbers);
  }

  async function forceExit(p: PositionRecord, reason: string): Promise<void> {
    if (p.status === 'PENDING_ENTRY') {
      const entry = await gateway.cancel(p.entryClientOrderId);
      if (entry.kind === 'found') await apply(p, 'entry', entry.order);
      const after = await repo.getPosition(p.id);
      if (after?.status !== 'OPEN') return;
      p = after;
    }
    if (p.status !== 'OPEN') return;
    const gen = p.protectionGen + 1;
    const closing = await update(p, {
      status: 'CLOSING',
      exitReason: reason,
      protectionGen: gen,
      exitClientOrderId: protectiveClientOrderId(p.id, 'exit', gen),
    });
    for (const role of ['sl', 'tp'] as const) {
      const cid = role === 'sl' ? p.slClientOrderId : p.tpClientOrderId;
      const canceled = cid ? await gateway.cancel(cid) : undefined;
      if (canceled?.kind === 'found' && (await view(closing, canceled.order)).status === 'FILLED')
        return closed(closing, role, await view(closing, canceled.order));
    }
    const result = await protection.exit(closing);
    if (result.kind === 'rejected') {
      // Still holding the position: put it back under protection rather than leave it naked.
      const reopened = await update(closing, { status: 'OPEN' });
      await deps.report.orderFailed(closing, 'exit', {
        code: result.code,
        reason: result.message,
        ...(result.reason ? { venueReason: result.reason } : {}),
        consequence: 'the position stays open under a new stop-loss and take-profit',
      });
      return protect(reopened);
    }
    await settle(closing, 'exit', result);
  }

  async function reconcileOne(p: PositionRecord): Promise<void> {
    if (p.status === 'OPEN') return protect(p);
    const cid = p.status === 'PENDING_ENTRY' ? p.entryClientOrderId : p.exitClientOrderId;
    const role: OrderRole = p.status === 'PENDING_ENTRY' ? 'entry' : 'exit';
    if (!cid) return;
    // Sent again under the same id: the provider answers the order it holds, or places one it never received.
    await settle(p, role, await (role === 'entry' ? protection.entry(p) : protection.exit(p)));
  }

  const locked = (id: string, task: (p: PositionRecord) => Promise<void>) =>
    queue.run(id, async () => {
      const p = await repo.getPosition(id);
      if (p) await task(p);
    });

  return {
    /** Picks a stored position up again (a redelivered intent): its orders are sent again under their ids, which the provider answers with what it holds. */
    resume: (id: string) => locked(id, reconcileOne),
    /** Sends the entry of a freshly stored position and follows it. */
    open: (id: string) =>
      locked(
        id,
        async (cur) =>
          void (cur.status === 'PENDING_ENTRY' && (await settle(cur, 'entry', await protection.entry(cur)))),
      ),
    async onFill(fill: Fill): Promise<void> {
      const ref = parseClientOrderId(fill.clientOrderId);
      if (!ref || !fill.clientOrderId) return;
      const cid = fill.clientOrderId;
      await locked(ref.positionId, async (p) => {
        await repo.insertFill({
          fillId: fill.fillId,
          positionId: p.id,
          role: ref.role,
          clientOrderId: cid,
          price: fill.price,
          quantity: fill.quantity,
          ...(fill.fee ? { fee: fill.fee } : {}),
          time: fill.time,
        });
        // The fill carries its order's state: nothing to read back from the provider.
        const order: OrderView = {
          clientOrderId: cid,
          status: fill.orderStatus ?? 'PARTIALLY_FILLED',
          quantityExecuted: fill.quantityExecuted ?? '0',
          ...(fill.averagePrice ? { averagePrice: fill.averagePrice } : {}),
        };
        await apply(p, ref.role, order);
      });
    },
    async onOrderClosed(order: Order): Promise<void> {
      const ref = parseClientOrderId(order.clientOrderId);
      if (ref) await locked(ref.positionId, (p) => apply(p, ref.role, order));
    },
    forceExit: (id: string, reason: string) => locked(id, (p) => forceExit(p, reason)),
    /**
     * Queues a forced exit for every active position and returns how many; it does not wait for
     * them, because it may be called from inside another position's turn (a closed trade that
     * trips the kill switch), and waiting there could deadlock two closing positions.
     */
    async closeAll(reason: string): Promise<number> {
      const active = await repo.activePositions();
      for (const p of active) {
        void locked(p.id, (cur) => forceExit(cur, reason)).catch((err: unknown) =>
          logger.error({ err, positionId: p.id }, 'forced exit failed; reconcile will retry'),
        );
      }
      return active.length;
    },
    /** Brings every active position in line with the provider (start-up and periodic). */
    async reconcile(opts: { closeOpen?: string } = {}): Promise<number> {
      const active = await repo.activePositions();
      const step = (cur: PositionRecord) =>
        opts.closeOpen && cur.status === 'OPEN' ? forceExit(cur, opts.closeOpen) : reconcileOne(cur);
      for (const p of active) {
        await locked(p.id, (cur) => (ACTIVE_STATUSES.includes(cur.status) ? step(cur) : Promise.resolve())).catch(
          (err: unknown) => logger.warn({ err, positionId: p.id }, 'reconcile failed; will retry'),
        );
      }
      return active.length;
    },
    idle: () => queue.idle(),
  };
}

export type PositionManager = ReturnType<typeof createPositionManager>;
