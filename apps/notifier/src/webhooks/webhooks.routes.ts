import { Router } from 'express';
import { z } from 'zod';
import { buildPage, createPaginationQuery } from '@barfinex/contracts';
import { parseInput } from '@barfinex/service-kit';
import { publicPath } from '../http/public-path';
import { DeliveryStatus } from './webhooks.repository';
import type { WebhooksRepository } from './webhooks.repository';
import { deliveryView } from './webhooks.service';
import type { WebhooksService } from './webhooks.service';

const IdParams = z.object({ id: z.string().min(1).max(100) });
const DeliveryParams = IdParams.extend({ deliveryId: z.string().min(1).max(100) });
const DeliveriesQuery = createPaginationQuery(50).extend({
  status: z.enum([DeliveryStatus.pending, DeliveryStatus.delivered, DeliveryStatus.failed]).optional(),
});

/** `/webhooks`: subscriptions, their delivery log, redelivery, test pings. */
export function webhooksRouter(deps: { service: WebhooksService; repo: WebhooksRepository }): Router {
  const router = Router();
  router.get('/webhooks', (_req, res) => {
    res.json({ items: deps.service.list() });
  });
  router.post('/webhooks', async (req, res) => {
    res.status(201).json(await deps.service.create(req.body));
  });
  router.get('/webhooks/:id', (req, res) => {
    res.json(deps.service.get(parseInput(IdParams, req.params, 'params').id));
  });
  router.patch('/webhooks/:id', async (req, res) => {
    res.json(await deps.service.update(parseInput(IdParams, req.params, 'params').id, req.body));
  });
  router.delete('/webhooks/:id', async (req, res) => {
    await deps.service.remove(parseInput(IdParams, req.params, 'params').id);
    res.status(204).end();
  });
  router.post('/webhooks/:id/test', async (req, res) => {
    res.json(await deps.service.ping(parseInput(IdParams, req.params, 'params').id));
  });
  router.post('/webhooks/:id/pause', async (req, res) => {
    res.json(await deps.service.pause(parseInput(IdParams, req.params, 'params').id, req.body));
  });
  router.post('/webhooks/:id/resume', async (req, res) => {
    res.json(await deps.service.resume(parseInput(IdParams, req.params, 'params').id));
  });
  router.get('/webhooks/:id/deliveries', async (req, res) => {
    const { id } = parseInput(IdParams, req.params, 'params');
    deps.service.get(id);
    const query = parseInput(DeliveriesQuery, req.query, 'query');
    const { items, total } = await deps.repo.listDeliveries(id, query);
    res.json(
      buildPage(items.map(deliveryView), total, {
        path: publicPath(req, `/webhooks/${encodeURIComponent(id)}/deliveries`),
        page: query.page,
        limit: query.limit,
        query: { status: query.status },
      }),
    );
  });
  router.post('/webhooks/:id/deliveries/:deliveryId/redeliver', async (req, res) => {
    const { id, deliveryId } = parseInput(DeliveryParams, req.params, 'params');
    res.status(202).json(await deps.service.redeliver(id, deliveryId));
  });
  return router;
}
