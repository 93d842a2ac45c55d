import { Router } from 'express';
import type { Request } from 'express';
import { z } from 'zod';
import { SymbolName, buildPage, createPaginationQuery } from '@barfinex/contracts';
import { notFound, parseInput } from '@barfinex/service-kit';
import { DecisionOutcomeSchema } from '../decisions/decision-record';
import type { DecisionsRepository } from '../decisions/decisions.repository';
import type { PipelineConfigService } from '../pipeline/pipeline-config.service';

export const DecisionListQuerySchema = createPaginationQuery(50).extend({
  symbol: SymbolName.optional(),
  outcome: DecisionOutcomeSchema.optional(),
});
const DecisionParamsSchema = z.object({ id: z.string().min(1).max(200) });

/** Links must work through the provider proxy, which announces its prefix. */
function publicPath(req: Request, path: string): string {
  const prefix = req.headers['x-forwarded-prefix'];
  return `${typeof prefix === 'string' ? prefix.replace(/\/+$/, '') : ''}${path}`;
}

export function advisorRoutes(deps: { repo: DecisionsRepository; pipelineConfig: PipelineConfigService }): Router {
  const router = Router();
  router.get('/decisions', async (req, res) => {
    const query = parseInput(DecisionListQuerySchema, req.query, 'query');
    const { items, total } = await deps.repo.list(query);
    res.json(
      buildPage(items, total, {
        path: publicPath(req, '/decisions'),
        page: query.page,
        limit: query.limit,
        query: { symbol: query.symbol, outcome: query.outcome },
      }),
    );
  });
  router.get('/decisions/:id', async (req, res) => {
    const { id } = parseInput(DecisionParamsSchema, req.params, 'params');
    const record = await deps.repo.get(id);
    if (!record) throw notFound(`decision "${id}"`, { decisionId: id });
    res.json(record);
  });
  router.get('/pipeline/config', (_req, res) => {
    res.json(deps.pipelineConfig.state());
  });
  router.put('/pipeline/config', async (req, res) => {
    res.json(await deps.pipelineConfig.replace(req.body));
  });
  return router;
}
