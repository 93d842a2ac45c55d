import { z } from 'zod';
import { KillSwitchSchema, defineRoute } from '@barfinex/contracts';

/**
 * The inspector's own kill-switch routes, reached through the provider's proxy
 * (`/api/inspectors/:appKey/*`); the bodies and the reply are the contracts' kill-switch shape.
 */
const KillSwitchState = KillSwitchSchema.partial({ reason: true });
const appKey = z.object({ appKey: z.string().min(1) });

export const inspectorRoutes = {
  killSwitch: defineRoute({ method: 'get', scope: 'read', path: '/inspectors/:appKey/kill-switch', summary: 'Kill switch state', request: { params: appKey }, responses: { 200: KillSwitchState } }),
  trip: defineRoute({
    method: 'post',
    scope: 'trade',
    path: '/inspectors/:appKey/kill-switch',
    summary: 'Trip the kill switch',
    request: { params: appKey, body: z.object({ reason: z.string().min(1), actor: z.string().optional() }) },
    responses: { 200: KillSwitchState },
  }),
  reset: defineRoute({
    method: 'post',
    scope: 'trade',
    path: '/inspectors/:appKey/kill-switch/reset',
    summary: 'Reset the kill switch',
    request: { params: appKey, body: z.object({ actor: z.string().optional() }) },
    responses: { 200: KillSwitchState },
  }),
};
