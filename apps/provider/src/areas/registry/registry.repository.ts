import { AppTypeSchema } from '@barfinex/contracts';
import type { Prisma, PrismaClient, Quarantine } from '@barfinex/db';
import { bigIntToMs, isUniqueViolation, msToBigInt, nullableBigIntToMs, nullableMsToBigInt } from '@barfinex/db';
import type { AppRegistration as DbRow } from '@barfinex/db';
import type { AppType } from '@barfinex/enums';
import { z } from 'zod';

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

/** What a stored registration must be to be served, proxied to and announced in events. */
const StoredRegistrationSchema = z.object({
  appType: AppTypeSchema,
  appKey: z.string().min(1),
  baseUrl: z.url({ protocol: /^https?$/ }),
  meta: z.record(z.string(), z.unknown()),
});

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
      const rows = await prisma.appRegistration.findMany({
        where: appType ? { appType } : {},
        orderBy: [{ appType: 'asc' }, { appKey: 'asc' }],
      });
      return rows.map(toRecord);
    },
    /**
     * Run at start: a stored registration the registry could not serve or announce (an unknown app
     * type, an address that is not an http URL, meta that is not an object) is quarantined, and
     * the app registers afresh on its next call.
     */
    async keepValid(quarantine: Quarantine): Promise<number> {
      const rows = await prisma.appRegistration.findMany({ orderBy: [{ appType: 'asc' }, { appKey: 'asc' }] });
      const kept = await quarantine.keepValid(rows, {
        source: 'app_registrations',
        key: (r) => `${r.appType}/${r.appKey}`,
        parse: (r) => StoredRegistrationSchema.parse(r),
        remove: (refused) => prisma.appRegistration.deleteMany({ where: { id: { in: refused.map((r) => r.id) } } }),
      });
      return kept.length;
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
