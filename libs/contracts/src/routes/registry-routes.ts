import { z } from 'zod';
import { DETECTOR_STATUS_VALUES } from '@barfinex/enums';
import { ConnectorTypeSchema, MarketTypeSchema, SymbolName, TimeFrameSchema, UnixMs, enumOf } from '../common';
import {
  DecimalString,
  NonNegativeDecimalString,
  PositiveDecimalString,
  compareDecimalStrings,
  normalizeDecimal,
} from '../decimal';
import { defineRoute, defineRoutes, withOpenApiSchema } from '../openapi';
import { AppTypeSchema } from '../platform';
import type { ApiScope } from '../scopes';
import { RiskPoliciesInputSchema } from '../risk';
import { inspectorRouteScope } from './inspector-routes';
import { MarketTypeParam, TimeFrameParam } from './params';

const tags = (t: string) => [t];
const Meta = z.record(z.string(), z.unknown());

/** Keys travel in URL paths (`/api/detectors/:appKey/...`), so they are URL-safe by construction. */
export const AppKeySchema = z
  .string()
  .min(1)
  .max(100)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
    'key may only contain letters, digits and . _ - and must start with a letter or digit',
  );

/**
 * An app's HTTP root. Normalised to `protocol//host[:port][/path]` without trailing slashes; the
 * proxy only ever contacts this origin, so credentials, query and fragment are refused.
 */
export const BaseUrlSchema = z.string().transform((raw, ctx) => {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    ctx.addIssue({ code: 'custom', message: `baseUrl must be an absolute http(s) URL, got ${JSON.stringify(raw)}` });
    return z.NEVER;
  }
  const problem =
    url.protocol !== 'http:' && url.protocol !== 'https:'
      ? 'baseUrl must use http or https'
      : url.username || url.password
        ? 'baseUrl must not carry credentials (send meta.apiToken instead)'
        : url.search || url.hash
          ? 'baseUrl must not have a query or fragment'
          : undefined;
  if (problem) {
    ctx.addIssue({ code: 'custom', message: problem });
    return z.NEVER;
  }
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
});

const META_MAX_DEPTH = 16;
const META_MAX_BYTES = 64 * 1024;
/** Nesting below `value`, counted only up to `limit` (so a hostile document costs at most that much). */
function nestingOver(value: unknown, limit: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (limit === 0) return true;
  for (const child of Object.values(value)) if (nestingOver(child, limit - 1)) return true;
  return false;
}
const meta = Meta.superRefine((m, ctx) => {
  // Stored with the app and merged on every heartbeat: bounded, so a hostile document is a 400, not a storage failure.
  if (nestingOver(m, META_MAX_DEPTH))
    ctx.addIssue({ code: 'custom', message: `meta nests deeper than ${META_MAX_DEPTH} levels` });
  else if (JSON.stringify(m).length > META_MAX_BYTES)
    ctx.addIssue({ code: 'custom', message: `meta is larger than ${META_MAX_BYTES} bytes as JSON` });
})
  .optional()
  .meta({
    description:
      'Free-form app metadata, shallow-merged over the stored meta. `meta.apiToken` (never echoed back) is sent upstream by the proxy as `Authorization: Bearer`.',
  });

export const AppRegisterRequestSchema = z
  .object({
    appType: AppTypeSchema,
    appKey: AppKeySchema,
    baseUrl: BaseUrlSchema,
    name: z.string().max(200).optional(),
    displayName: z.string().max(200).optional(),
    version: z.string().max(100).optional(),
    ip: z.string().max(100).optional(),
    meta,
  })
  .meta({ id: 'AppRegisterRequest' });
export type AppRegisterRequest = z.output<typeof AppRegisterRequestSchema>;

/** A heartbeat from an unknown app registers it, so `baseUrl` is needed only then. */
export const AppHeartbeatRequestSchema = AppRegisterRequestSchema.extend({ baseUrl: BaseUrlSchema.optional() }).meta({
  id: 'AppHeartbeatRequest',
});
export type AppHeartbeatRequest = z.output<typeof AppHeartbeatRequestSchema>;

export const AppUnregisterRequestSchema = z
  .object({ appType: AppTypeSchema, appKey: AppKeySchema, reason: z.string().max(500).optional() })
  .meta({ id: 'AppUnregisterRequest' });
export type AppUnregisterRequest = z.output<typeof AppUnregisterRequestSchema>;

