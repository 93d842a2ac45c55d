import { backtestRoutes as r } from '@barfinex/contracts';
import type { TypedRouter } from '../../http/typed-router';
import { reply } from '../../http/typed-router';
import type { BacktestService } from './backtest.service';

export function registerBacktestRoutes(t: TypedRouter, deps: { backtests: BacktestService }): void {
  t.add(r.backtestCreate, async ({ body }) => reply(202, await deps.backtests.create(body)));
  t.add(r.backtestList, ({ query }) => deps.backtests.list(query));
  t.add(r.backtestGet, ({ params }) => deps.backtests.get(params.id));
  t.add(r.backtestCancel, ({ params }) => deps.backtests.cancel(params.id));
  t.add(r.backtestDelete, ({ params }) => deps.backtests.delete(params.id));
}
