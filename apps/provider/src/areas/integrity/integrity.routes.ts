import { platformRoutes as r } from '@barfinex/contracts';
import type { ConnectorRegistry } from '../../connectors/connector-registry';
import type { TypedRouter } from '../../http/typed-router';
import type { IntegrityService } from './integrity.service';

/** Gap report and repair of one stored candle series. */
export function registerIntegrityRoutes(
  t: TypedRouter,
  deps: { integrity: IntegrityService; connectors: ConnectorRegistry },
): void {
  t.add(r.candleGaps, ({ params, query }) => {
    deps.connectors.require(params.connectorType, params.marketType);
    return deps.integrity.report(params, query.from, query.to);
  });
  t.add(r.candleRepair, ({ params, body }) => {
    deps.connectors.require(params.connectorType, params.marketType);
    return deps.integrity.repair(params, body);
  });
}
