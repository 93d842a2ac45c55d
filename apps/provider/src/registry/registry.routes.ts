import { registryRoutes as r } from '@barfinex/contracts';
import type { Request } from 'express';
import type { TypedRouter } from '../http/typed-router';
import { reply } from '../http/typed-router';
import type { RegistryService } from './registry.service';

// The reference's order: the body, else the peer (Express honours the app's `trust proxy` setting).
const callerIp = (req: Request, ip: string | undefined) => ip ?? req.ip;

export function registerRegistryRoutes(t: TypedRouter, deps: { registry: RegistryService }): void {
  const { registry } = deps;
  t.add(r.registerApp, async ({ body, req }) => {
    const ip = callerIp(req, body.ip);
    return reply(201, { ok: true, data: await registry.register({ ...body, ...(ip ? { ip } : {}) }) });
  });
  t.add(r.heartbeatApp, async ({ body, req }) => {
    const ip = callerIp(req, body.ip);
    const { registration } = await registry.heartbeat({ ...body, ...(ip ? { ip } : {}) });
    return { ok: true, data: registration };
  });
  t.add(r.unregisterApp, async ({ body }) => ({ ok: true, data: await registry.unregister(body) }));
  t.add(r.listApps, async ({ query }) => {
    const data = await registry.list({ appType: query.appType, includeInactive: query.includeInactive });
    return { ok: true, count: data.length, data };
  });
  t.add(r.getApp, async ({ params }) => ({ ok: true, data: await registry.get(params.appType, params.appKey) }));
}
