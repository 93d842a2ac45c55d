// The notifier's own API as the provider's proxy exposes it (/api/notifiers/:appKey/...), for
// clients such as Studio: webhook subscriptions, their delivery log, redelivery.
import { z } from 'zod';
import { UnixMs } from '../common';
import { paginated } from '../http';
import { defineRoute, defineRoutes } from '../openapi';

const tags = ['Notifier'];
const AppKey = z.object({ appKey: z.string().min(1).max(100) });
const WebhookParams = AppKey.extend({ id: z.string().min(1).max(100) });

export const WebhookSubscriptionSchema = z
  .looseObject({
    id: z.string(),
    url: z.string(),
    events: z.array(z.string()),
    symbols: z.array(z.string()),
    enabled: z.boolean(),
    paused: z.boolean(),
    pausedReason: z.string().nullable(),
    consecutiveFailures: z.number().int(),
    secretHint: z.string(),
    createdAt: UnixMs,
  })
  .meta({ id: 'WebhookSubscription' });
export const WebhookDeliverySchema = z
  .looseObject({
    id: z.string(),
    eventId: z.string(),
    eventName: z.string(),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    responseCode: z.number().int().nullable(),
    latencyMs: z.number().int().nullable(),
    lastError: z.string().nullable(),
    nextRetryAt: UnixMs.nullable(),
    createdAt: UnixMs,
    deliveredAt: UnixMs.nullable(),
  })
  .meta({ id: 'WebhookDelivery' });

export const TelegramChatSchema = z
  .looseObject({
    chatId: z.string(),
    title: z.string().nullable(),
    language: z.enum(['en', 'ru']),
    events: z.array(z.string()),
    symbols: z.array(z.string()),
    quietHours: z.object({ from: z.number().int(), to: z.number().int() }).nullable(),
    digestMinutes: z.number().int().nullable(),
    /** IANA name; quiet hours and digest windows follow its wall clock. */
    timeZone: z.string(),
    authorised: z.boolean(),
    enabled: z.boolean(),
  })
  .meta({ id: 'TelegramChat' });
const ChatParams = AppKey.extend({ chatId: z.string().min(1).max(40) });
const WebhookSettings = {
  url: z.string().min(1).max(2000),
  /** Event names or categories of the catalog (order, risk, signal, ...). */
  events: z.array(z.string().min(1).max(100)).min(1).max(100),
  symbols: z.array(z.string().min(1).max(50)).max(500),
  secret: z.string().min(16).max(200),
  enabled: z.boolean(),
};
export const CreateWebhookSchema = z
  .object({
    ...WebhookSettings,
    symbols: WebhookSettings.symbols.optional(),
    /** Generated and returned once when not given. */
    secret: WebhookSettings.secret.optional(),
    enabled: WebhookSettings.enabled.optional(),
    description: z.string().max(500).optional(),
  })
  .strict();
export const UpdateWebhookSchema = z
  .object({ ...WebhookSettings, description: z.string().max(500).nullable() })
  .partial()
  .strict();
export const WebhookPingSchema = z.object({
  delivered: z.boolean(),
  responseCode: z.number().int().nullable(),
  latencyMs: z.number().int(),
  error: z.string().nullable(),
});
const HourMinute = z.union([z.number().int().min(0).max(1439), z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/)]);
export const PutTelegramChatSchema = z
  .object({
    title: z.string().max(200).optional(),
    language: z.enum(['en', 'ru']).optional(),
    events: z.array(z.string().min(1).max(100)).min(1).max(100),
    symbols: z.array(z.string().min(1).max(50)).max(500).optional(),
    quietHours: z.object({ from: HourMinute, to: HourMinute }).nullable().optional(),
    digestMinutes: z.number().int().min(1).max(1440).nullable().optional(),
    /** IANA name (Europe/Berlin); UTC when not given. The notifier checks it against its tz database. */
    timeZone: z.string().min(1).max(64).optional(),
    authorised: z.boolean().optional(),
    enabled: z.boolean().optional(),
  })
  .strict();

