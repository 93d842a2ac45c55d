import { DetectorConfigSchema, InspectorConfigSchema } from '@barfinex/contracts';
import type { DetectorConfig, DetectorItem, InspectorConfig, InspectorItem } from '@barfinex/contracts';
import type { Quarantine } from '@barfinex/db';
import type { AppType, DetectorStatus } from '@barfinex/enums';
import { badRequest, conflict, isAppError, notFound, parseInput } from '@barfinex/service-kit';
import type { z } from 'zod';
import type { ConfigTable, ConfigsRepository, StoredConfig } from './configs.repository';

export interface ConfigsServiceDeps {
  repo: ConfigsRepository;
  registry: { activeKeys(appType: AppType): Promise<Set<string>> };
  now: () => number;
}

// Computed or bookkeeping fields a client may echo back from a GET; never part of the document.
const DERIVED = ['status', 'createdAt', 'updatedAt'];
const strip = (doc: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(doc).filter(([k]) => !DERIVED.includes(k)));

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/** Reference precedence: a detector that is not running is offline whatever its flags say. */
export function detectorStatus(
  config: Pick<DetectorConfig, 'isActive' | 'isBlocked'>,
  online: boolean,
): DetectorStatus {
  if (!online) return 'offline';
  if (config.isBlocked) return 'blocked';
  if (!config.isActive) return 'disabled';
  return 'active';
}

function crud<S extends z.ZodType<Record<string, unknown>>>(
  table: ConfigTable,
  schema: S,
  keyField: string,
  what: string,
  now: () => number,
) {
  const parse = (doc: unknown) => parseInput(schema, doc, 'body') as z.output<S>;
  return {
    list: () => table.list(),
    async get(key: string): Promise<StoredConfig> {
      const stored = await table.find(key);
      if (!stored) throw notFound(`${what} "${key}"`);
      return stored;
    },
    async create(input: z.output<S>): Promise<StoredConfig> {
      const doc = strip(input);
      const key = String(doc[keyField]);
      const created = await table.create(key, doc, now());
      if (!created) throw conflict(`${what} "${key}" already exists`, { [keyField]: key });
      return created;
    },
    /** Shallow merge, then the whole result is validated again, so a merge cannot store an invalid config. */
    async update(key: string, patch: Record<string, unknown>): Promise<StoredConfig> {
      if (patch[keyField] !== undefined && patch[keyField] !== key)
        throw badRequest(`${keyField} cannot be changed (${String(patch[keyField])} ≠ ${key})`);
      const stored = await table.find(key);
      if (!stored) throw notFound(`${what} "${key}"`);
      const merged = strip(parse({ ...stored.config, ...strip(patch), [keyField]: key }));
      const updated = await table.update(key, merged, now());
      if (!updated) throw notFound(`${what} "${key}"`);
      return updated;
    },
    async remove(key: string): Promise<{ deleted: true }> {
      if (!(await table.remove(key, now()))) throw notFound(`${what} "${key}"`);
      return { deleted: true };
    },
    /** A stored document must still be one the schema accepts, under its own key (an update re-validates it whole). */
    keepValid: (quarantine: Quarantine) =>
      table.keepValid(quarantine, (key, config) => {
        const doc = schema.parse(config);
        if (doc[keyField] !== key)
          throw new Error(`${keyField} "${String(doc[keyField])}" is not the stored key "${key}"`);
        return doc;
      }),
  };
}

export function createConfigsService(deps: ConfigsServiceDeps) {
  const detectors = crud(deps.repo.detectors, DetectorConfigSchema, 'key', 'detector', deps.now);
  const inspectors = crud(deps.repo.inspectors, InspectorConfigSchema, 'sysname', 'inspector', deps.now);

  const detectorItem = (s: StoredConfig, online: Set<string>): DetectorItem => {
    const config = s.config as DetectorConfig;
    return {
      ...config,
      createdAt: s.createdAt,
      updatedAt: s.updatedAt,
      status: detectorStatus(config, online.has(s.key)),
    } as DetectorItem;
  };
  const inspectorItem = (s: StoredConfig): InspectorItem =>
    ({ ...(s.config as InspectorConfig), createdAt: s.createdAt, updatedAt: s.updatedAt }) as InspectorItem;
  const online = () => deps.registry.activeKeys('detector');

  return {
    /** Run at start: stored configs that no longer validate are quarantined instead of failing every later update. */
    async checkStored(quarantine: Quarantine): Promise<void> {
      await detectors.keepValid(quarantine);
      await inspectors.keepValid(quarantine);
    },
    detectors: {
      list: async () => {
        const [rows, active] = await Promise.all([detectors.list(), online()]);
        return rows.map((s) => detectorItem(s, active));
      },
      get: async (key: string) => detectorItem(await detectors.get(key), await online()),
      create: async (input: DetectorConfig) => detectorItem(await detectors.create(input), await online()),
      update: async (key: string, patch: Record<string, unknown>) =>
        detectorItem(await detectors.update(key, patch), await online()),
      remove: (key: string) => detectors.remove(key),
      /**
       * A detector describes itself in `meta.detectorSnapshot` on register and heartbeat; its row
       * follows (created, or shallow-merged). Unchanged snapshots write nothing.
       */
      async upsertFromSnapshot(
        key: string,
        snapshot: Record<string, unknown>,
      ): Promise<'created' | 'updated' | 'unchanged'> {
        const doc = strip({ ...snapshot, key });
        const existing = await deps.repo.detectors.find(key);
        if (existing) {
          const merged = strip(parseInput(DetectorConfigSchema, { ...existing.config, ...doc }, 'body'));
          if (stableJson(merged) === stableJson(existing.config)) return 'unchanged';
          await detectors.update(key, doc);
          return 'updated';
        }
        try {
          await detectors.create(parseInput(DetectorConfigSchema, doc, 'body'));
          return 'created';
        } catch (err) {
          // Two heartbeats raced to create the row: the loser merges instead.
          if (isAppError(err) && err.code === 'CONFLICT') {
            await detectors.update(key, doc);
            return 'updated';
          }
          throw err;
        }
      },
    },
    inspectors: {
      list: async () => (await inspectors.list()).map(inspectorItem),
      get: async (sysname: string) => inspectorItem(await inspectors.get(sysname)),
      create: async (input: InspectorConfig) => inspectorItem(await inspectors.create(input)),
      update: async (sysname: string, patch: Record<string, unknown>) =>
        inspectorItem(await inspectors.update(sysname, patch)),
      remove: (sysname: string) => inspectors.remove(sysname),
    },
  };
}

export type ConfigsService = ReturnType<typeof createConfigsService>;
