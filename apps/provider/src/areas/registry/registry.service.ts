import { randomUUID } from 'node:crypto';
import type {
  AppHeartbeatRequest,
  AppRegisterRequest,
  AppRegistration,
  AppUnregisterRequest,
  ProxyTarget,
  ProxyTargets,
} from '@barfinex/contracts';
import type { Quarantine } from '@barfinex/db';
import type { AppType } from '@barfinex/enums';
import { badRequest, isAppError, notFound, unavailable } from '@barfinex/service-kit';
import type { EventPublisher } from '../../bus/publisher';
import type { RegistryRecord, RegistryRepository } from './registry.repository';
import { createTargetPolicy } from './target-policy';
import type { TargetPolicy } from './target-policy';

/** Meta keys that are credentials: stored, used by the proxy, never echoed in responses or events. */
const SECRET_META_KEYS = ['apiToken'];

export interface RegistryServiceDeps {
  repo: RegistryRepository;
  events: Pick<EventPublisher, 'emit'>;
  now: () => number;
  /** PROVIDER_APP_ACTIVE_TTL_MS: an app is active while its last heartbeat is at most this old. */
  ttlMs: number;
  /** How long the proxy may reuse a looked-up registration (writes here invalidate it at once). */
  lookupCacheMs?: number;
  newId?: () => string;
  /**
   * Where a baseUrl may point (PROVIDER_APP_ALLOWED_HOSTS, refused addresses, not this provider):
   * checked when an app registers or moves, and again whenever the proxy resolves it. Default: the
   * address rules alone.
   */
  targets?: TargetPolicy;
  /** A storage failure, answered as 503: the cause goes to the log here. */
  onStorageError?: (err: unknown) => void;
}

/** What the proxy needs to reach an app. */
export interface ProxyTargetInfo {
  baseUrl: string;
  apiToken?: string;
}

type WriteInput = Omit<AppHeartbeatRequest, 'meta'> & { meta?: Record<string, unknown> | undefined };

function redact(meta: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(meta).filter(([k]) => !SECRET_META_KEYS.includes(k)));
}

