import { z } from 'zod';
import { KillSwitchSchema, RiskPoliciesInputSchema, RiskPoliciesSchema, defineRoute } from '@barfinex/contracts';

/**
 * The inspector's own kill-switch routes, reached through the provider's proxy
 * (`/api/inspectors/:appKey/*`); the bodies and the reply are the contracts' kill-switch shape.
 */
const KillSwitchState = KillSwitchSchema.partial({ reason: true });
const appKey = z.object({ appKey: z.string().min(1) });

export const inspectorRoutes = {
  killSwitch: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/inspectors/:appKey/kill-switch',
    summary: 'Kill switch state',
    request: { params: appKey },
    responses: { 200: KillSwitchState },
  }),
  // The provider's proxy asks `killswitch` for these (`trade` implies it): see proxyScope in the contracts.
  trip: defineRoute({
    method: 'post',
    scope: 'killswitch',
    path: '/inspectors/:appKey/kill-switch',
    summary: 'Trip the kill switch',
    request: { params: appKey, body: z.object({ reason: z.string().min(1), actor: z.string().optional() }) },
    responses: { 200: KillSwitchState },
  }),
  reset: defineRoute({
    method: 'post',
    scope: 'killswitch',
    path: '/inspectors/:appKey/kill-switch/reset',
    summary: 'Reset the kill switch',
    request: { params: appKey, body: z.object({ actor: z.string().optional() }) },
    responses: { 200: KillSwitchState },
  }),
};

/**
 * The detector and advisor apps' own routes Studio uses, through the proxy. These APIs have no
 * schema in the contracts: the replies are checked for the fields Studio shows, the rest kept.
 */
const DetectorItem = z.looseObject({
  name: z.string(),
  version: z.string().optional(),
  description: z.string().nullable().optional(),
  status: z.string(),
  enabled: z.boolean(),
  blocked: z.unknown().optional(),
  params: z.record(z.string(), z.unknown()),
  paramsSchema: z.record(z.string(), z.unknown()).optional(),
  timeframes: z.array(z.string()).optional(),
  stats: z.record(z.string(), z.number()).optional(),
});
export type DetectorItem = z.output<typeof DetectorItem>;
const detectorParams = z.object({ appKey: z.string().min(1), name: z.string().min(1) });

export const detectorAppRoutes = {
  list: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/detectors/:appKey/detectors',
    summary: 'Detectors of a detector app',
    request: { params: appKey },
    responses: { 200: z.looseObject({ items: z.array(DetectorItem) }) },
  }),
  setParams: defineRoute({
    method: 'put',
    scope: 'configure',
    path: '/detectors/:appKey/detectors/:name/params',
    summary: 'Replace a detector’s params',
    request: { params: detectorParams, body: z.record(z.string(), z.unknown()) },
    responses: { 200: DetectorItem },
  }),
  setEnabled: defineRoute({
    method: 'put',
    scope: 'configure',
    path: '/detectors/:appKey/detectors/:name/enabled',
    summary: 'Enable or disable a detector',
    request: { params: detectorParams, body: z.object({ enabled: z.boolean() }) },
    responses: { 200: DetectorItem },
  }),
};

export const advisorAppRoutes = {
  pipelineConfig: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/advisors/:appKey/pipeline/config',
    summary: 'The advisor’s pipeline config',
    request: { params: appKey },
    responses: { 200: z.record(z.string(), z.unknown()) },
  }),
};

export const inspectorPolicyRoutes = {
  policies: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/inspectors/:appKey/policies',
    summary: 'Risk policies',
    request: { params: appKey },
    responses: { 200: z.object({ policies: RiskPoliciesSchema, version: z.number() }) },
  }),
  setPolicies: defineRoute({
    method: 'put',
    scope: 'configure',
    path: '/inspectors/:appKey/policies',
    summary: 'Change risk policies',
    request: { params: appKey, body: RiskPoliciesInputSchema },
    responses: { 200: z.object({ policies: RiskPoliciesSchema, version: z.number() }) },
  }),
  audit: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/inspectors/:appKey/audit',
    summary: 'The inspector’s audit log',
    request: { params: appKey, query: z.object({ limit: z.number().int().optional() }) },
    responses: { 200: z.looseObject({ items: z.array(z.record(z.string(), z.unknown())) }) },
  }),
};
