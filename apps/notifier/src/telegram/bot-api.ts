// The Telegram Bot API over fetch, with the few methods the notifier uses. Reference:
// https://core.telegram.org/bots/api — "Making requests" (POST https://api.telegram.org/bot<token>/<method>
// with a JSON body; the answer is {"ok":true,"result":…} or {"ok":false,"error_code","description",
// "parameters":{"retry_after"}}), "sendMessage", "getUpdates" (long polling: `offset` = last
// update_id + 1 confirms what was read, `timeout` in seconds), "answerCallbackQuery",
// "InlineKeyboardMarkup". The base URL is configurable (TELEGRAM_API_BASE) for a local fake in tests.
import { z } from 'zod';

const ChatSchema = z.looseObject({
  id: z.number(),
  type: z.string(),
  title: z.string().optional(),
  username: z.string().optional(),
});
const UserSchema = z.looseObject({
  id: z.number(),
  username: z.string().optional(),
  first_name: z.string().optional(),
});
const MessageSchema = z.looseObject({
  message_id: z.number(),
  chat: ChatSchema,
  from: UserSchema.optional(),
  text: z.string().optional(),
  date: z.number(),
});
export const UpdateSchema = z.looseObject({
  update_id: z.number(),
  message: MessageSchema.optional(),
  callback_query: z
    .looseObject({ id: z.string(), from: UserSchema, message: MessageSchema.optional(), data: z.string().optional() })
    .optional(),
});
export type TelegramUpdate = z.infer<typeof UpdateSchema>;

const ReplySchema = z.union([
  z.looseObject({ ok: z.literal(true), result: z.unknown() }),
  z.looseObject({
    ok: z.literal(false),
    error_code: z.number().optional(),
    description: z.string().optional(),
    parameters: z.looseObject({ retry_after: z.number().optional() }).optional(),
  }),
]);

export class BotApiError extends Error {
  constructor(
    message: string,
    readonly code: number | undefined,
    /** Seconds Telegram asks to wait (429 flood control). */
    readonly retryAfter: number | undefined,
  ) {
    super(message);
    this.name = 'BotApiError';
  }
}

export interface InlineButton {
  text: string;
  callback_data: string;
}

export interface BotApi {
  sendMessage(
    chatId: string,
    text: string,
    extra?: { replyMarkup?: { inline_keyboard: InlineButton[][] } },
  ): Promise<void>;
  getUpdates(offset: number | undefined, timeoutS: number, signal?: AbortSignal): Promise<TelegramUpdate[]>;
  answerCallbackQuery(id: string, text: string): Promise<void>;
}

export function createBotApi(opts: { baseUrl: string; token: string; requestTimeoutMs?: number }): BotApi {
  const base = `${opts.baseUrl.replace(/\/+$/, '')}/bot${opts.token}`;

  async function call(
    method: string,
    params: Record<string, unknown>,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<unknown> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const res = await fetch(`${base}/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(params),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    }).catch((err: unknown) => {
      // The token is part of the URL: never let it into an error message.
      throw new BotApiError(`${method}: ${err instanceof Error ? err.name : 'request failed'}`, undefined, undefined);
    });
    const parsed = ReplySchema.safeParse(await res.json().catch(() => undefined));
    if (!parsed.success)
      throw new BotApiError(`${method}: malformed answer (HTTP ${res.status})`, res.status, undefined);
    if (parsed.data.ok) return parsed.data.result;
    const failed = parsed.data;
    throw new BotApiError(
      `${method}: ${failed.description ?? 'refused'}`,
      failed.error_code ?? res.status,
      failed.parameters?.retry_after,
    );
  }

  const requestTimeoutMs = opts.requestTimeoutMs ?? 15_000;
  return {
    async sendMessage(chatId, text, extra) {
      await call(
        'sendMessage',
        {
          chat_id: chatId,
          text,
          link_preview_options: { is_disabled: true },
          ...(extra?.replyMarkup ? { reply_markup: extra.replyMarkup } : {}),
        },
        requestTimeoutMs,
      );
    },
    async getUpdates(offset, timeoutS, signal) {
      const result = await call(
        'getUpdates',
        {
          ...(offset !== undefined ? { offset } : {}),
          timeout: timeoutS,
          allowed_updates: ['message', 'callback_query'],
        },
        timeoutS * 1000 + requestTimeoutMs,
        signal,
      );
      return z.array(UpdateSchema).parse(result);
    },
    async answerCallbackQuery(id, text) {
      await call('answerCallbackQuery', { callback_query_id: id, text }, requestTimeoutMs);
    },
  };
}
