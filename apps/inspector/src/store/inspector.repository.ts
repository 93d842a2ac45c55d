import type { Prisma, PrismaClient } from '@barfinex/db';
import { bigIntToMs, decimalToString, isUniqueViolation, msToBigInt, nullableBigIntToMs, nullableDecimalToString } from '@barfinex/db';
import { ACTIVE_STATUSES, PositionRecordSchema } from '../positions/position-record';
import type { OrderRole, PositionPatch, PositionRecord, PositionStatus } from '../positions/position-record';
import { AuditRecordSchema } from './audit-record';
import type { AuditRecord } from './audit-record';
import { StateRecordSchema } from './state-record';
import type { StateRecord } from './state-record';

type PositionRow = Prisma.InspectorPositionGetPayload<object>;
type AuditRow = Prisma.InspectorAuditGetPayload<object>;
const json = (value: unknown) => value as Prisma.InputJsonValue;
const opt = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

function toPosition(row: PositionRow): PositionRecord {
  return PositionRecordSchema.parse({
    ...Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null ? undefined : v])),
    quantity: decimalToString(row.quantity),
    filledQuantity: decimalToString(row.filledQuantity),
    entryPrice: nullableDecimalToString(row.entryPrice) ?? undefined,
    stopLoss: nullableDecimalToString(row.stopLoss) ?? undefined,
    takeProfit: nullableDecimalToString(row.takeProfit) ?? undefined,
    exitPrice: nullableDecimalToString(row.exitPrice) ?? undefined,
    pnl: nullableDecimalToString(row.pnl) ?? undefined,
    fees: decimalToString(row.fees),
    openedAt: nullableBigIntToMs(row.openedAt) ?? undefined,
    closedAt: nullableBigIntToMs(row.closedAt) ?? undefined,
    createdAt: bigIntToMs(row.createdAt),
    updatedAt: bigIntToMs(row.updatedAt),
  });
}

function positionData(p: PositionPatch) {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p)) {
    if (v === undefined) continue;
    out[k] = ['openedAt', 'closedAt', 'updatedAt', 'createdAt'].includes(k) ? msToBigInt(v as number) : v;
  }
  return out;
}

function toAudit(row: AuditRow): AuditRecord {
  return AuditRecordSchema.parse({
    id: String(row.id),
    dedupKey: row.dedupKey,
    kind: row.kind,
    action: row.action,
    policy: opt(row.policy),
    reason: row.reason,
    symbol: opt(row.symbol),
    intentId: opt(row.intentId),
    requestId: opt(row.requestId),
    positionId: opt(row.positionId),
    correlationId: opt(row.correlationId),
    numbers: row.numbers,
    checks: row.checks,
    at: bigIntToMs(row.at),
  });
}

export interface FillInput {
  fillId: string;
  positionId: string;
  role: OrderRole;
  clientOrderId: string;
  price: string;
  quantity: string;
  fee?: string;
  time: number;
}

export interface Page<T> {
  items: T[];
  total: number;
}