export function createRegistryService(deps: RegistryServiceDeps) {
  const { repo, events, now, ttlMs } = deps;
  const newId = deps.newId ?? randomUUID;
  const cacheMs = deps.lookupCacheMs ?? 1000;
  /** `value` is the settled `record`, so a cached answer can be read without waiting. */
  interface CacheEntry {
    record: Promise<RegistryRecord | undefined>;
    until: number;
    settled: boolean;
    value: RegistryRecord | undefined;
  }
  const cache = new Map<string, CacheEntry>();
  const cacheKey = (appType: AppType, appKey: string) => `${appType}\u0000${appKey}`;
  // Apps whose expiry was announced; a later heartbeat announces them registered again.
  const announcedExpired = new Set<string>();

  // Storage failures are the registry being unavailable, not a bug in the request (reference: 503).
  async function storage<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      if (isAppError(err)) throw err;
      deps.onStorageError?.(err);
      throw unavailable('App registry temporarily unavailable');
    }
  }

  const targets = deps.targets ?? createTargetPolicy();

  function isActive(r: RegistryRecord, at: number): boolean {
    return r.unregisteredAt === null && at - r.lastHeartbeatAt <= ttlMs;
  }

  function view(r: RegistryRecord, at = now()): AppRegistration {
    return {
      ...r,
      meta: redact(r.meta),
      status: r.unregisteredAt === null ? 'registered' : 'unregistered',
      isActive: isActive(r, at),
      staleMs: Math.max(0, at - r.lastHeartbeatAt),
    };
  }

  async function write(
    input: WriteInput,
    mode: 'register' | 'heartbeat',
  ): Promise<{ registration: AppRegistration; created: boolean }> {
    const at = now();
    const previous = await storage(() => repo.find(input.appType, input.appKey));
    const baseUrl = input.baseUrl ?? previous?.baseUrl;
    if (!baseUrl)
      throw badRequest(`app ${input.appType}/${input.appKey} is not registered: a first heartbeat needs baseUrl`);
    // A new address is looked up in DNS; a heartbeat from where the app already is is not.
    if (mode === 'register' || baseUrl !== previous?.baseUrl)
      await targets.checkRegistration(input.appType, input.appKey, baseUrl);
    else targets.check(input.appType, input.appKey, baseUrl);
    const meta = { ...previous?.meta, ...input.meta };
    // An app's credential is only ever sent to the address it was registered with: a write that
    // moves the app elsewhere without bringing a token of its own must not take the stored one
    // along, or any token holder could point the app's key at a host of theirs and collect it.
    const moved = previous !== undefined && input.baseUrl !== undefined && input.baseUrl !== previous.baseUrl;
    if (moved && !(input.meta !== undefined && Object.hasOwn(input.meta, 'apiToken'))) delete meta['apiToken'];
    // The UI addresses a detector by a stable id that survives re-registration.
    if (input.appType === 'detector' && typeof meta['studioKey'] !== 'string') meta['studioKey'] = newId();
    const record: RegistryRecord = {
      appType: input.appType,
      appKey: input.appKey,
      baseUrl,
      meta,
      registeredAt: previous?.registeredAt ?? at,
      lastHeartbeatAt: at,
      updatedAt: at,
      unregisteredAt: null,
    };
    const name = input.name ?? input.displayName ?? previous?.name;
    const version = input.version ?? previous?.version;
    const ip = input.ip ?? previous?.ip;
    if (name !== undefined) record.name = name;
    if (version !== undefined) record.version = version;
    if (ip !== undefined) record.ip = ip;
    const saved = await storage(() => repo.save(record));
    cache.delete(cacheKey(saved.appType, saved.appKey));
    const created = !previous || previous.unregisteredAt !== null;
    const cameBack = announcedExpired.delete(cacheKey(saved.appType, saved.appKey));
    const who = { appType: saved.appType, appKey: saved.appKey };
    if (mode === 'register' || created || cameBack) {
      events.emit('PROVIDER_APP_REGISTERED', {
        ...who,
        baseUrl: saved.baseUrl,
        registeredAt: saved.registeredAt,
        meta: redact(saved.meta),
        ...(saved.version !== undefined ? { version: saved.version } : {}),
      });
    }
    if (mode === 'heartbeat') events.emit('PROVIDER_APP_HEARTBEAT', { ...who, at });
    return { registration: view(saved, at), created };
  }

  /**
   * The proxy's read: one query per key however many calls arrive while it runs (a burst after the
   * cache lapses would otherwise send one each), then reused for `cacheMs`. A local write drops the
   * entry, and a query that was in flight then is not cached.
   */
  function lookup(appType: AppType, appKey: string): Promise<RegistryRecord | undefined> {
    if (cacheMs <= 0) return storage(() => repo.find(appType, appKey));
    const key = cacheKey(appType, appKey);
    const t = performance.now();
    const hit = cache.get(key);
    if (hit && hit.until > t) return hit.record;
    const entry: CacheEntry = {
      record: storage(() => repo.find(appType, appKey)),
      until: Number.POSITIVE_INFINITY,
      settled: false,
      value: undefined,
    };
    cache.set(key, entry);
    entry.record.then(
      (value) => {
        entry.settled = true;
        entry.value = value;
        if (cache.get(key) === entry) entry.until = t + cacheMs;
      },
      () => {
        if (cache.get(key) === entry) cache.delete(key);
      },
    );
    return entry.record;
  }

  function target(appType: AppType, appKey: string, record: RegistryRecord | undefined): ProxyTargetInfo {
    if (!record) throw notFound(`${appType} "${appKey}"`, { appType, appKey });
    const at = now();
    if (!isActive(record, at)) {
      const why =
        record.unregisteredAt !== null ? 'is unregistered' : `sent no heartbeat for ${at - record.lastHeartbeatAt} ms`;
      throw unavailable(`${appType} "${appKey}" is not active: it ${why}`, {
        appType,
        appKey,
        staleMs: Math.max(0, at - record.lastHeartbeatAt),
      });
    }
    // Also here: a registration stored before the allowlist was set must not be reached either.
    targets.check(appType, appKey, record.baseUrl);
    const token = record.meta['apiToken'];
    return { baseUrl: record.baseUrl, ...(typeof token === 'string' && token ? { apiToken: token } : {}) };
  }

  const service = {
    isActive,
    /** Run at start, before any lookup is cached: stored registrations that do not validate are quarantined. */
    checkStored: (quarantine: Quarantine) => storage(() => repo.keepValid(quarantine)),
    register: async (input: AppRegisterRequest) => (await write(input, 'register')).registration,
    heartbeat: (input: AppHeartbeatRequest) => write(input, 'heartbeat'),

    async unregister(input: AppUnregisterRequest): Promise<AppRegistration | null> {
      const previous = await storage(() => repo.find(input.appType, input.appKey));
      if (!previous) return null;
      // A repeat (a retried shutdown call) changes nothing: the first time and reason stand, announced once.
      if (previous.unregisteredAt !== null) return view(previous);
      const at = now();
      const record: RegistryRecord = { ...previous, updatedAt: at, unregisteredAt: at };
      if (input.reason !== undefined) record.unregisterReason = input.reason;
      const saved = await storage(() => repo.save(record));
      cache.delete(cacheKey(saved.appType, saved.appKey));
      events.emit('PROVIDER_APP_UNREGISTERED', { appType: saved.appType, appKey: saved.appKey, reason: 'requested' });
      return view(saved, at);
    },

    async list(filter: { appType?: AppType | undefined; includeInactive?: boolean }): Promise<AppRegistration[]> {
      const at = now();
      const records = await storage(() => repo.list(filter.appType));
      return records.map((r) => view(r, at)).filter((r) => filter.includeInactive || r.isActive);
    },

    async get(appType: AppType, appKey: string): Promise<AppRegistration> {
      const record = await storage(() => repo.find(appType, appKey));
      if (!record) throw notFound(`app ${appType}/${appKey}`);
      return view(record);
    },

    /** Where to send a proxied request: 404 when never registered, 503 when not active now. */
    async resolve(appType: AppType, appKey: string): Promise<ProxyTargetInfo> {
      return target(appType, appKey, await lookup(appType, appKey));
    },

    /**
     * `resolve` without waiting, when the answer is in the lookup cache (the proxy's usual case):
     * the target, or the same 404/503 thrown; undefined when the registry must be asked.
     */
    resolveCached(appType: AppType, appKey: string): ProxyTargetInfo | undefined {
      const hit = cacheMs > 0 ? cache.get(cacheKey(appType, appKey)) : undefined;
      if (hit === undefined || !hit.settled || hit.until <= performance.now()) return undefined;
      return target(appType, appKey, hit.value);
    },

    /**
     * Announces apps whose heartbeats stopped (`PROVIDER_APP_UNREGISTERED`, reason `expired`), once
     * per lapse. Returns how many were announced.
     */
    async sweepExpired(): Promise<number> {
      const at = now();
      const records = await storage(() => repo.list(undefined));
      let announced = 0;
      for (const r of records) {
        const key = cacheKey(r.appType, r.appKey);
        if (r.unregisteredAt !== null || isActive(r, at)) {
          announcedExpired.delete(key);
          continue;
        }
        if (announcedExpired.has(key)) continue;
        announcedExpired.add(key);
        announced += 1;
        events.emit('PROVIDER_APP_UNREGISTERED', { appType: r.appType, appKey: r.appKey, reason: 'expired' });
      }
      return announced;
    },

    async activeKeys(appType: AppType): Promise<Set<string>> {
      return new Set((await service.list({ appType })).map((r) => r.appKey));
    },

    async targets(): Promise<ProxyTargets> {
      const all = await service.list({ includeInactive: true });
      const of = (type: AppType): ProxyTarget[] =>
        all
          .filter((r) => r.appType === type && r.status === 'registered')
          .map((r) => ({
            key: r.appKey,
            type,
            baseUrl: r.baseUrl,
            enabled: r.isActive,
            isActive: r.isActive,
            staleMs: r.staleMs,
            source: 'db',
          }));
      return { advisors: of('advisor'), inspectors: of('inspector'), detectors: of('detector') };
    },
  };
  return service;
}

export type RegistryService = ReturnType<typeof createRegistryService>;
