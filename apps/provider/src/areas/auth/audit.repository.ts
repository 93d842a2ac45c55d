import type { AuditQuery, AuditRecord } from '@barfinex/contracts';
import type { Prisma, PrismaClient } from '@barfinex/db';

export type NewAuditRecord = Omit<AuditRecord, 'id'>;

type Row = Awaited<ReturnType<PrismaClient['auditRecord']['findFirstOrThrow']>>;

const isStringRecord = (v: unknown): v is Record<string, string> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');

function toRecord(row: Row): AuditRecord {
  return {
    id: String(row.id),
    at: Number(row.at),
    tokenId: row.tokenId,
    tokenName: row.tokenName,
    method: row.method,
    route: row.route,
    operationId: row.operationId,
    path: row.path,
    targetIds: isStringRecord(row.targetIds) ? row.targetIds : {},
    bodyDigest: row.bodyDigest,
    status: row.status,
    outcome: row.outcome as AuditRecord['outcome'],
    correlationId: row.correlationId,
    clientAddress: row.clientAddress,
  };
}

export function createAuditRepository(prisma: PrismaClient) {
  return {
    /** Stores a batch in one statement; answers the records with their ids, in order. */
    async insert(records: readonly NewAuditRecord[]): Promise<AuditRecord[]> {
      const rows = await prisma.auditRecord.createManyAndReturn({
        data: records.map((r) => ({ ...r, at: BigInt(r.at) })),
      });
      return rows.map(toRecord);
    },
    async page(query: AuditQuery): Promise<{ items: AuditRecord[]; total: number }> {
      const where: Prisma.AuditRecordWhereInput = {
        ...(query.tokenId ? { tokenId: query.tokenId } : {}),
        ...(query.operationId ? { operationId: query.operationId } : {}),
        ...(query.outcome ? { outcome: query.outcome } : {}),
        ...(query.method ? { method: query.method } : {}),
        ...(query.from !== undefined || query.to !== undefined
          ? {
              at: {
                ...(query.from !== undefined ? { gte: BigInt(query.from) } : {}),
                ...(query.to !== undefined ? { lte: BigInt(query.to) } : {}),
              },
            }
          : {}),
      };
      const [rows, total] = await Promise.all([
        prisma.auditRecord.findMany({
          where,
          orderBy: { id: 'desc' },
          skip: (query.page - 1) * query.limit,
          take: query.limit,
        }),
        prisma.auditRecord.count({ where }),
      ]);
      return { items: rows.map(toRecord), total };
    },
  };
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;