export const AppRegistrationSchema = z
  .object({
    appType: AppTypeSchema,
    appKey: z.string(),
    baseUrl: z.string(),
    name: z.string().optional(),
    version: z.string().optional(),
    ip: z.string().optional(),
    meta: Meta,
    status: z.enum(['registered', 'unregistered']),
    registeredAt: UnixMs,
    lastHeartbeatAt: UnixMs,
    updatedAt: UnixMs,
    unregisteredAt: UnixMs.nullable(),
    unregisterReason: z.string().optional(),
    isActive: z.boolean().meta({ description: 'Registered and last heartbeat within PROVIDER_APP_ACTIVE_TTL_MS' }),
    staleMs: z.number().int().nonnegative().meta({ description: 'Milliseconds since the last heartbeat' }),
  })
  .meta({ id: 'AppRegistration' });
export type AppRegistration = z.output<typeof AppRegistrationSchema>;

export const AppRegistryListQuerySchema = z.object({
  appType: AppTypeSchema.optional(),
  includeInactive: z
    .enum(['true', 'false', '1', '0'])
    .transform((v) => v === 'true' || v === '1')
    .default(false),
});

export const ProxyTargetSchema = z
  .object({
    key: z.string(),
    type: AppTypeSchema,
    baseUrl: z.string(),
    enabled: z.boolean(),
    isActive: z.boolean(),
    staleMs: z.number().int().nonnegative(),
    source: z.literal('db'),
  })
  .meta({ id: 'ProxyTarget' });
export const ProxyTargetsSchema = z
  .object({
    advisors: z.array(ProxyTargetSchema),
    inspectors: z.array(ProxyTargetSchema),
    detectors: z.array(ProxyTargetSchema),
  })
  .meta({ id: 'ProxyTargets' });
export type ProxyTarget = z.output<typeof ProxyTargetSchema>;
export type ProxyTargets = z.output<typeof ProxyTargetsSchema>;

const ok = <S extends z.ZodType>(data: S) => z.object({ ok: z.literal(true), data });

export const registryRoutes = defineRoutes({
  registerApp: defineRoute({
    method: 'post',
    scope: 'apps',
    path: '/apps/registry/register',
    summary: 'Register an app (advisor, inspector or detector)',
    tags: tags('App registry'),
    request: { body: AppRegisterRequestSchema },
    responses: { 201: ok(AppRegistrationSchema) },
  }),
  heartbeatApp: defineRoute({
    method: 'post',
    scope: 'apps',
    path: '/apps/registry/heartbeat',
    summary: 'Report an app alive (registers it when unknown)',
    tags: tags('App registry'),
    request: { body: AppHeartbeatRequestSchema },
    responses: { 200: ok(AppRegistrationSchema) },
  }),
  unregisterApp: defineRoute({
    method: 'post',
    scope: 'apps',
    path: '/apps/registry/unregister',
    summary: 'Unregister an app (the row is kept; `data` is null when unknown)',
    tags: tags('App registry'),
    request: { body: AppUnregisterRequestSchema },
    responses: { 200: ok(AppRegistrationSchema.nullable()) },
  }),
  listApps: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/apps/registry',
    summary: 'Registered apps (active only unless includeInactive=true)',
    tags: tags('App registry'),
    request: { query: AppRegistryListQuerySchema },
    responses: { 200: ok(z.array(AppRegistrationSchema)).extend({ count: z.number().int() }) },
  }),
  getApp: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/apps/registry/:appType/:appKey',
    summary: 'One registered app, active or not',
    tags: tags('App registry'),
    request: { params: z.object({ appType: AppTypeSchema, appKey: z.string() }) },
    responses: { 200: ok(AppRegistrationSchema) },
  }),
  proxyTargets: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/proxy/targets',
    summary: 'Proxy targets by app type',
    tags: tags('Proxy'),
    responses: { 200: ProxyTargetsSchema },
  }),
});

const PROXY_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const PROXY_PREFIXES = {
  advisors: 'Advisor',
  inspectors: 'Inspector',
  detectors: 'Detector',
  notifiers: 'Notifier',
} as const;

/**
 * The scope a proxied call needs: reads need `read`, writes the target's write scope (`configure`),
 * unless the target's route declares its own: an inspector's kill switch needs `killswitch` (which
 * `trade` implies), its pre-trade order gate `trade`.
 */
export function proxyScope(prefix: string, method: string, splat: string): ApiScope {
  const declared = prefix === 'inspectors' ? inspectorRouteScope(method, splat) : undefined;
  if (declared) return declared;
  return method.toLowerCase() === 'get' || method.toLowerCase() === 'head' ? 'read' : 'configure';
}

