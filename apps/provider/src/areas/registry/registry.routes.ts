import { registryRoutes as r } from '@barfinex/contracts';
import type { Request } from 'express';
import type { TypedRouter } from '../../http/typed-router';
import { reply } from '../../http/typed-router';
import type { RegistryService } from './registry.service';

// The reference's order: the body, else the peer (Express honours the app's `trust proxy` setting).
const callerIp = (req: Request, ip: string | undefined) => ip ?? req.ip;

export interface RegistryRoutesDeps {
  registry: RegistryService;
  /** Called with a detector's `meta.detectorSnapshot` after its register or heartbeat was stored. */
  onDetectorSnapshot?: (appKey: string, snapshot: Record<string, unknown>) => Promise<unknown>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function registerRegistryRoutes(t: TypedRouter, deps: RegistryRoutesDeps): void {
  const { registry } = deps;
  const snapshot = async (body: { appType: string; appKey: string; meta?: Record<string, unknown> | undefined }) => {
    const snap = body.meta?.['detectorSnapshot'];
    if (body.appType === 'detector' && isRecord(snap) && deps.onDetectorSnapshot)
      await deps.onDetectorSnapshot(body.appKey, snap);
  };
  t.add(r.registerApp, async ({ body, req }) => {
    const ip = callerIp(req, body.ip);
    const data = await registry.register({ ...body, ...(ip ? { ip } : {}) });
    await snapshot(body);
    return reply(201, { ok: true, data });
  });
  t.add(r.heartbeatApp, async ({ body, req }) => {
    const ip = callerIp(req, body.ip);
    const { registration } = await registry.heartbeat({ ...body, ...(ip ? { ip } : {}) });
    await snapshot(body);
    return { ok: true, data: registration };
  });
  t.add(r.unregisterApp, async ({ body }) => ({ ok: true, data: await registry.unregister(body) }));
  t.add(r.listApps, async ({ query }) => {
    const data = await registry.list({ appType: query.appType, includeInactive: query.includeInactive });
    return { ok: true, count: data.length, data };
  });
  t.add(r.getApp, async ({ params }) => ({ ok: true, data: await registry.get(params.appType, params.appKey) }));
}
