// Inbound signal hooks: where outside alerts (TradingView, any sender of a JSON signal) enter the
// platform. Managed under /inbound-hooks with the provider's token; alerts are posted to
// /hooks/:hookId, authenticated by the hook's own secret (senders such as TradingView cannot set
// headers, so it may travel in the body or the path; a sender that can sign uses the HMAC header).
import { z } from 'zod';
import { ConnectorTypeSchema, MarketTypeSchema, SymbolName, TradeSideSchema, UnixMs } from '../common';
import { paginated } from '../http';
import { defineRoute, defineRoutes } from '../openapi';

const tags = ['Inbound hooks'];

export const HookNameSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,39}$/,
    'a hook name is 1-40 lowercase letters, digits and dashes, starting with a letter or digit',
  );
export const HookIdSchema = z.string().regex(/^hk_[A-Za-z0-9_-]{8,64}$/, 'a hook id (hk_...)');
export const HookModeSchema = z
  .enum(['live', 'dry-run'])
  .meta({ description: '`live` publishes the signal; `dry-run` checks and logs the alert and publishes nothing' });

/** Where an outside ticker trades here: `BINANCE:BTCUSDT.P` → binance / futures / BTCUSDT. */
export const HookSymbolTargetSchema = z
  .object({ connectorType: ConnectorTypeSchema, marketType: MarketTypeSchema, symbol: SymbolName })
  .strict();
const SymbolMapSchema = z
  .record(
    z
      .string()
      .min(1)
      .max(80)
      .regex(/^[A-Za-z0-9._:!/-]+$/, 'a ticker as the sender writes it, e.g. BINANCE:BTCUSDT.P'),
    HookSymbolTargetSchema,
  )
  .refine((m) => Object.keys(m).length <= 500, 'at most 500 symbol mappings');

const HookSettings = {
  symbolMap: SymbolMapSchema,
  /** Where a plain ticker (BTCUSDT, no exchange prefix, not in the map) trades. */
  connectorType: ConnectorTypeSchema,
  marketType: MarketTypeSchema,
  mode: HookModeSchema,
  enabled: z.boolean(),
  ratePerMinute: z.number().int().min(1).max(600),
  /** The same alert again within this window is the same signal (answered as a duplicate). */
  dedupWindowSeconds: z.number().int().min(1).max(86_400),
  /** An alert whose own time (or signature time) is further than this from the provider's clock is refused. */
  replayWindowSeconds: z.number().int().min(5).max(86_400),
};
const Secret = z
  .string()
  .min(16, 'a secret has at least 16 characters')
  .max(200)
  .regex(/^[A-Za-z0-9._~-]+$/, 'a secret travels in URLs: letters, digits and . _ ~ -');

export const CreateInboundHookSchema = z
  .object({
    name: HookNameSchema,
    /** Generated (and returned once) when not given. */
    secret: Secret.optional(),
    symbolMap: HookSettings.symbolMap.default({}),
    connectorType: HookSettings.connectorType.default('sim'),
    marketType: HookSettings.marketType.default('futures'),
    mode: HookSettings.mode.default('live'),
    enabled: HookSettings.enabled.default(true),
    ratePerMinute: HookSettings.ratePerMinute.default(30),
    dedupWindowSeconds: HookSettings.dedupWindowSeconds.default(300),
    replayWindowSeconds: HookSettings.replayWindowSeconds.default(300),
  })
  .strict()
  .meta({ id: 'InboundHookCreate' });
export const UpdateInboundHookSchema = z
  .object({ secret: Secret, ...HookSettings })
  .partial()
  .strict()
  .meta({ id: 'InboundHookUpdate' });

export const InboundHookSchema = z
  .object({
    id: HookIdSchema,
    name: HookNameSchema,
    /** The virtual detector its signals come from (`hook-<name>`). */
    detectorKey: z.string(),
    secretHint: z.string(),
    ...HookSettings,
    /** Path to post alerts to, under the provider's origin; with the secret in the path for senders that cannot put it in the body. */
    url: z.string(),
    createdAt: UnixMs,
    updatedAt: UnixMs,
  })
  .meta({ id: 'InboundHook' });
export type InboundHook = z.output<typeof InboundHookSchema>;
export const InboundHookCreatedSchema = InboundHookSchema.extend({
  secret: z.string(),
  urlWithSecret: z.string(),
}).meta({ id: 'InboundHookCreated' });

