import { backtestRoutes as r } from '@barfinex/contracts';
import type { TypedRouter } from '../../http/typed-router';
import { reply } from '../../http/typed-router';
import type { BackfillService } from './backfill.service';

export function registerBackfillRoutes(t: TypedRouter, deps: { backfill: BackfillService }): void {
  t.add(r.candleBackfill, async ({ params, body }) => reply(202, await deps.backfill.start(params, body)));
  t.add(r.candleBackfillStatus, ({ params }) => deps.backfill.status(params));
}
