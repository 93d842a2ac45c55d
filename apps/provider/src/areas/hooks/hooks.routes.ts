import express, { Router } from 'express';
import { buildPage, hookRoutes as r } from '@barfinex/contracts';
import { SIGNATURE_HEADER } from '@barfinex/service-kit';
import type { TypedRouter } from '../../http/typed-router';
import { reply } from '../../http/typed-router';
import type { HooksService } from './hooks.service';

/** Management of the hooks, behind the provider token like every area. */
export function registerHookRoutes(t: TypedRouter, deps: { hooks: HooksService }): void {
  const { hooks } = deps;
  t.add(r.listInboundHooks, async () => ({ items: await hooks.list() }));
  t.add(r.createInboundHook, async ({ body }) => reply(201, await hooks.create(body)));
  t.add(r.getInboundHook, ({ params }) => hooks.get(params.hookId));
  t.add(r.updateInboundHook, ({ params, body }) => hooks.update(params.hookId, body));
  t.add(r.deleteInboundHook, async ({ params, res }) => {
    await hooks.remove(params.hookId);
    res.status(204).end();
  });
  t.add(r.inboundHookAlerts, async ({ params, query }) => {
    const { items, total } = await hooks.alerts(params.hookId, query);
    return buildPage(items, total, {
      path: `/api/inbound-hooks/${encodeURIComponent(params.hookId)}/alerts`,
      page: query.page,
      limit: query.limit,
      query: { status: query.status },
    });
  });
  // The alert routes are served by `hookAlertRouter`, outside the token guard; listed here for the document.
  t.definitions.push(r.receiveHookAlert, r.receiveHookAlertWithSecret);
}

/**
 * `POST /hooks/:hookId[/:secret]`: mounted under `/api` before the token guard (a hook's secret is
 * its credential) and before the JSON parser (a signature covers the raw bytes, and TradingView
 * sends text/plain for messages that are not JSON).
 */
export function hookAlertRouter(deps: { hooks: HooksService }): Router {
  const router = Router();
  const raw = express.text({ type: () => true, limit: '16kb', defaultCharset: 'utf-8' });
  const receive = (req: express.Request, res: express.Response, secret: string | undefined) => {
    const signature = req.headers[SIGNATURE_HEADER];
    return deps.hooks
      .receive({
        hookId: String(req.params['hookId']),
        body: typeof req.body === 'string' ? req.body : '',
        pathSecret: secret,
        signature: typeof signature === 'string' ? signature : undefined,
      })
      .then((receipt) => void res.json(receipt));
  };
  router.post('/hooks/:hookId', raw, (req, res) => receive(req, res, undefined));
  router.post('/hooks/:hookId/:secret', raw, (req, res) => receive(req, res, String(req.params['secret'])));
  return router;
}
