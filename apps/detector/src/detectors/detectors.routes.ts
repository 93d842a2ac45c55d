import { Router } from 'express';
import { z } from 'zod';
import { notFound, parseInput, unavailable } from '@barfinex/service-kit';
import type { DetectorHost } from './host';

const NameParams = z.object({ name: z.string().min(1).max(200) });

export const SignalsQuerySchema = z.object({
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  symbol: z
    .string()
    .min(1)
    .max(50)
    .transform((s) => s.toUpperCase())
    .optional(),
  detector: z.string().min(1).max(200).optional(),
  status: z.enum(['active', 'invalidated']).optional(),
});

/** `{ "fast": 5 }` or the wrapped `{ "params": { "fast": 5 } }`. */
const ParamsBodySchema = z.record(z.string(), z.unknown()).transform((body) => {
  const inner = body['params'];
  return Object.keys(body).length === 1 && typeof inner === 'object' && inner !== null && !Array.isArray(inner)
    ? (inner as Record<string, unknown>)
    : body;
});

const EnabledBodySchema = z.object({ enabled: z.boolean() });

/** The detector app's own API; the provider proxies `/api/detectors/:appKey/*` here. */
export function detectorsRouter(deps: { host: () => DetectorHost | undefined }): Router {
  const router = Router();
  // The host exists once start() has read the plan from the provider.
  router.use((req, _res, next) => {
    if (deps.host()) next();
    else next(unavailable('the detector app is starting', { path: req.path }));
  });
  const hostOf = () => deps.host() as DetectorHost;

  router.get('/detectors', (_req, res) => {
    const host = hostOf();
    res.json({ items: host.list(), warmedUp: host.warmupDone(), plan: { ...host.plan, params: undefined } });
  });

  router.get('/detectors/:name', (req, res) => {
    const { name } = parseInput(NameParams, req.params, 'params');
    res.json(hostOf().get(name));
  });

  router.put('/detectors/:name/params', async (req, res) => {
    const { name } = parseInput(NameParams, req.params, 'params');
    const body = parseInput(ParamsBodySchema, req.body, 'body');
    res.json(await hostOf().updateParams(name, body));
  });

  router.put('/detectors/:name/enabled', (req, res) => {
    const { name } = parseInput(NameParams, req.params, 'params');
    const { enabled } = parseInput(EnabledBodySchema, req.body, 'body');
    res.json(hostOf().setEnabled(name, enabled));
  });

  router.get('/signals', (req, res) => {
    res.json(hostOf().book.list(parseInput(SignalsQuerySchema, req.query, 'query')));
  });

  router.get('/signals/:signalId', (req, res) => {
    const id = String(req.params['signalId']);
    const record = hostOf().book.get(id);
    if (!record) throw notFound(`signal "${id}"`);
    res.json(record);
  });

  return router;
}