export const notifierRoutes = defineRoutes({
  telegram: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/notifiers/:appKey/telegram',
    summary: 'Whether Telegram is on, and the events a chat may ask for',
    tags,
    request: { params: AppKey },
    responses: {
      200: z.looseObject({
        enabled: z.boolean(),
        commands: z.boolean(),
        selectable: z.array(z.string()),
        chats: z.number().int(),
      }),
    },
  }),
  listTelegramChats: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/notifiers/:appKey/telegram/chats',
    summary: 'Telegram chats and what each receives',
    tags,
    request: { params: AppKey },
    responses: { 200: z.object({ items: z.array(TelegramChatSchema) }) },
  }),
  putTelegramChat: defineRoute({
    method: 'put',
    scope: 'configure',
    path: '/notifiers/:appKey/telegram/chats/:chatId',
    summary: 'Add or change a Telegram chat (events, language, quiet hours, digest, commands)',
    tags,
    request: { params: ChatParams, body: PutTelegramChatSchema },
    responses: { 200: TelegramChatSchema, 201: TelegramChatSchema },
  }),
  testTelegramChat: defineRoute({
    method: 'post',
    scope: 'configure',
    path: '/notifiers/:appKey/telegram/chats/:chatId/test',
    summary: 'Send a test message to a chat',
    tags,
    request: { params: ChatParams },
    responses: { 200: z.object({ sent: z.boolean() }) },
  }),
  listWebhooks: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/notifiers/:appKey/webhooks',
    summary: 'Webhook subscriptions',
    tags,
    request: { params: AppKey },
    responses: { 200: z.object({ items: z.array(WebhookSubscriptionSchema) }) },
  }),
  createWebhook: defineRoute({
    method: 'post',
    scope: 'configure',
    path: '/notifiers/:appKey/webhooks',
    summary: 'Subscribe a URL to events (the secret is answered once)',
    tags,
    request: { params: AppKey, body: CreateWebhookSchema },
    responses: { 201: WebhookSubscriptionSchema.extend({ secret: z.string() }) },
  }),
  updateWebhook: defineRoute({
    method: 'patch',
    scope: 'configure',
    path: '/notifiers/:appKey/webhooks/:id',
    summary: 'Change a subscription (URL, events, symbols, secret, enabled, description)',
    tags,
    request: { params: WebhookParams, body: UpdateWebhookSchema },
    responses: { 200: WebhookSubscriptionSchema },
  }),
  testWebhook: defineRoute({
    method: 'post',
    scope: 'configure',
    path: '/notifiers/:appKey/webhooks/:id/test',
    summary: 'Send a signed ping now (not stored) and answer what the receiver said',
    tags,
    request: { params: WebhookParams },
    responses: { 200: WebhookPingSchema },
  }),
  webhookDeliveries: defineRoute({
    method: 'get',
    scope: 'read',
    path: '/notifiers/:appKey/webhooks/:id/deliveries',
    summary: 'A subscription’s delivery log, newest first',
    tags,
    request: {
      params: WebhookParams,
      query: z.object({
        status: z.enum(['pending', 'delivered', 'failed']).optional(),
        page: z.number().int().min(1).optional(),
        limit: z.number().int().min(1).max(500).optional(),
      }),
    },
    responses: { 200: paginated(WebhookDeliverySchema) },
  }),
  redeliverWebhook: defineRoute({
    method: 'post',
    scope: 'configure',
    path: '/notifiers/:appKey/webhooks/:id/deliveries/:deliveryId/redeliver',
    summary: 'Send a delivery again under its id',
    tags,
    request: { params: WebhookParams.extend({ deliveryId: z.string().min(1).max(100) }) },
    responses: { 202: WebhookDeliverySchema },
  }),
  resumeWebhook: defineRoute({
    method: 'post',
    scope: 'configure',
    path: '/notifiers/:appKey/webhooks/:id/resume',
    summary: 'Clear a pause and send the failed deliveries again, in order',
    tags,
    request: { params: WebhookParams },
    responses: { 200: WebhookSubscriptionSchema },
  }),
});
