// Test wiring shared by the registry, proxy and config specs: the real routers and services on a
// fresh migrated PGlite, with the service-kit auth and error middleware, but not the whole provider.
import express from 'express';
import pino from 'pino';
import { createTestPglite } from '@barfinex/db/testing';
import type { Database } from '@barfinex/db';
import { errorMiddleware, jsonBody, notFoundHandler, tokenAuth } from '@barfinex/service-kit';
import { createConfigsRepository } from '../configs/configs.repository';
import { registerConfigRoutes } from '../configs/configs.routes';
import { createConfigsService } from '../configs/configs.service';
import { createTypedRouter } from '../../http/typed-router';
import { createUpstreamClient } from '../proxy/forward';
import { createProxyRouter } from '../proxy/proxy';
import { registerProxyRoutes } from '../proxy/proxy.routes';
import { createRegistryRepository } from './registry.repository';
import { registerRegistryRoutes } from './registry.routes';
import { createRegistryService } from './registry.service';
import { createTargetPolicy } from './target-policy';
import type { TargetPolicyOptions } from './target-policy';

export const SPEC_TOKEN = 'provider-secret-token';
export const auth = { Authorization: `Bearer ${SPEC_TOKEN}` };

export interface SpecAppOptions {
  ttlMs?: number;
  proxyTimeoutMs?: number;
  lookupCacheMs?: number;
  /** The proxy's upstream client (default: what the provider picks on this Node). */
  upstream?: 'native' | 'undici';
  /** Where baseUrls may point (default: the provider's address rules). */
  targets?: TargetPolicyOptions;
  onStorageError?: (err: unknown) => void;
  /** Another spec app's database (this one then leaves closing it to that one). */
  db?: Database;
}

export async function createSpecApp(options: SpecAppOptions = {}) {
  const db = options.db ?? (await createTestPglite());
  const clock = { t: 1_700_000_000_000 };
  const now = () => clock.t;
  const emitted: { name: string; payload: unknown }[] = [];
  const events = { emit: (name: string, payload: unknown) => void emitted.push({ name, payload }) };
  let ids = 0;
  const registry = createRegistryService({
    repo: createRegistryRepository(db.prisma),
    events,
    now,
    ttlMs: options.ttlMs ?? 60_000,
    lookupCacheMs: options.lookupCacheMs ?? 0,
    newId: () => `studio-${++ids}`,
    // No DNS in these specs: names resolve to nothing unless a spec says otherwise.
    targets: createTargetPolicy({ resolve: async () => [], ...options.targets }),
    ...(options.onStorageError ? { onStorageError: options.onStorageError } : {}),
  });
  const configs = createConfigsService({ repo: createConfigsRepository(db.prisma), registry, now });
  const proxyTimeoutMs = options.proxyTimeoutMs ?? 2000;
  const upstream = createUpstreamClient({
    timeoutMs: proxyTimeoutMs,
    ...(options.upstream ? { kind: options.upstream } : {}),
  });

  const t = createTypedRouter();
  registerRegistryRoutes(t, {
    registry,
    onDetectorSnapshot: (key, snap) => configs.detectors.upsertFromSnapshot(key, snap),
  });
  registerProxyRoutes(t, { registry });
  registerConfigRoutes(t, { configs });
  const app = express();
  app.set('trust proxy', 'loopback');
  app.use(
    '/api',
    tokenAuth({ token: SPEC_TOKEN }),
    createProxyRouter({ registry, timeoutMs: proxyTimeoutMs, upstream }),
    jsonBody({ limit: '256kb' }),
    t.router,
  );
  app.use(notFoundHandler);
  app.use(errorMiddleware({ logger: pino({ level: 'silent' }) }));

  return {
    app,
    db,
    clock,
    emitted,
    registry,
    configs,
    definitions: t.definitions,
    async close() {
      await upstream.close();
      if (!options.db) await db.close();
    },
  };
}

export type SpecApp = Awaited<ReturnType<typeof createSpecApp>>;
