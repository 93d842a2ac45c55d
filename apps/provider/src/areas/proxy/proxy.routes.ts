import { proxyRouteDocs, registryRoutes } from '@barfinex/contracts';
import type { TypedRouter } from '../../http/typed-router';
import type { RegistryService } from '../registry/registry.service';

/** `GET /proxy/targets`, and the proxy's own routes in the OpenAPI document (it is served by `createProxyRouter`). */
export function registerProxyRoutes(t: TypedRouter, deps: { registry: Pick<RegistryService, 'targets'> }): void {
  t.add(registryRoutes.proxyTargets, () => deps.registry.targets());
  t.definitions.push(...proxyRouteDocs);
}