/**
 * Documentation of the streaming proxy, which is plain Express (bodies must not be parsed) and so
 * is not registered through the typed router; the document lists it from these definitions.
 */
export const proxyRouteDocs = Object.entries(PROXY_PREFIXES).flatMap(([prefix, app]) =>
  PROXY_METHODS.map((method) =>
    defineRoute({
      method,
      scope: method === 'get' ? 'read' : 'configure',
      path: `/${prefix}/:appKey/*splat`,
      operationId: `proxy${app}${method.charAt(0).toUpperCase()}${method.slice(1)}`,
      summary: `Proxy to a registered ${app} app`,
      description: `Forwards method, remaining path (\`splat\`, which may span several segments), query, body and safe headers to the ${app.toLowerCase()} registered as \`appKey\`; its status, headers and body come back unchanged, in whatever media type it answers. The listed errors are the provider's own: 404 unknown app, 503 inactive, 502 unreachable, 504 timeout, 400 for paths with \`..\`, backslashes, control characters or a second scheme. Scope: \`read\` for GET, \`configure\` for other methods, except what an inspector's route declares: \`killswitch\` (or \`trade\`, which implies it) to trip or reset its kill switch (\`kill-switch\`, \`kill-switch/reset\`), \`trade\` for its order gate (\`POST risk/check\`).`,
      tags: tags('Proxy'),
      passThrough: true,
      request: {
        params: z.object({ appKey: AppKeySchema, splat: z.string().min(1).meta({ example: 'signals/latest' }) }),
      },
      responses: { 200: { description: 'The app’s answer, unchanged' }, 502: null, 503: null, 504: null },
    }),
  ),
);

// ---- detector and inspector configs ----

/** `BTCUSDT` or the reference's `{ name, leverage, quantity }`; always stored as the object. */
export const DetectorSymbolSchema = z.union([
  SymbolName.transform((name) => ({ name: name.toUpperCase() })),
  z.looseObject({
    name: SymbolName.transform((s) => s.toUpperCase()),
    leverage: z.number().int().min(1).max(125).optional(),
    quantity: DecimalString.optional(),
  }),
]);

const Flags = { isActive: z.boolean().default(true), isBlocked: z.boolean().default(false) };

/** Known fields are checked; any other reference field (indicators, plugins, qualityGate…) is kept as sent. */
export const DetectorConfigSchema = z
  .looseObject({
    key: AppKeySchema,
    name: z.string().max(200).optional(),
    sysname: z.string().max(200).optional(),
    symbols: z.array(DetectorSymbolSchema).max(1000).default([]),
    intervals: z.array(TimeFrameParam).max(20).default([]),
    connectorType: ConnectorTypeSchema.optional(),
    marketType: MarketTypeParam.optional(),
    currency: z.string().max(20).optional(),
    ...Flags,
    params: Meta.default({}),
  })
  .meta({ id: 'DetectorConfig' });
export type DetectorConfig = z.output<typeof DetectorConfigSchema>;

const RiskSection = z.record(z.string(), z.unknown());

/**
 * Checked like `schema` but kept as sent (a number or a string): the inspector reads both, and
 * configs stored before these checks keep their shape when a later PUT merges into them.
 */
const asSent = (schema: z.ZodType, description: string) =>
  z
    .union([z.number(), z.string()], { error: 'expected a number or a numeric string' })
    .superRefine((value, ctx) => {
      const result = schema.safeParse(value);
      if (!result.success)
        for (const issue of result.error.issues) ctx.addIssue({ code: 'custom', message: issue.message });
    })
    .meta({ description });

// The bounds the inspector's own policy schema applies to what it reads from these sections.
const PercentUpTo1000 = NonNegativeDecimalString.refine(
  (v) => compareDecimalStrings(v, '1000') <= 0,
  'at most 1000 (%)',
);
const PercentBelow100 = PositiveDecimalString.refine((v) => compareDecimalStrings(v, '100') < 0, 'below 100 (%)');
const digitsToNumber = (v: unknown) => (typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : v);
const WholeCount = (max: number) =>
  z.preprocess(
    digitsToNumber,
    z
      .number({ error: 'expected a whole number' })
      .int('expected a whole number')
      .min(0, 'must not be negative')
      .max(max, `at most ${max}`),
  );
const decimalToNumber = (v: unknown) => (typeof v === 'string' && normalizeDecimal(v) !== undefined ? Number(v) : v);
const CooldownSeconds = z.preprocess(
  decimalToNumber,
  z
    .number({ error: 'expected a number of seconds' })
    .min(0, 'must not be negative')
    .max(604_800, 'at most 604800 (7 days)'),
);

