import { configRoutes as r } from '@barfinex/contracts';
import type { TypedRouter } from '../../http/typed-router';
import { reply } from '../../http/typed-router';
import type { ConfigsService } from './configs.service';

/**
 * Exactly `/detectors/:key` and `/inspectors/:sysname` (one segment) are CRUD; anything deeper is
 * the proxy's (`createProxyRouter`), which needs at least one segment after the key.
 */
export function registerConfigRoutes(t: TypedRouter, deps: { configs: ConfigsService }): void {
  const { detectors, inspectors } = deps.configs;
  t.add(r.listDetectors, () => detectors.list());
  t.add(r.createDetector, async ({ body }) => reply(201, await detectors.create(body)));
  t.add(r.getDetector, ({ params }) => detectors.get(params.key));
  t.add(r.updateDetector, ({ params, body }) => detectors.update(params.key, body));
  t.add(r.deleteDetector, ({ params }) => detectors.remove(params.key));
  t.add(r.listInspectors, () => inspectors.list());
  t.add(r.createInspector, async ({ body }) => reply(201, await inspectors.create(body)));
  t.add(r.getInspector, ({ params }) => inspectors.get(params.sysname));
  t.add(r.updateInspector, ({ params, body }) => inspectors.update(params.sysname, body));
  t.add(r.deleteInspector, ({ params }) => inspectors.remove(params.sysname));
}
