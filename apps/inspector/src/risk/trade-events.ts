import type { Bus } from '@barfinex/bus';
import type { EntryDeclined, InspectorOrderFailure, InspectorOrderRole } from '@barfinex/contracts';
import type { Logger } from 'pino';
import type { OrderRole, PositionRecord } from '../positions/position-record';
import type { EventMeta } from './auditor';

export interface TradeEventsDeps {
  bus: Pick<Bus, 'publish'>;
  logger: Logger;
  meta: (m: EventMeta) => EventMeta & { key: string };
}

/** How an order went wrong, as the gateway or the order's final state tells it. */
export interface OrderFailure {
  code: string;
  reason: string;
  venueReason?: string;
  consequence: string;
}

const ROLE: Record<OrderRole, InspectorOrderRole> = {
  entry: 'entry',
  sl: 'stop_loss',
  tp: 'take_profit',
  exit: 'exit',
};

const clientOrderIdOf = (p: PositionRecord, role: OrderRole): string =>
  (role === 'entry'
    ? p.entryClientOrderId
    : role === 'sl'
      ? p.slClientOrderId
      : role === 'tp'
        ? p.tpClientOrderId
        : p.exitClientOrderId) ?? p.entryClientOrderId;

const defined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/**
 * The inspector's word on what did not happen: an entry it declined, an entry the venue refused,
 * a protective order it could not keep. A failed announcement is logged and never stops the
 * position's handling: closing a naked position matters more than telling about it.
 */
export function createTradeEvents(deps: TradeEventsDeps) {
  const { bus, logger } = deps;
  const provenance = (
    p: Partial<Pick<PositionRecord, 'intentId' | 'decisionId' | 'signalId' | 'requestId' | 'detectorKey'>>,
  ) =>
    defined({
      intentId: p.intentId,
      decisionId: p.decisionId,
      signalId: p.signalId,
      requestId: p.requestId,
      detectorKey: p.detectorKey,
    });

  async function send(
    name: 'INSPECTOR_ENTRY_DECLINED' | 'INSPECTOR_ENTRY_FAILED' | 'INSPECTOR_PROTECTION_FAILED',
    payload: EntryDeclined | InspectorOrderFailure,
    m: EventMeta,
  ): Promise<void> {
    try {
      if (name === 'INSPECTOR_ENTRY_DECLINED') await bus.publish(name, payload as EntryDeclined, deps.meta(m));
      else await bus.publish(name, payload as InspectorOrderFailure, deps.meta(m));
    } catch (err) {
      logger.error({ err, event: name, payload, correlationId: m.correlationId }, 'could not publish the event');
    }
  }

  return {
    declined(entry: EntryDeclined, m: EventMeta): Promise<void> {
      return send('INSPECTOR_ENTRY_DECLINED', { ...defined(entry), ...provenance(entry) }, m);
    },

    /** An order of position `p` in `role` failed; entries go out as INSPECTOR_ENTRY_FAILED, the rest as INSPECTOR_PROTECTION_FAILED. */
    orderFailed(p: PositionRecord, role: OrderRole, failure: OrderFailure): Promise<void> {
      const payload: InspectorOrderFailure = {
        symbol: p.symbol,
        side: p.side,
        connectorType: p.connectorType,
        marketType: p.marketType,
        role: ROLE[role],
        clientOrderId: clientOrderIdOf(p, role),
        ...defined(failure),
        positionId: p.id,
        ...provenance(p),
      };
      const m = defined({ correlationId: p.correlationId, causationId: p.causationId });
      return send(role === 'entry' ? 'INSPECTOR_ENTRY_FAILED' : 'INSPECTOR_PROTECTION_FAILED', payload, m);
    },
  };
}

export type TradeEvents = ReturnType<typeof createTradeEvents>;
