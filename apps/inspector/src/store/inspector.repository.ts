import type { Prisma, PrismaClient, Quarantine } from '@barfinex/db';
import {
  bigIntToMs,
  createQuarantine,
  decimalToString,
  isUniqueViolation,
  msToBigInt,
  nullableBigIntToMs,
  nullableDecimalToString,
} from '@barfinex/db';
import { ACTIVE_STATUSES, PositionRecordSchema } from '../positions/position-record';
import type { OrderRole, PositionPatch, PositionRecord, PositionStatus } from '../positions/position-record';
import { AuditRecordSchema } from './audit-record';
import type { AuditRecord } from './audit-record';
import { salvageState, toState } from './state-salvage';
import type { StateRecord } from './state-record';
import type { StateRow } from './state-salvage';

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

function stateData(state: StateRecord) {
  return {
    policies: json(state.policies),
    policiesVersion: state.policiesVersion,
    peaks: json(state.peaks),
    killSwitch: json(state.killSwitch),
    streakResetAt: msToBigInt(state.streakResetAt),
    updatedAt: msToBigInt(state.updatedAt),
  };
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

/**
 * The only Prisma user of the inspector; every row is scoped by the inspector's app key. A stored
 * row that no longer validates is moved to the quarantine when read, so it cannot stop a start
 * (state, active positions) nor fail every later read: positions and audit entries then read as
 * absent, the state as what could be salvaged of it.
 */
export function createInspectorRepository(
  prisma: PrismaClient,
  appKey: string,
  quarantine: Quarantine = createQuarantine({ prisma, app: 'inspector' }),
) {
  const positions = prisma.inspectorPosition;
  const audit = prisma.inspectorAudit;
  const validPositions = (rows: readonly PositionRow[]) =>
    quarantine.keepValid(rows, {
      source: 'inspector_positions',
      key: (r) => r.id,
      parse: toPosition,
      remove: (refused) => positions.deleteMany({ where: { id: { in: refused.map((r) => r.id) } } }),
    });
  const validAudit = (rows: readonly AuditRow[]) =>
    quarantine.keepValid(rows, {
      source: 'inspector_audit',
      key: (r) => `${appKey}/${r.dedupKey}`,
      parse: toAudit,
      remove: (refused) => audit.deleteMany({ where: { id: { in: refused.map((r) => r.id) } } }),
    });
  const first = async <R, T>(row: R | null, valid: (rows: readonly R[]) => Promise<T[]>) =>
    row ? (await valid([row]))[0] : undefined;
  return {
    /** An invalid stored state is quarantined and replaced, in the same transaction, by what could be salvaged of it. */
    async loadState(): Promise<StateRecord | undefined> {
      const row = await prisma.inspectorState.findUnique({ where: { appKey } });
      if (!row) return undefined;
      let salvaged: StateRecord | undefined;
      const [state] = await quarantine.keepValid([row], {
        source: 'inspector_states',
        key: (r: StateRow) => r.appKey,
        parse: toState,
        remove: ([refused]) => {
          salvaged = salvageState(refused ?? row);
          return prisma.inspectorState.update({ where: { appKey }, data: stateData(salvaged) });
        },
      });
      return state ?? salvaged;
    },
    async saveState(state: StateRecord): Promise<void> {
      const data = stateData(state);
      await prisma.inspectorState.upsert({ where: { appKey }, create: { appKey, ...data }, update: data });
    },

    /** Inserts once per dedup key; a repeat gets the stored position back with created=false. */
    async insertPosition(p: PositionRecord): Promise<{ position: PositionRecord; created: boolean }> {
      try {
        const row = await positions.create({
          data: {
            ...(positionData(p) as Prisma.InspectorPositionUncheckedCreateInput),
            id: p.id,
            appKey,
            dedupKey: p.dedupKey,
            createdAt: msToBigInt(p.createdAt),
          },
        });
        return { position: toPosition(row), created: true };
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        const row = await positions.findUnique({ where: { appKey_dedupKey: { appKey, dedupKey: p.dedupKey } } });
        if (!row) throw err;
        return { position: toPosition(row), created: false };
      }
    },
    getPosition: async (id: string): Promise<PositionRecord | undefined> =>
      first(await positions.findFirst({ where: { id, appKey } }), validPositions),
    async updatePosition(id: string, patch: PositionPatch): Promise<PositionRecord> {
      return toPosition(await positions.update({ where: { id }, data: positionData(patch) }));
    },
    async activePositions(): Promise<PositionRecord[]> {
      return validPositions(
        await positions.findMany({
          where: { appKey, status: { in: [...ACTIVE_STATUSES] } },
          orderBy: { createdAt: 'asc' },
        }),
      );
    },
    async listPositions(q: { page: number; limit: number; status?: PositionStatus }): Promise<Page<PositionRecord>> {
      const where = { appKey, ...(q.status ? { status: q.status } : {}) };
      const [rows, total] = await Promise.all([
        positions.findMany({ where, orderBy: { createdAt: 'desc' }, skip: (q.page - 1) * q.limit, take: q.limit }),
        positions.count({ where }),
      ]);
      const items = await validPositions(rows);
      return { items, total: total - (rows.length - items.length) };
    },
    /** Positions created since `from` that did not fail: the day's trades. */
    async countTradesSince(from: number): Promise<number> {
      return positions.count({ where: { appKey, createdAt: { gte: msToBigInt(from) }, status: { not: 'FAILED' } } });
    },
    /** Closed positions since `from`, newest first: PnL, streak and last loss. */
    async closedSince(from: number): Promise<{ pnl: string; closedAt: number }[]> {
      const rows = await positions.findMany({
        where: { appKey, status: 'CLOSED', closedAt: { gte: msToBigInt(from) } },
        orderBy: { closedAt: 'desc' },
        select: { pnl: true, closedAt: true },
      });
      return rows.map((r) => ({
        pnl: nullableDecimalToString(r.pnl) ?? '0',
        closedAt: nullableBigIntToMs(r.closedAt) ?? 0,
      }));
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
    async fillsOf(
      positionId: string,
      clientOrderId: string,
    ): Promise<{ price: string; quantity: string; fee?: string }[]> {
      const rows = await prisma.inspectorFill.findMany({
        where: { positionId, clientOrderId },
        orderBy: { time: 'asc' },
      });
      return rows.map((r) => ({
        price: decimalToString(r.price),
        quantity: decimalToString(r.quantity),
        fee: nullableDecimalToString(r.fee) ?? undefined,
      }));
    },

    async insertAudit(a: AuditRecord): Promise<{ record: AuditRecord; created: boolean }> {
      const data = {
        appKey,
        dedupKey: a.dedupKey,
        kind: a.kind,
        action: a.action,
        policy: a.policy ?? null,
        reason: a.reason,
        symbol: a.symbol ?? null,
        intentId: a.intentId ?? null,
        requestId: a.requestId ?? null,
        positionId: a.positionId ?? null,
        correlationId: a.correlationId ?? null,
        numbers: json(a.numbers),
        checks: json(a.checks),
        at: msToBigInt(a.at),
      };
      try {
        return { record: toAudit(await audit.create({ data })), created: true };
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        const row = await audit.findUnique({ where: { appKey_dedupKey: { appKey, dedupKey: a.dedupKey } } });
        if (!row) throw err;
        return { record: toAudit(row), created: false };
      }
    },
    findAudit: async (dedupKey: string): Promise<AuditRecord | undefined> =>
      first(await audit.findUnique({ where: { appKey_dedupKey: { appKey, dedupKey } } }), validAudit),
    async listAudit(q: { page: number; limit: number; action?: string; symbol?: string }): Promise<Page<AuditRecord>> {
      // Venue symbols are upper case, so btcusdt finds BTCUSDT; the symbol as sent still matches one stored
      // in its own case. Not a case-insensitive LIKE: `_` is a wildcard there.
      const symbol = q.symbol ? { symbol: { in: [...new Set([q.symbol, q.symbol.toUpperCase()])] } } : {};
      const where = { appKey, ...(q.action ? { action: q.action } : {}), ...symbol };
      const [rows, total] = await Promise.all([
        audit.findMany({ where, orderBy: { id: 'desc' }, skip: (q.page - 1) * q.limit, take: q.limit }),
        audit.count({ where }),
      ]);
      const items = await validAudit(rows);
      return { items, total: total - (rows.length - items.length) };
    },
  };
}

export type InspectorRepository = ReturnType<typeof createInspectorRepository>;