export const HookAlertStatusSchema = z.enum(['accepted', 'duplicate', 'rejected', 'dry-run']);
export const HookAlertSchema = z
  .object({
    id: z.string(),
    status: HookAlertStatusSchema,
    /** Why it was refused (UNMAPPED_SYMBOL, BAD_SECRET, STALE_ALERT, ...), or what became of an accepted alert downstream. */
    code: z.string().nullable(),
    reason: z.string().nullable(),
    signalId: z.string().nullable(),
    correlationId: z.string().nullable(),
    /** The alert as received (cut at 4 kB; a secret in it is masked). */
    body: z.string(),
    receivedAt: UnixMs,
  })
  .meta({ id: 'HookAlert' });
export type HookAlert = z.output<typeof HookAlertSchema>;

export const HookAlertReceiptSchema = z
  .object({
    status: z.enum(['accepted', 'duplicate', 'dry-run']),
    signalId: z.string(),
    correlationId: z.string(),
    symbol: SymbolName,
    direction: TradeSideSchema,
    connectorType: ConnectorTypeSchema,
    marketType: MarketTypeSchema,
  })
  .meta({ id: 'HookAlertReceipt' });

const HookParams = z.object({ hookId: z.string().min(1).max(80) });
const AlertsQuery = z.object({
  status: HookAlertStatusSchema.optional(),
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
const alertBody = {
  description:
    'A TradingView alert: its JSON message (`{"secret","ticker","exchange","action","price","time","id"}`, with TradingView placeholders such as `{{ticker}}`, `{{strategy.order.action}}`, `{{close}}`, `{{timenow}}`), the plain-text form (`key=value` pairs, or `buy BINANCE:BTCUSDT.P @ 65000`), or a generic JSON signal (`{"symbol","direction","price","stop","target","confidence","timestamp","id"}`).',
};

export const hookRoutes = defineRoutes({
  listInboundHooks: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/inbound-hooks',
    summary: 'Inbound signal hooks',
    tags,
    responses: { 200: z.object({ items: z.array(InboundHookSchema) }) },
  }),
  createInboundHook: defineRoute({
    method: 'post',
    scope: 'configure',
    path: '/inbound-hooks',
    summary: 'Create an inbound signal hook (its secret is shown once)',
    tags,
    request: { body: CreateInboundHookSchema },
    responses: { 201: InboundHookCreatedSchema },
  }),
  getInboundHook: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/inbound-hooks/:hookId',
    summary: 'One inbound signal hook',
    tags,
    request: { params: HookParams },
    responses: { 200: InboundHookSchema },
  }),
  updateInboundHook: defineRoute({
    method: 'patch',
    scope: 'configure',
    path: '/inbound-hooks/:hookId',
    summary: 'Change an inbound signal hook',
    tags,
    request: { params: HookParams, body: UpdateInboundHookSchema },
    responses: { 200: InboundHookSchema },
  }),
  deleteInboundHook: defineRoute({
    method: 'delete',
    scope: 'configure',
    path: '/inbound-hooks/:hookId',
    summary: 'Delete an inbound signal hook and its alert log',
    tags,
    request: { params: HookParams },
    responses: { 204: null },
  }),
  inboundHookAlerts: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/inbound-hooks/:hookId/alerts',
    summary: 'Alerts a hook received, newest first: accepted, duplicates and rejections with the reason',
    tags,
    request: { params: HookParams, query: AlertsQuery },
    responses: { 200: paginated(HookAlertSchema) },
  }),
  receiveHookAlert: defineRoute({
    method: 'post',
    scope: 'trade',
    auth: false,
    path: '/hooks/:hookId',
    summary: 'Post an alert (secret in the body, or the X-Barfinex-Signature HMAC header)',
    description: `${alertBody.description} Authenticated by the hook's secret, not the provider token. 200 with the signal it became (or the earlier one, for a duplicate); 400 naming the problem, 401 for a wrong or missing secret, 404 unknown hook, 429 over the hook's rate; every refusal is kept in the hook's alert log.`,
    tags,
    passThrough: true,
    request: { params: HookParams },
    responses: { 200: HookAlertReceiptSchema },
  }),
  receiveHookAlertWithSecret: defineRoute({
    method: 'post',
    scope: 'trade',
    auth: false,
    path: '/hooks/:hookId/:secret',
    summary: 'Post an alert with the secret in the path (for senders such as TradingView that cannot sign)',
    description: alertBody.description,
    tags,
    passThrough: true,
    request: { params: HookParams.extend({ secret: z.string().min(1).max(200) }) },
    responses: { 200: HookAlertReceiptSchema },
  }),
});
