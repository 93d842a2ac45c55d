import { Router } from 'express';
import { z } from 'zod';
import { OrderRiskCheckSchema } from '@barfinex/contracts';
import { notFound, parseInput } from '@barfinex/service-kit';
import { RiskPoliciesInputSchema } from '../policies/types';
import { PositionStatusSchema } from '../positions/position-record';
import type { PositionManager } from '../positions/position-manager';
import { buildDashboard } from '../risk/dashboard';
import type { KillSwitch } from '../risk/kill-switch';
import type { OrderCheck } from '../risk/order-check';
import type { RiskGate } from '../risk/risk-gate';
import type { RiskState } from '../risk/risk-state';
import type { InspectorRepository } from '../store/inspector.repository';
import type { AccountView } from '../orders/account';

const page = {
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(500).default(50),
};
const PositionsQuery = z.object({ ...page, status: PositionStatusSchema.optional() });
const AuditQuery = z.object({
  ...page,
  action: z.enum(['ALLOW', 'BLOCK', 'THROTTLE', 'STAND_DOWN', 'CLOSE_ALL']).optional(),
  symbol: z.string().min(1).max(50).optional(),
});
const unwrapPolicies = (b: unknown) =>
  typeof b === 'object' && b !== null && 'policies' in b ? (b as { policies: unknown }).policies : b;
/**
 * A PUT names only what changes (bare or `{ policies }`); the merged whole is validated again. A
 * null clears a field: an optional cap (maxPositionNotional) is lifted, anything else gets its default.
 */
const PoliciesPatch = z.preprocess(unwrapPolicies, z.record(z.string(), z.unknown()));
const mergePolicies = (current: Record<string, unknown>, patch: Record<string, unknown>) =>
  Object.fromEntries(Object.entries({ ...current, ...patch }).filter(([, v]) => v !== null));
const TripBody = z
  .object({ reason: z.string().min(1).max(500).default('manual kill switch'), actor: z.string().max(200).optional() })
  .default({ reason: 'manual kill switch' });
const ResetBody = z.object({ actor: z.string().max(200).optional() }).default({});

export interface InspectorRoutesDeps {
  repo: InspectorRepository;
  state: RiskState;
  gate: RiskGate;
  killSwitch: KillSwitch;
  orderCheck: OrderCheck;
  manager: PositionManager;
  account: () => Promise<AccountView>;
}

/** The inspector's own API; mounted at `/` and `/inspector` (the provider proxies `/api/inspectors/:appKey/*`). */
export function inspectorRouter(deps: InspectorRoutesDeps): Router {
  const router = Router();
  const paged = <T>(q: { page: number; limit: number }, r: { items: T[]; total: number }) => ({
    items: r.items,
    total: r.total,
    page: q.page,
    limit: q.limit,
    pages: Math.ceil(r.total / q.limit),
  });

  router.get('/risk/dashboard', async (_req, res) => {
    res.json(await buildDashboard(deps));
  });
  router.get('/positions', async (req, res) => {
    const q = parseInput(PositionsQuery, req.query, 'query');
    res.json(paged(q, await deps.repo.listPositions(q)));
  });
  router.get('/positions/:id', async (req, res) => {
    const p = await deps.repo.getPosition(String(req.params['id']));
    if (!p) throw notFound(`position ${String(req.params['id'])}`);
    res.json(p);
  });
  router.get('/audit', async (req, res) => {
    const q = parseInput(AuditQuery, req.query, 'query');
    res.json(paged(q, await deps.repo.listAudit(q)));
  });
  router.get('/policies', (_req, res) => {
    res.json({ policies: deps.state.policies(), version: deps.state.state().policiesVersion });
  });
  router.put('/policies', async (req, res) => {
    const patch = parseInput(PoliciesPatch, req.body, 'body');
    const policies = parseInput(RiskPoliciesInputSchema, mergePolicies(deps.state.policies(), patch), 'body');
    const saved = await deps.state.setPolicies(policies);
    res.json({ policies: saved.policies, version: saved.policiesVersion });
  });
  router.get('/kill-switch', (_req, res) => {
    res.json(deps.state.killSwitch());
  });
  router.post('/kill-switch', async (req, res) => {
    const body = parseInput(TripBody, req.body ?? undefined, 'body');
    const { closed } = await deps.killSwitch.trip(body.reason, body.actor ?? 'rest');
    res.json({ ...deps.state.killSwitch(), closing: closed });
  });
  // Only an active switch can be reset (409 otherwise): a reset also re-bases peak equity and the loss streak.
  router.post('/kill-switch/reset', async (req, res) => {
    const body = parseInput(ResetBody, req.body ?? undefined, 'body');
    await deps.gate.resetKillSwitch(body.actor ?? 'rest');
    res.json(deps.state.killSwitch());
  });
  // An order placed around the inspector (an agent's): GET judges it (a dry run, nothing kept),
  // POST is the gate before it is placed (the decision recorded, a refusal announced).
  router.get('/risk/check', async (req, res) => {
    res.json(await deps.orderCheck.check(parseInput(OrderRiskCheckSchema, req.query, 'query')));
  });
  router.post('/risk/check', async (req, res) => {
    const order = parseInput(OrderRiskCheckSchema, req.body, 'body');
    const correlationId = res.getHeader('x-correlation-id');
    res.json(await deps.orderCheck.gate(order, typeof correlationId === 'string' ? { correlationId } : {}));
  });
  router.post('/reconcile', async (_req, res) => {
    res.json({ checked: await deps.manager.reconcile() });
  });
  return router;
}