/** Known fields are checked (the inspector reads them as its risk policies); any other field is kept as sent. */
const RiskManagementSection = z
  .looseObject({
    maxDrawdownPercent: asSent(
      PercentUpTo1000,
      'Drawdown from peak equity that trips the kill switch, % (0..1000)',
    ).optional(),
    maxDailyLossPercent: asSent(
      PercentUpTo1000,
      "Loss of the day's starting equity that halts entries, % (0..1000)",
    ).optional(),
    maxTradesPerDay: asSent(WholeCount(100_000), 'Entries per UTC day, a whole number (0 = no cap)').optional(),
    stopLossPercent: asSent(
      PercentBelow100,
      'Default stop-loss distance from the fill, % (above 0, below 100)',
    ).optional(),
    takeProfitPercent: asSent(
      PercentBelow100,
      'Default take-profit distance from the fill, % (above 0, below 100)',
    ).optional(),
  })
  .meta({ description: 'Risk limits; numbers or decimal strings, stored as sent' });
const TradeSettingsSection = z
  .looseObject({
    maxPositionSizePercent: asSent(PercentUpTo1000, 'Position value cap per symbol, % of equity (0..1000)').optional(),
  })
  .meta({ description: 'Trade settings; numbers or decimal strings, stored as sent' });
const StrategyLogicSection = z
  .looseObject({
    maxConsecutiveLosses: asSent(
      WholeCount(1000),
      'Losing trades in a row that start a cooldown, a whole number (0 = off)',
    ).optional(),
    cooldownPeriod: asSent(CooldownSeconds, 'Pause after a losing streak, in seconds (0..604800)').optional(),
  })
  .meta({ description: 'Strategy logic; numbers or numeric strings, stored as sent' });
export const InspectorConfigSchema = z
  .looseObject({
    sysname: AppKeySchema,
    name: z.string().max(200).optional(),
    ...Flags,
    connectors: z
      .array(z.looseObject({ connectorType: ConnectorTypeSchema, marketType: MarketTypeParam.optional() }))
      .optional(),
    general: RiskSection.optional(),
    riskManagement: RiskManagementSection.optional(),
    assetManagement: RiskSection.optional(),
    tradeSettings: TradeSettingsSection.optional(),
    strategyLogic: StrategyLogicSection.optional(),
    params: Meta.default({}),
  })
  .superRefine((config, ctx) => {
    // The inspector applies params.policies over the sections above with its own schema: checked
    // with that schema here (and kept as sent), so a bad value is a 400 now, not a silent fall back
    // to the inspector's defaults at its next start.
    const policies = config.params['policies'];
    if (policies === undefined) return;
    const result = RiskPoliciesInputSchema.safeParse(policies);
    if (!result.success)
      for (const issue of result.error.issues)
        ctx.addIssue({
          code: 'custom',
          path: ['params', 'policies', ...issue.path.map(String)],
          message: issue.message,
        });
  })
  .meta({ id: 'InspectorConfig' });
export type InspectorConfig = z.output<typeof InspectorConfigSchema>;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Reference clients wrap bodies (`{detector}`, `{options}`, `{sysname, options}`); bare objects are accepted too. */
const unwrap = (wrapper: string, keep?: string) => (body: unknown) => {
  if (!isRecord(body) || !isRecord(body[wrapper])) return body;
  const inner = body[wrapper] as Record<string, unknown>;
  return keep && body[keep] !== undefined && inner[keep] === undefined ? { ...inner, [keep]: body[keep] } : inner;
};

const patchOf = (what: string) =>
  z.record(z.string(), z.unknown()).meta({ description: `Fields of the ${what} config to change (shallow merge)` });

export const DetectorCreateBodySchema = withOpenApiSchema(
  z.preprocess(unwrap('detector'), DetectorConfigSchema),
  DetectorConfigSchema,
);
export const DetectorPatchBodySchema = withOpenApiSchema(
  z.preprocess(unwrap('options'), z.record(z.string(), z.unknown())),
  patchOf('detector'),
);
export const InspectorCreateBodySchema = withOpenApiSchema(
  z.preprocess(unwrap('options', 'sysname'), InspectorConfigSchema),
  InspectorConfigSchema,
);
export const InspectorPatchBodySchema = withOpenApiSchema(
  z.preprocess(unwrap('options'), z.record(z.string(), z.unknown())),
  patchOf('inspector'),
);

