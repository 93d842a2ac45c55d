import { z } from 'zod';
import { ConnectorTypeSchema, Id, MarketTypeSchema, SymbolName, TradeSideSchema } from './common';
import { RiskActionSchema } from './risk';

// What links an inspector event back to the signal, decision and intent (or detector request) behind it.
const Provenance = {
  positionId: Id.optional(),
  intentId: Id.optional(),
  decisionId: Id.optional(),
  signalId: Id.optional(),
  requestId: Id.optional(),
  detectorKey: z.string().min(1).optional(),
};

const Venue = { connectorType: ConnectorTypeSchema, marketType: MarketTypeSchema };

/**
 * An entry the inspector decided not to send: a risk policy refused it, or the account cannot act
 * on it (a short on spot without the base asset, a size under the venue's minimum, no balance).
 */
export const EntryDeclinedSchema = z
  .object({
    symbol: SymbolName,
    side: TradeSideSchema,
    ...Venue,
    action: RiskActionSchema.exclude(['ALLOW']),
    /** The check that decided: a risk policy, or an account/venue check (`spotShort`, `minNotional`, `balance`, ...). */
    policy: z.string().min(1),
    reason: z.string().min(1),
    /** Requested size after rounding to the venue's lot, when it got that far. */
    quantity: z.string().optional(),
    notional: z.string().optional(),
    ...Provenance,
  })
  .meta({ id: 'EntryDeclined' });
export type EntryDeclined = z.output<typeof EntryDeclinedSchema>;

export const InspectorOrderRoleSchema = z.enum(['entry', 'stop_loss', 'take_profit', 'exit']);
export type InspectorOrderRole = z.output<typeof InspectorOrderRoleSchema>;

/**
 * One of the inspector's orders for a position that the provider or the venue refused, or that
 * ended without doing its job, and what the inspector did about it. `side` is the position's.
 */
export const InspectorOrderFailureSchema = z
  .object({
    symbol: SymbolName,
    side: TradeSideSchema,
    ...Venue,
    role: InspectorOrderRoleSchema,
    clientOrderId: z.string().min(1),
    /** The provider's error code (`ORDER_REJECTED`, `VALIDATION_ERROR`), or the order's final status. */
    code: z.string().min(1),
    /** The venue's reason code when it gave one (`INSUFFICIENT_BALANCE`, `WOULD_TRIGGER_IMMEDIATELY`). */
    venueReason: z.string().optional(),
    reason: z.string().min(1),
    /** What follows for the position: nothing opened, closed at market, kept under protection, retried. */
    consequence: z.string().min(1),
    ...Provenance,
    positionId: Id,
  })
  .meta({ id: 'InspectorOrderFailure' });
export type InspectorOrderFailure = z.output<typeof InspectorOrderFailureSchema>;