/** The only Prisma user of the inspector; every row is scoped by the inspector's app key. */
export function createInspectorRepository(prisma: PrismaClient, appKey: string) {
  const positions = prisma.inspectorPosition;
  const audit = prisma.inspectorAudit;
  return {
    async loadState(): Promise<StateRecord | undefined> {
      const row = await prisma.inspectorState.findUnique({ where: { appKey } });
      if (!row) return undefined;
      return StateRecordSchema.parse({ ...row, streakResetAt: bigIntToMs(row.streakResetAt), updatedAt: bigIntToMs(row.updatedAt) });
    },
    async saveState(state: StateRecord): Promise<void> {
      const data = { policies: json(state.policies), policiesVersion: state.policiesVersion, peaks: json(state.peaks), killSwitch: json(state.killSwitch), streakResetAt: msToBigInt(state.streakResetAt), updatedAt: msToBigInt(state.updatedAt) };
      await prisma.inspectorState.upsert({ where: { appKey }, create: { appKey, ...data }, update: data });
    },

    /** Inserts once per dedup key; a repeat gets the stored position back with created=false. */
    async insertPosition(p: PositionRecord): Promise<{ position: PositionRecord; created: boolean }> {
      try {
        const row = await positions.create({ data: { ...(positionData(p) as Prisma.InspectorPositionUncheckedCreateInput), id: p.id, appKey, dedupKey: p.dedupKey, createdAt: msToBigInt(p.createdAt) } });
        return { position: toPosition(row), created: true };
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        const row = await positions.findUnique({ where: { appKey_dedupKey: { appKey, dedupKey: p.dedupKey } } });
        if (!row) throw err;
        return { position: toPosition(row), created: false };
      }
    },
    async getPosition(id: string): Promise<PositionRecord | undefined> {
      const row = await positions.findFirst({ where: { id, appKey } });
      return row ? toPosition(row) : undefined;
    },
    async updatePosition(id: string, patch: PositionPatch): Promise<PositionRecord> {
      return toPosition(await positions.update({ where: { id }, data: positionData(patch) }));
    },
    async activePositions(): Promise<PositionRecord[]> {
      const rows = await positions.findMany({ where: { appKey, status: { in: [...ACTIVE_STATUSES] } }, orderBy: { createdAt: 'asc' } });
      return rows.map(toPosition);
    },
    async listPositions(q: { page: number; limit: number; status?: PositionStatus }): Promise<Page<PositionRecord>> {
      const where = { appKey, ...(q.status ? { status: q.status } : {}) };
      const [rows, total] = await Promise.all([positions.findMany({ where, orderBy: { createdAt: 'desc' }, skip: (q.page - 1) * q.limit, take: q.limit }), positions.count({ where })]);
      return { items: rows.map(toPosition), total };
    },
    /** Positions created since `from` that did not fail: the day's trades. */
    async countTradesSince(from: number): Promise<number> {
      return positions.count({ where: { appKey, createdAt: { gte: msToBigInt(from) }, status: { not: 'FAILED' } } });
    },
    /** Closed positions since `from`, newest first: PnL, streak and last loss. */
    async closedSince(from: number): Promise<{ pnl: string; closedAt: number }[]> {
      const rows = await positions.findMany({ where: { appKey, status: 'CLOSED', closedAt: { gte: msToBigInt(from) } }, orderBy: { closedAt: 'desc' }, select: { pnl: true, closedAt: true } });
      return rows.map((r) => ({ pnl: nullableDecimalToString(r.pnl) ?? '0', closedAt: nullableBigIntToMs(r.closedAt) ?? 0 }));
    },

    /** Records a fill once; false when it was already recorded (a redelivery). */
    async insertFill(f: FillInput): Promise<boolean> {
      try {
        await prisma.inspectorFill.create({ data: { ...f, fee: f.fee ?? null, time: msToBigInt(f.time) } });
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    },
    async fillsOf(positionId: string, clientOrderId: string): Promise<{ price: string; quantity: string; fee?: string }[]> {
      const rows = await prisma.inspectorFill.findMany({ where: { positionId, clientOrderId }, orderBy: { time: 'asc' } });
      return rows.map((r) => ({ price: decimalToString(r.price), quantity: decimalToString(r.quantity), fee: nullableDecimalToString(r.fee) ?? undefined }));
    },

    async insertAudit(a: AuditRecord): Promise<{ record: AuditRecord; created: boolean }> {
      const data = { appKey, dedupKey: a.dedupKey, kind: a.kind, action: a.action, policy: a.policy ?? null, reason: a.reason, symbol: a.symbol ?? null, intentId: a.intentId ?? null, requestId: a.requestId ?? null, positionId: a.positionId ?? null, correlationId: a.correlationId ?? null, numbers: json(a.numbers), checks: json(a.checks), at: msToBigInt(a.at) };
      try {
        return { record: toAudit(await audit.create({ data })), created: true };
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        const row = await audit.findUnique({ where: { appKey_dedupKey: { appKey, dedupKey: a.dedupKey } } });
        if (!row) throw err;
        return { record: toAudit(row), created: false };
      }
    },
    async findAudit(dedupKey: string): Promise<AuditRecord | undefined> {
      const row = await audit.findUnique({ where: { appKey_dedupKey: { appKey, dedupKey } } });
      return row ? toAudit(row) : undefined;
    },
    async listAudit(q: { page: number; limit: number; action?: string; symbol?: string }): Promise<Page<AuditRecord>> {
      // Venue symbols are upper case, so btcusdt finds BTCUSDT; the symbol as sent still matches one stored
      // in its own case. Not a case-insensitive LIKE: `_` is a wildcard there.
      const symbol = q.symbol ? { symbol: { in: [...new Set([q.symbol, q.symbol.toUpperCase()])] } } : {};
      const where = { appKey, ...(q.action ? { action: q.action } : {}), ...symbol };
      const [rows, total] = await Promise.all([audit.findMany({ where, orderBy: { id: 'desc' }, skip: (q.page - 1) * q.limit, take: q.limit }), audit.count({ where })]);
      return { items: rows.map(toAudit), total };
    },
  };
}

export type InspectorRepository = ReturnType<typeof createInspectorRepository>;
