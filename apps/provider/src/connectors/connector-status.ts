import type { ExchangeConnectorStatus, MarketType } from '@barfinex/enums';
import type { ExchangeConnector } from './connector';

/**
 * One market's status as the REST areas show it: `DEGRADED` with the reason when that market cannot
 * trade (its user-data stream or trading gate is not open), else the connector's own status.
 */
export function marketStatus(
  connector: ExchangeConnector,
  market: MarketType,
): { status: ExchangeConnectorStatus; isActive: boolean; statusReason?: string } {
  const reason = connector.degraded?.().find((d) => d.market === market)?.reason;
  if (reason !== undefined) return { status: 'DEGRADED', isActive: false, statusReason: reason };
  const status = connector.status() === 'DEGRADED' ? 'ACTIVE' : connector.status();
  return { status, isActive: status === 'ACTIVE' };
}
