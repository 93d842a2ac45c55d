import {
  ConnectorTypeSchema,
  DecimalString,
  MarketTypeSchema,
  NonNegativeDecimalString,
  PositiveDecimalString,
  TradeSideSchema,
  UnixMs,
} from '@barfinex/contracts';
import { z } from 'zod';

/**
 * PENDING_ENTRY: entry order minted (maybe sent); OPEN: entry filled, protection resting;
 * CLOSING: a forced exit order is out; CLOSED: flat with a realised outcome; FAILED: the entry
 * never filled (rejected, expired or cancelled).
 */
export const PositionStatusSchema = z.enum(['PENDING_ENTRY', 'OPEN', 'CLOSING', 'CLOSED', 'FAILED']);
export type PositionStatus = z.output<typeof PositionStatusSchema>;
export const ACTIVE_STATUSES: readonly PositionStatus[] = ['PENDING_ENTRY', 'OPEN', 'CLOSING'];

export const PositionRecordSchema = z.object({
  id: z.string().min(1),
  dedupKey: z.string().min(1),
  status: PositionStatusSchema,
  origin: z.enum(['intent', 'detector']),
  intentId: z.string().optional(),
  decisionId: z.string().optional(),
  signalId: z.string().optional(),
  requestId: z.string().optional(),
  detectorKey: z.string().optional(),
  symbol: z.string().min(1),
  side: TradeSideSchema,
  connectorType: ConnectorTypeSchema,
  marketType: MarketTypeSchema,
  quantity: PositiveDecimalString,
  filledQuantity: NonNegativeDecimalString,
  entryPrice: PositiveDecimalString.optional(),
  stopLoss: PositiveDecimalString.optional(),
  takeProfit: PositiveDecimalString.optional(),
  entryClientOrderId: z.string().min(1),
  slClientOrderId: z.string().optional(),
  tpClientOrderId: z.string().optional(),
  exitClientOrderId: z.string().optional(),
  protectionGen: z.number().int().nonnegative(),
  exitPrice: PositiveDecimalString.optional(),
  exitReason: z.string().optional(),
  pnl: DecimalString.optional(),
  fees: NonNegativeDecimalString,
  correlationId: z.string().optional(),
  causationId: z.string().optional(),
  openedAt: UnixMs.optional(),
  closedAt: UnixMs.optional(),
  createdAt: UnixMs,
  updatedAt: UnixMs,
});
export type PositionRecord = z.output<typeof PositionRecordSchema>;
export type PositionPatch = Partial<Omit<PositionRecord, 'id' | 'dedupKey' | 'createdAt'>>;

/** Order roles encoded in the client order id: `<positionId>-E`, `-SL<gen>`, `-TP<gen>`, `-X<gen>`. */
export type OrderRole = 'entry' | 'sl' | 'tp' | 'exit';

export const entryClientOrderId = (positionId: string) => `${positionId}-E`;
export const protectiveClientOrderId = (positionId: string, role: 'sl' | 'tp' | 'exit', gen: number) =>
  `${positionId}-${role === 'sl' ? 'SL' : role === 'tp' ? 'TP' : 'X'}${gen}`;

const ROLE_PATTERN = /^(ins[0-9a-f]{16})-(E|SL\d+|TP\d+|X\d+)$/;

/** The position and role an inspector client order id names; undefined for anyone else's order. */
export function parseClientOrderId(
  clientOrderId: string | undefined,
): { positionId: string; role: OrderRole } | undefined {
  const match = clientOrderId ? ROLE_PATTERN.exec(clientOrderId) : null;
  if (!match) return undefined;
  const tag = match[2] ?? '';
  const role: OrderRole = tag === 'E' ? 'entry' : tag.startsWith('SL') ? 'sl' : tag.startsWith('TP') ? 'tp' : 'exit';
  return { positionId: match[1] ?? '', role };
}
