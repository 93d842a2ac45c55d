import { optimizationRoutes as r } from '@barfinex/contracts';
import type { TypedRouter } from '../../http/typed-router';
import { reply } from '../../http/typed-router';
import type { BacktestService } from '../backtest/backtest.service';
import type { DetectorCatalog } from '../backtest/detectors';
import type { ParamsApplier } from './apply';
import type { BatchRunner } from './batch';
import type { OptimizationService } from './optimization.service';

export interface OptimizationRouteDeps {
  optimizations: OptimizationService;
  backtests: Pick<BacktestService, 'create'>;
  detectors: DetectorCatalog;
  batch: BatchRunner;
  apply: ParamsApplier;
}

export function registerOptimizationRoutes(t: TypedRouter, deps: OptimizationRouteDeps): void {
  t.add(r.detectorCatalog, () => deps.detectors.list());
  t.add(r.backtestBatch, ({ body }) => deps.batch.run(body));
  t.add(r.optimizationCreate, async ({ body }) => reply(202, await deps.optimizations.create(body)));
  t.add(r.optimizationList, ({ query }) => deps.optimizations.list(query));
  t.add(r.optimizationGet, ({ params, query }) => deps.optimizations.get(params.id, query.trials));
  t.add(r.optimizationCancel, ({ params }) => deps.optimizations.cancel(params.id));
  t.add(r.optimizationDelete, ({ params }) => deps.optimizations.delete(params.id));
  t.add(r.optimizationTrialBacktest, async ({ params, body }) =>
    reply(
      202,
      await deps.backtests.create(await deps.optimizations.trialBacktest(params.id, params.fold, params.seq, body)),
    ),
  );
  t.add(r.optimizationApply, async ({ params, body }) => {
    const { request, params: chosen } = await deps.optimizations.paramsOf(params.id, body.fold, body.seq);
    return deps.apply(body.appKey, request.detector, chosen);
  });
}
