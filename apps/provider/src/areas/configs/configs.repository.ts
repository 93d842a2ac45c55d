import type { Prisma, PrismaClient, Quarantine } from '@barfinex/db';
import { bigIntToMs, isUniqueViolation, msToBigInt } from '@barfinex/db';

/** A stored config document; `key` is the detector key or the inspector sysname. */
export interface StoredConfig {
  key: string;
  config: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

export interface ConfigTable {
  list(): Promise<StoredConfig[]>;
  find(key: string): Promise<StoredConfig | undefined>;
  /** undefined when a live config with this key exists; a deleted one is replaced. */
  create(key: string, config: Record<string, unknown>, at: number): Promise<StoredConfig | undefined>;
  update(key: string, config: Record<string, unknown>, at: number): Promise<StoredConfig | undefined>;
  remove(key: string, at: number): Promise<boolean>;
  /**
   * Moves the live configs `check` refuses (it throws) to the quarantine, so a document stored by
   * an older schema cannot block its detector's updates forever; returns how many stay.
   */
  keepValid(quarantine: Quarantine, check: (key: string, config: unknown) => unknown): Promise<number>;
}

interface Row {
  config: Prisma.JsonValue;
  createdAt: bigint;
  updatedAt: bigint;
  deletedAt: bigint | null;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const json = (config: Record<string, unknown>) => config as Prisma.InputJsonObject;

function toStored(key: string, row: Row): StoredConfig {
  return {
    key,
    config: isRecord(row.config) ? row.config : {},
    createdAt: bigIntToMs(row.createdAt),
    updatedAt: bigIntToMs(row.updatedAt),
  };
}

/**
 * Deletes are soft (deleted_at), so the unique key stays taken: a create over a deleted row
 * revives it with a fresh createdAt, and only `deletedAt: null` rows ever count as existing.
 */
function detectorTable(prisma: PrismaClient): ConfigTable {
  const d = prisma.detectorConfig;
  const name = (config: Record<string, unknown>) => (typeof config['name'] === 'string' ? config['name'] : null);
  return {
    list: async () =>
      (await d.findMany({ where: { deletedAt: null }, orderBy: { key: 'asc' } })).map((r) => toStored(r.key, r)),
    find: async (key) => {
      const row = await d.findFirst({ where: { key, deletedAt: null } });
      return row ? toStored(row.key, row) : undefined;
    },
    async create(key, config, at) {
      const data = {
        config: json(config),
        name: name(config),
        createdAt: msToBigInt(at),
        updatedAt: msToBigInt(at),
        deletedAt: null,
      };
      try {
        const revived = await d.updateMany({ where: { key, deletedAt: { not: null } }, data });
        const row =
          revived.count === 1
            ? await d.findUniqueOrThrow({ where: { key } })
            : await d.create({ data: { key, ...data } });
        return toStored(row.key, row);
      } catch (err) {
        if (isUniqueViolation(err)) return undefined;
        throw err;
      }
    },
    async update(key, config, at) {
      const { count } = await d.updateMany({
        where: { key, deletedAt: null },
        data: { config: json(config), name: name(config), updatedAt: msToBigInt(at) },
      });
      return count === 1 ? toStored(key, await d.findUniqueOrThrow({ where: { key } })) : undefined;
    },
    remove: async (key, at) =>
      (
        await d.updateMany({
          where: { key, deletedAt: null },
          data: { deletedAt: msToBigInt(at), updatedAt: msToBigInt(at) },
        })
      ).count === 1,
    keepValid: async (quarantine, check) =>
      (
        await quarantine.keepValid(await d.findMany({ where: { deletedAt: null }, orderBy: { key: 'asc' } }), {
          source: 'detector_configs',
          key: (r) => r.key,
          parse: (r) => check(r.key, r.config),
          remove: (refused) => d.deleteMany({ where: { id: { in: refused.map((r) => r.id) } } }),
        })
      ).length,
  };
}

function inspectorTable(prisma: PrismaClient): ConfigTable {
  const d = prisma.inspectorConfig;
  return {
    list: async () =>
      (await d.findMany({ where: { deletedAt: null }, orderBy: { sysname: 'asc' } })).map((r) =>
        toStored(r.sysname, r),
      ),
    find: async (sysname) => {
      const row = await d.findFirst({ where: { sysname, deletedAt: null } });
      return row ? toStored(row.sysname, row) : undefined;
    },
    async create(sysname, config, at) {
      const data = { config: json(config), createdAt: msToBigInt(at), updatedAt: msToBigInt(at), deletedAt: null };
      try {
        const revived = await d.updateMany({ where: { sysname, deletedAt: { not: null } }, data });
        const row =
          revived.count === 1
            ? await d.findUniqueOrThrow({ where: { sysname } })
            : await d.create({ data: { sysname, ...data } });
        return toStored(row.sysname, row);
      } catch (err) {
        if (isUniqueViolation(err)) return undefined;
        throw err;
      }
    },
    async update(sysname, config, at) {
      const { count } = await d.updateMany({
        where: { sysname, deletedAt: null },
        data: { config: json(config), updatedAt: msToBigInt(at) },
      });
      return count === 1 ? toStored(sysname, await d.findUniqueOrThrow({ where: { sysname } })) : undefined;
    },
    remove: async (sysname, at) =>
      (
        await d.updateMany({
          where: { sysname, deletedAt: null },
          data: { deletedAt: msToBigInt(at), updatedAt: msToBigInt(at) },
        })
      ).count === 1,
    keepValid: async (quarantine, check) =>
      (
        await quarantine.keepValid(await d.findMany({ where: { deletedAt: null }, orderBy: { sysname: 'asc' } }), {
          source: 'inspector_configs',
          key: (r) => r.sysname,
          parse: (r) => check(r.sysname, r.config),
          remove: (refused) => d.deleteMany({ where: { id: { in: refused.map((r) => r.id) } } }),
        })
      ).length,
  };
}

export function createConfigsRepository(prisma: PrismaClient) {
  return { detectors: detectorTable(prisma), inspectors: inspectorTable(prisma) };
}

export type ConfigsRepository = ReturnType<typeof createConfigsRepository>;
