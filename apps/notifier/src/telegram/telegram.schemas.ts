import { z } from 'zod';
import { DELIVERABLE_EVENTS, EventSelectorSchema, SymbolFilterSchema } from '../selectors';
import { isTimeZone } from './time-zone';

/** Live-only notices a chat may also ask for (an app down or back); webhooks take durable events only. */
export const LIVE_NOTICES = ['PROVIDER_APP_REGISTERED', 'PROVIDER_APP_UNREGISTERED'] as const;
export const TELEGRAM_SELECTABLE: readonly string[] = [...DELIVERABLE_EVENTS, ...LIVE_NOTICES];

const MinuteOfDay = z.union([
  z.number().int().min(0).max(1439),
  z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM')
    .transform((s) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3))),
]);

export const ChatParamsSchema = z.object({
  chatId: z.string().regex(/^-?\d{1,20}$|^@[A-Za-z0-9_]{5,32}$/, 'a numeric chat id or @channelusername'),
});

export const PutChatSchema = z
  .object({
    title: z.string().max(200).optional(),
    language: z.enum(['en', 'ru']).default('en'),
    events: z
      .array(z.union([EventSelectorSchema, z.enum(LIVE_NOTICES)]))
      .min(1)
      .max(100),
    symbols: SymbolFilterSchema.default([]),
    /** Wall-clock times in `timeZone`; from > to spans midnight. Urgent risk events are never held. */
    quietHours: z.object({ from: MinuteOfDay, to: MinuteOfDay }).strict().nullable().optional(),
    /** IANA name (Europe/Berlin, America/New_York); quiet hours and digest windows follow it, daylight saving included. */
    timeZone: z
      .string()
      .max(64)
      .refine(isTimeZone, 'an IANA time zone name such as Europe/Berlin or UTC')
      .default('UTC'),
    /** One message per this many minutes instead of one per event (urgent risk events still go at once). */
    digestMinutes: z.number().int().min(1).max(1440).nullable().optional(),
    /** Whether the chat may send commands (/killswitch and the rest). */
    authorised: z.boolean().default(false),
    enabled: z.boolean().default(true),
  })
  .strict();
