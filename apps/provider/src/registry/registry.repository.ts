import type { Prisma, PrismaClient } from '@barfinex/db';
import { bigIntToMs, isUniqueViolation, msToBigInt, nullableBigIntToMs, nullableMsToBigInt } from '@barfinex/db';
import type { AppRegistration as DbRow } from '@barfinex/db';
import type { AppType } from '@barfinex/enums';

/** One stored registration as the service sees it (times in Unix ms; meta unredacted). */
export interface RegistryRecord {
  appType: AppType;
  appKey: string;
  baseUrl: string;
  name?: string;
  version?: string;
  ip?: string;
  meta: Record<string, unknown>;
  registeredAt: number;
  lastHeartbeatAt: number;
  updatedAt: number;
  unregisteredAt: number | null;
  unregisterReason?: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function toRecord(row: DbRow): RegistryRecord {
  const record: RegistryRecord = {
    appType: row.appType as AppType,
    appKey: row.appKey,
    baseUrl: row.baseUrl,
    meta: isRecord(row.meta) ? row.meta : {},
    registeredAt: bigIntToMs(row.registeredAt),
    lastHeartbeatAt: bigIntToMs(row.lastHeartbeatAt),
    updatedAt: bigIntToMs(row.updatedAt),
    unregisteredAt: nullableBigIntToMs(row.unregisteredAt),
  };
  if (row.name !== null) record.name = row.name;
  if (row.version !== null) record.version = row.version;
  if (row.ip !== null) record.ip = row.ip;
  if (row.unregisterReason !== null) record.unregisterReason = row.unregisterReason;
  return record;
}

function toData(r: RegistryRecord) {
  return {
    baseUrl: r.baseUrl,
    name: r.name ?? null,
    version: r.version ?? null,
    ip: r.ip ?? null,
    meta: r.meta as Prisma.InputJsonObject,
    registeredAt: msToBigInt(r.registeredAt),
    lastHeartbeatAt: msToBigInt(r.lastHeartbeatAt),
    updatedAt: msToBigInt(r.updatedAt),
    unregisteredAt: nullableMsToBigInt(r.unregisteredAt),
    unregisterReason: r.unregisterReason ?? null,
  };
}

export function createRegistryRepository(prisma: PrismaClient) {
  const upsertOnce = (r: RegistryRecord) =>
    prisma.appRegistration.upsert({
      where: { appType_appKey: { appType: r.appType, appKey: r.appKey } },
      create: { appType: r.appType, appKey: r.appKey, ...toData(r) },
      update: toData(r),
    });
  return {
    async find(appType: AppType, appKey: string): Promise<RegistryRecord | undefined> {
      const row = await prisma.appRegistration.findUnique({ where: { appType_appKey: { appType, appKey } } });
      return row ? toRecord(row) : undefined;
    },
    async list(appType?: AppType): Promise<RegistryRecord[]> {
      const rows = await prisma.appRegistration.findMany({ where: appType ? { appType } : {}, orderBy: [{ appType: 'asc' }, { appKey: 'asc' }] });
      return rows.map(toRecord);
    },
    /** Writes the whole record; two first writes of one app may race on the insert, so one retry. */
    async save(record: RegistryRecord): Promise<RegistryRecord> {
      try {
        return toRecord(await upsertOnce(record));
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        return toRecord(await upsertOnce(record));
      }
    },
  };
}

export type RegistryRepository = ReturnType<typeof createRegistryRepository>;
