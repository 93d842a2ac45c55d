// Inbound hooks and their alert log; the only Prisma user of the area.
import type { Prisma, PrismaClient } from '@barfinex/db';
import { bigIntToMs, msToBigInt } from '@barfinex/db';
import { ConnectorTypeSchema, HookSymbolTargetSchema, MarketTypeSchema } from '@barfinex/contracts';
import type { ConnectorType, MarketType } from '@barfinex/enums';
import { z } from 'zod';

export type SymbolTarget = z.output<typeof HookSymbolTargetSchema>;

export interface HookRecord {
  id: string;
  name: string;
  secret: string;
  symbolMap: Record<string, SymbolTarget>;
  connectorType: ConnectorType;
  marketType: MarketType;
  mode: 'live' | 'dry-run';
  enabled: boolean;
  ratePerMinute: number;
  dedupWindowMs: number;
  replayWindowMs: number;
  createdAt: number;
  updatedAt: number;
}

export interface AlertRecord {
  id: string;
  hookId: string;
  status: 'accepted' | 'duplicate' | 'rejected' | 'dry-run';
  code: string | null;
  reason: string | null;
  dedupKey: string | null;
  signalId: string | null;
  correlationId: string | null;
  body: string;
  receivedAt: number;
}

type HookRow = Prisma.InboundHookGetPayload<object>;
type AlertRow = Prisma.InboundHookAlertGetPayload<object>;

const StoredSymbolMap = z.record(z.string(), HookSymbolTargetSchema);

const toHook = (r: HookRow): HookRecord => ({
  id: r.id,
  name: r.name,
  secret: r.secret,
  // A mapping that no longer validates is dropped rather than failing every alert of the hook.
  symbolMap: StoredSymbolMap.catch({}).parse(r.symbolMap),
  connectorType: ConnectorTypeSchema.catch('sim').parse(r.connectorType),
  marketType: MarketTypeSchema.catch('futures').parse(r.marketType),
  mode: r.mode === 'dry-run' ? 'dry-run' : 'live',
  enabled: r.enabled,
  ratePerMinute: r.ratePerMinute,
  dedupWindowMs: r.dedupWindowMs,
  replayWindowMs: r.replayWindowMs,
  createdAt: bigIntToMs(r.createdAt),
  updatedAt: bigIntToMs(r.updatedAt),
});

const toAlert = (r: AlertRow): AlertRecord => ({
  ...r,
  id: String(r.id),
  status: r.status as AlertRecord['status'],
  receivedAt: bigIntToMs(r.receivedAt),
});

export function createHooksRepository(prisma: PrismaClient) {
  return {
    async list(): Promise<HookRecord[]> {
      return (await prisma.inboundHook.findMany({ orderBy: { createdAt: 'asc' } })).map(toHook);
    },
    async get(id: string): Promise<HookRecord | undefined> {
      const row = await prisma.inboundHook.findUnique({ where: { id } });
      return row ? toHook(row) : undefined;
    },
    async create(h: HookRecord): Promise<HookRecord> {
      return toHook(
        await prisma.inboundHook.create({
          data: { ...h, createdAt: msToBigInt(h.createdAt), updatedAt: msToBigInt(h.updatedAt) },
        }),
      );
    },
    async update(h: HookRecord): Promise<HookRecord> {
      const { id, createdAt: _c, ...rest } = h;
      return toHook(
        await prisma.inboundHook.update({ where: { id }, data: { ...rest, updatedAt: msToBigInt(rest.updatedAt) } }),
      );
    },
    async remove(id: string): Promise<void> {
      await prisma.$transaction([
        prisma.inboundHookAlert.deleteMany({ where: { hookId: id } }),
        prisma.inboundHook.deleteMany({ where: { id } }),
      ]);
    },
    async recordAlert(a: Omit<AlertRecord, 'id'>): Promise<AlertRecord> {
      return toAlert(await prisma.inboundHookAlert.create({ data: { ...a, receivedAt: msToBigInt(a.receivedAt) } }));
    },
    /** The accepted alert with this dedup key received since `since`, if any. */
    async findAccepted(hookId: string, dedupKey: string, since: number): Promise<AlertRecord | undefined> {
      const row = await prisma.inboundHookAlert.findFirst({
        where: { hookId, dedupKey, status: { in: ['accepted', 'dry-run'] }, receivedAt: { gte: msToBigInt(since) } },
        orderBy: { id: 'desc' },
      });
      return row ? toAlert(row) : undefined;
    },
    /** What became of an accepted alert downstream (the advisor's or the inspector's verdict, the order). */
    async setOutcome(correlationId: string, outcome: { code: string; reason: string }): Promise<void> {
      await prisma.inboundHookAlert.updateMany({
        where: { correlationId, status: 'accepted', OR: [{ code: null }, { code: { not: 'ORDER_PLACED' } }] },
        data: outcome,
      });
    },
    async alerts(
      hookId: string,
      q: { status?: AlertRecord['status'] | undefined; page: number; limit: number },
    ): Promise<{ items: AlertRecord[]; total: number }> {
      const where = { hookId, ...(q.status ? { status: q.status } : {}) };
      const [rows, total] = await Promise.all([
        prisma.inboundHookAlert.findMany({
          where,
          orderBy: { id: 'desc' },
          skip: (q.page - 1) * q.limit,
          take: q.limit,
        }),
        prisma.inboundHookAlert.count({ where }),
      ]);
      return { items: rows.map(toAlert), total };
    },
  };
}
export type HooksRepository = ReturnType<typeof createHooksRepository>;
