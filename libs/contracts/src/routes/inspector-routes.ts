// The inspector's own API as the provider's proxy exposes it (/api/inspectors/:appKey/...): the
// routes whose scope is not the proxy's default (GET read, anything else configure), and the
// pre-trade check of a single order that agents' orders go through.
import { z } from 'zod';
import { ConnectorTypeSchema, MarketTypeSchema, OrderSideSchema, SymbolName } from '../common';
import { PositiveDecimalString } from '../decimal';
import { defineRoute, defineRoutes } from '../openapi';
import { OrderTypeSchema } from '../order';
import { KillSwitchSchema, RiskActionSchema } from '../risk';
import type { ApiScope } from '../scopes';

const tags = ['Inspector'];
const AppKey = z.object({ appKey: z.string().min(1).max(100) });
const KillSwitchState = KillSwitchSchema.partial({ reason: true });

/** One policy's verdict on an entry, with the numbers that decided it, in the policy's own unit. */
export const RiskCheckSchema = z
  .object({
    policy: z.string(),
    passed: z.boolean(),
    action: RiskActionSchema,
    current: z.string(),
    limit: z.string(),
    reason: z.string(),
  })
  .meta({ id: 'RiskCheck' });
export type RiskCheck = z.output<typeof RiskCheckSchema>;

/** An order as the inspector judges it: what it buys or sells, where, and at what price (the last one when absent). */
export const OrderRiskCheckSchema = z
  .object({
    symbol: SymbolName,
    side: OrderSideSchema,
    type: OrderTypeSchema.optional(),
    quantity: PositiveDecimalString,
    price: PositiveDecimalString.optional(),
    stopPrice: PositiveDecimalString.optional(),
    connectorType: ConnectorTypeSchema,
    marketType: MarketTypeSchema,
    /** The order's client id: the decision is recorded under it, so a refusal names the order it stopped. */
    clientOrderId: z.string().min(1).max(64).optional(),
    /** Who asks (an agent's token name): kept with the recorded decision. */
    actor: z.string().min(1).max(200).optional(),
  })
  .meta({ id: 'OrderRiskCheck' });
export type OrderRiskCheck = z.output<typeof OrderRiskCheckSchema>;

export const OrderRiskVerdictSchema = z
  .object({
    /** Whether every policy lets the order through (action ALLOW). */
    allowed: z.boolean(),
    action: RiskActionSchema,
    /** The deciding policy of a refusal. */
    policy: z.string().optional(),
    reason: z.string(),
    checks: z.array(RiskCheckSchema),
    /** The account figures and the order's size the policies measured, decimal strings. */
    numbers: z.record(z.string(), z.string()),
    /** The decision was recorded in the inspector's audit (and a refusal announced as INSPECTOR_RISK_LIMIT_BREACH). */
    recorded: z.boolean(),
  })
  .meta({ id: 'OrderRiskVerdict' });
export type OrderRiskVerdict = z.output<typeof OrderRiskVerdictSchema>;

export const inspectorRoutes = defineRoutes({
  killSwitch: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/inspectors/:appKey/kill-switch',
    summary: 'Kill switch state',
    tags,
    request: { params: AppKey },
    responses: { 200: KillSwitchState },
  }),
  tripKillSwitch: defineRoute({
    method: 'post',
    scope: 'killswitch',
    path: '/inspectors/:appKey/kill-switch',
    summary: 'Trip the kill switch: no new entries until it is reset',
    tags,
    request: {
      params: AppKey,
      body: z.object({ reason: z.string().min(1).max(500), actor: z.string().max(200).optional() }),
    },
    responses: { 200: KillSwitchState.extend({ closing: z.number().int().optional() }) },
  }),
  resetKillSwitch: defineRoute({
    method: 'post',
    scope: 'killswitch',
    path: '/inspectors/:appKey/kill-switch/reset',
    summary: 'Reset an active kill switch (409 when it is not active)',
    tags,
    request: { params: AppKey, body: z.object({ actor: z.string().max(200).optional() }) },
    responses: { 200: KillSwitchState, 409: null },
  }),
  checkOrder: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/inspectors/:appKey/risk/check',
    summary: "An order judged by the inspector's kill switch and risk policies, as a dry run: nothing is recorded",
    tags,
    request: { params: AppKey, query: OrderRiskCheckSchema },
    responses: { 200: OrderRiskVerdictSchema },
  }),
  gateOrder: defineRoute({
    method: 'post',
    scope: 'trade',
    path: '/inspectors/:appKey/risk/check',
    summary:
      'An order about to be placed, judged by the kill switch and risk policies; the decision is recorded and a refusal announced',
    tags,
    request: { params: AppKey, body: OrderRiskCheckSchema },
    responses: { 200: OrderRiskVerdictSchema },
  }),
});

const PREFIX = '/inspectors/:appKey/';

/**
 * The scope the inspector's route at `splat` (what follows `/api/inspectors/:appKey/`, with or
 * without the inspector's own `inspector/` mount) declares for `method`; undefined when none of
 * these routes is meant. Matched case-insensitively, as the inspector's router matches paths.
 */
export function inspectorRouteScope(method: string, splat: string): ApiScope | undefined {
  const verb = method.toLowerCase() === 'head' ? 'get' : method.toLowerCase();
  const path = `${PREFIX}${splat
    .toLowerCase()
    .replace(/^\/*(inspector\/+)?/, '')
    .replace(/\/+$/, '')}`;
  return Object.values(inspectorRoutes).find((r) => r.method === verb && r.path === path)?.scope;
}
