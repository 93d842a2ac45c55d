import { providerRoutes as r } from '@barfinex/contracts';
import { notFound } from '@barfinex/service-kit';
import type { ConnectorRegistry } from '../connector-registry';
import type { TypedRouter } from '../../http/typed-router';
import type { Reconciler } from './reconciler';

/** `GET /connectors/:connectorType/:marketType/reconciliation`: the latest result, 404 before the first. */
export function registerReconciliationRoutes(
  t: TypedRouter,
  deps: { connectors: ConnectorRegistry; reconciler: Reconciler },
): void {
  t.add(r.reconciliation, ({ params }) => {
    deps.connectors.require(params.connectorType, params.marketType);
    const result = deps.reconciler.latest(params.connectorType, params.marketType);
    if (!result)
      throw notFound(`reconciliation of ${params.connectorType}/${params.marketType} (none has finished yet)`);
    return result;
  });
}
