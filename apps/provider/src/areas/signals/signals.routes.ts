import { platformRoutes as r } from '@barfinex/contracts';
import type { TypedRouter } from '../../http/typed-router';
import type { EventSinkRepository } from '../eventsink/eventsink.repository';
import type { FlowTrade } from './market-features';
import type { SignalsService } from './signals.service';

export function registerSignalsRoutes(t: TypedRouter, deps: { signals: SignalsService }): void {
  t.add(r.signalsContext, ({ params, query }) => deps.signals.context(params.symbol, query));
}

/** Order flow reads the trade prints the event sink stored (they are validated on the bus). */
export function sinkTrades(repo: Pick<EventSinkRepository, 'latest'>) {
  return async (
    market: { connectorType: string; marketType: string; symbol: string },
    limit: number,
  ): Promise<FlowTrade[]> =>
    (await repo.latest('PROVIDER_MARKETDATA_TRADE', market, limit)).map(({ payload }) => payload as FlowTrade);
}