// Response shapes are the stored (already normalised) form, free of input transforms.
const stored = { createdAt: UnixMs, updatedAt: UnixMs, isActive: z.boolean(), isBlocked: z.boolean(), params: Meta };
export const DetectorStatusSchema = enumOf(DETECTOR_STATUS_VALUES);
export const DetectorItemSchema = z
  .looseObject({
    key: z.string(),
    name: z.string().optional(),
    sysname: z.string().optional(),
    symbols: z.array(
      z.looseObject({ name: z.string(), leverage: z.number().int().optional(), quantity: z.string().optional() }),
    ),
    intervals: z.array(TimeFrameSchema),
    connectorType: ConnectorTypeSchema.optional(),
    marketType: MarketTypeSchema.optional(),
    currency: z.string().optional(),
    ...stored,
    status: DetectorStatusSchema,
  })
  .meta({ id: 'DetectorItem' });
export const InspectorItemSchema = z
  .looseObject({
    sysname: z.string(),
    name: z.string().optional(),
    connectors: z
      .array(z.looseObject({ connectorType: ConnectorTypeSchema, marketType: MarketTypeSchema.optional() }))
      .optional(),
    general: RiskSection.optional(),
    riskManagement: RiskManagementSection.optional(),
    assetManagement: RiskSection.optional(),
    tradeSettings: TradeSettingsSection.optional(),
    strategyLogic: StrategyLogicSection.optional(),
    ...stored,
  })
  .meta({ id: 'InspectorItem' });
export type DetectorItem = z.output<typeof DetectorItemSchema>;
export type InspectorItem = z.output<typeof InspectorItemSchema>;

const DeletedSchema = z.object({ deleted: z.literal(true) });
const keyParams = z.object({ key: AppKeySchema });
const sysParams = z.object({ sysname: AppKeySchema });

export const configRoutes = defineRoutes({
  listDetectors: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/detectors',
    summary: 'Detector configs with status (active, disabled, blocked, offline)',
    tags: tags('Detectors'),
    responses: { 200: z.array(DetectorItemSchema) },
  }),
  createDetector: defineRoute({
    method: 'post',
    scope: 'configure',
    path: '/detectors',
    summary: 'Create a detector config (bare or `{ detector }`)',
    tags: tags('Detectors'),
    request: { body: DetectorCreateBodySchema },
    responses: { 201: DetectorItemSchema, 409: null },
  }),
  getDetector: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/detectors/:key',
    summary: 'One detector config',
    tags: tags('Detectors'),
    request: { params: keyParams },
    responses: { 200: DetectorItemSchema },
  }),
  updateDetector: defineRoute({
    method: 'put',
    scope: 'configure',
    path: '/detectors/:key',
    summary: 'Shallow-merge fields into a detector config (bare or `{ options }`)',
    tags: tags('Detectors'),
    request: { params: keyParams, body: DetectorPatchBodySchema },
    responses: { 200: DetectorItemSchema },
  }),
  deleteDetector: defineRoute({
    method: 'delete',
    scope: 'configure',
    path: '/detectors/:key',
    summary: 'Delete a detector config',
    tags: tags('Detectors'),
    request: { params: keyParams },
    responses: { 200: DeletedSchema },
  }),
  listInspectors: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/inspectors',
    summary: 'Inspector configs',
    tags: tags('Inspectors'),
    responses: { 200: z.array(InspectorItemSchema) },
  }),
  createInspector: defineRoute({
    method: 'post',
    scope: 'configure',
    path: '/inspectors',
    summary: 'Create an inspector config (bare or `{ sysname, options }`)',
    tags: tags('Inspectors'),
    request: { body: InspectorCreateBodySchema },
    responses: { 201: InspectorItemSchema, 409: null },
  }),
  getInspector: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/inspectors/:sysname',
    summary: 'One inspector config',
    tags: tags('Inspectors'),
    request: { params: sysParams },
    responses: { 200: InspectorItemSchema },
  }),
  updateInspector: defineRoute({
    method: 'put',
    scope: 'configure',
    path: '/inspectors/:sysname',
    summary: 'Shallow-merge fields into an inspector config (bare or `{ options }`)',
    tags: tags('Inspectors'),
    request: { params: sysParams, body: InspectorPatchBodySchema },
    responses: { 200: InspectorItemSchema },
  }),
  deleteInspector: defineRoute({
    method: 'delete',
    scope: 'configure',
    path: '/inspectors/:sysname',
    summary: 'Delete an inspector config',
    tags: tags('Inspectors'),
    request: { params: sysParams },
    responses: { 200: DeletedSchema },
  }),
});
