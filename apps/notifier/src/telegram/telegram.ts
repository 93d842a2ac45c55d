// Telegram: chats configured over REST, events queued per chat (stored, so a restart loses none),
// sent in order with quiet hours and digests honoured, and commands read by long polling.
import { Router } from 'express';
import type { Logger } from 'pino';
import { buildPage, createPaginationQuery } from '@barfinex/contracts';
import type { Database } from '@barfinex/db';
import type { AnyEventEnvelope } from '@barfinex/events';
import type { ProviderClient } from '@barfinex/sdk';
import { notFound, parseInput, unavailable } from '@barfinex/service-kit';
import type { NotifierConfig } from '../config';
import { publicPath } from '../http/public-path';
import { selects } from '../selectors';
import { backoffMs } from '../webhooks/backoff';
import { BotApiError, createBotApi } from './bot-api';
import type { BotApi } from './bot-api';
import { createChatsRepository } from './chats.repository';
import type { ChatRecord, MessageRecord, NewMessage } from './chats.repository';
import { createCommands } from './commands';
import { URGENT_EVENTS, formatEvent } from './format';
import { createInspectorClient } from './inspector-client';
import { releaseAt } from './schedule';
import { ChatParamsSchema, PutChatSchema, TELEGRAM_SELECTABLE } from './telegram.schemas';

/** Telegram's limit for one message's text (sendMessage: 1-4096 characters). */
const MAX_TEXT = 4096;
const GIVE_UP_MS = 24 * 3_600_000;

export interface TelegramDeps {
  config: NotifierConfig;
  db: Database;
  provider: ProviderClient;
  logger: Logger;
  now: () => number;
  botApi?: BotApi;
}

/** Digest texts joined and cut at Telegram's limit. */
function pack(texts: readonly string[], heading: string): string[] {
  const out: string[] = [];
  let current = heading;
  for (const t of texts) {
    const piece = `\n\n${t}`;
    if (current.length + piece.length > MAX_TEXT && current !== heading) {
      out.push(current);
      current = heading;
    }
    current = (current + piece).slice(0, MAX_TEXT);
  }
  out.push(current);
  return out;
}

export function createTelegram(deps: TelegramDeps) {
  const { config, logger, now } = deps;
  const bot =
    deps.botApi ??
    (config.TELEGRAM_BOT_TOKEN
      ? createBotApi({ baseUrl: config.TELEGRAM_API_BASE, token: config.TELEGRAM_BOT_TOKEN })
      : undefined);
  const repo = createChatsRepository(deps.db.prisma, config.NOTIFIER_APP_KEY);
  const chats = new Map<string, ChatRecord>();
  const inspector = createInspectorClient({
    providerUrl: config.PROVIDER_URL,
    token: config.PROVIDER_API_TOKEN,
    inspectorKey: config.NOTIFIER_INSPECTOR_KEY,
    timeoutMs: config.PROVIDER_TIMEOUT_MS,
  });
  const commands = bot
    ? createCommands({ bot, chat: (id) => chats.get(id), inspector, provider: deps.provider, now, logger })
    : undefined;
  let sending: Promise<void> | undefined;
  let again = false;
  let polling: Promise<void> | undefined;
  const abort = new AbortController();

  async function sendChat(chat: ChatRecord, due: MessageRecord[]): Promise<void> {
    if (!bot) return;
    // Messages go in queue order; in digest mode the due run is one message (urgent ones go alone, first).
    const urgent = due.filter((m) => URGENT_EVENTS.has(m.eventName));
    const rest = due.filter((m) => !URGENT_EVENTS.has(m.eventName));
    const batches: MessageRecord[][] = chat.digestMinutes
      ? [...urgent.map((m) => [m]), ...(rest.length > 0 ? [rest] : [])]
      : due.map((m) => [m]);
    for (const batch of batches) {
      const texts =
        batch.length === 1
          ? [batch[0]?.text ?? '']
          : pack(
              batch.map((m) => m.text),
              chat.language === 'ru' ? `Сводка: ${batch.length} событий` : `Digest: ${batch.length} events`,
            );
      try {
        for (const text of texts) await bot.sendMessage(chat.chatId, text);
        await repo.markSent(
          batch.map((m) => m.seq),
          now(),
        );
      } catch (err) {
        const first = batch[0];
        const attempts = (first?.attempts ?? 0) + 1;
        const wait =
          err instanceof BotApiError && err.retryAfter !== undefined
            ? err.retryAfter * 1000
            : backoffMs(attempts, 600_000, Math.random);
        const givesUp = now() - (first?.createdAt ?? now()) > GIVE_UP_MS;
        await repo.markFailed(
          batch.map((m) => m.seq),
          { error: (err as Error).message, nextAttemptAt: now() + wait, givesUp },
        );
        logger.warn({ err, chatId: chat.chatId, givesUp }, 'Telegram message not sent');
        return;
      }
    }
  }

  async function sendDue(): Promise<void> {
    const due = await repo.due(now(), 500);
    const byChat = new Map<string, MessageRecord[]>();
    for (const m of due) byChat.set(m.chatId, [...(byChat.get(m.chatId) ?? []), m]);
    for (const [chatId, messages] of byChat) {
      const chat = chats.get(chatId);
      // Release times only grow with the event's time, so what is due is in queue order per chat.
      if (chat?.enabled) await sendChat(chat, messages);
    }
  }

  async function poll(): Promise<void> {
    if (!bot || !commands || config.TELEGRAM_POLL_TIMEOUT_S === 0) return;
    let offset: number | undefined;
    while (!abort.signal.aborted) {
      try {
        const updates = await bot.getUpdates(offset, config.TELEGRAM_POLL_TIMEOUT_S, abort.signal);
        for (const u of updates) {
          await commands.handle(u);
          offset = u.update_id + 1;
        }
      } catch (err) {
        if (abort.signal.aborted) return;
        logger.warn({ err }, 'Telegram getUpdates failed; polling again shortly');
        await new Promise((r) =>
          setTimeout(r, err instanceof BotApiError && err.retryAfter ? err.retryAfter * 1000 : 2_000).unref(),
        );
      }
    }
  }

  function view(c: ChatRecord) {
    return {
      ...c,
      quietHours: c.quietFrom === null || c.quietTo === null ? null : { from: c.quietFrom, to: c.quietTo },
    };
  }
  const get = (chatId: string) => {
    const c = chats.get(chatId);
    if (!c) throw notFound(`Telegram chat "${chatId}"`, { chatId });
    return c;
  };

  const router = Router();
  router.get('/telegram', (_req, res) => {
    res.json({
      enabled: bot !== undefined,
      commands: bot !== undefined && config.TELEGRAM_POLL_TIMEOUT_S > 0,
      selectable: TELEGRAM_SELECTABLE,
      chats: chats.size,
    });
  });
  router.get('/telegram/chats', (_req, res) => {
    res.json({ items: [...chats.values()].map(view) });
  });
  router.get('/telegram/chats/:chatId', (req, res) => {
    res.json(view(get(parseInput(ChatParamsSchema, req.params, 'params').chatId)));
  });
  router.put('/telegram/chats/:chatId', async (req, res) => {
    const { chatId } = parseInput(ChatParamsSchema, req.params, 'params');
    const body = parseInput(PutChatSchema, req.body, 'body');
    const existing = chats.get(chatId);
    const t = now();
    const saved = await repo.upsert({
      chatId,
      title: body.title ?? null,
      language: body.language,
      events: body.events,
      symbols: body.symbols,
      quietFrom: body.quietHours?.from ?? null,
      quietTo: body.quietHours?.to ?? null,
      digestMinutes: body.digestMinutes ?? null,
      timeZone: body.timeZone,
      authorised: body.authorised,
      enabled: body.enabled,
      createdAt: existing?.createdAt ?? t,
      updatedAt: t,
    });
    chats.set(chatId, saved);
    res.status(existing ? 200 : 201).json(view(saved));
  });
  router.delete('/telegram/chats/:chatId', async (req, res) => {
    const { chatId } = parseInput(ChatParamsSchema, req.params, 'params');
    get(chatId);
    await repo.remove(chatId);
    chats.delete(chatId);
    res.status(204).end();
  });
  const MessagesQuery = createPaginationQuery(50);
  router.get('/telegram/chats/:chatId/messages', async (req, res) => {
    const { chatId } = parseInput(ChatParamsSchema, req.params, 'params');
    get(chatId);
    const q = parseInput(MessagesQuery, req.query, 'query');
    const { items, total } = await repo.messages(chatId, q);
    res.json(
      buildPage(
        items.map((m) => ({ ...m, seq: Number(m.seq) })),
        total,
        {
          path: publicPath(req, `/telegram/chats/${encodeURIComponent(chatId)}/messages`),
          page: q.page,
          limit: q.limit,
        },
      ),
    );
  });
  router.post('/telegram/chats/:chatId/test', async (req, res) => {
    const chat = get(parseInput(ChatParamsSchema, req.params, 'params').chatId);
    if (!bot) throw unavailable('Telegram is off: TELEGRAM_BOT_TOKEN is not set');
    await bot.sendMessage(
      chat.chatId,
      chat.language === 'ru' ? '✅ Barfinex: проверка связи' : '✅ Barfinex: test message',
    );
    res.json({ sent: true });
  });

  return {
    enabled: bot !== undefined,
    router,
    async load(): Promise<void> {
      chats.clear();
      for (const c of await repo.list()) chats.set(c.chatId, c);
    },
    /** The messages an event owes, stored with the bus delivery. */
    async intake(env: AnyEventEnvelope): Promise<void> {
      if (!bot) return;
      const t = now();
      const rows: NewMessage[] = [];
      for (const c of chats.values()) {
        if (!c.enabled || !selects(c.events, c.symbols, env)) continue;
        rows.push({
          chatId: c.chatId,
          eventId: env.eventId,
          eventName: env.type,
          text: formatEvent(env, c.language),
          nextAttemptAt: URGENT_EVENTS.has(env.type) ? t : releaseAt(c, t),
        });
      }
      await repo.enqueue(rows, t);
      if (rows.length > 0) void this.tick();
    },
    /** Sends what is due; one run at a time, and once more when asked again meanwhile. */
    tick(): Promise<void> {
      if (!bot) return Promise.resolve();
      if (sending) {
        again = true;
        return sending;
      }
      sending = (async () => {
        do {
          again = false;
          await sendDue();
        } while (again);
      })()
        .catch((err: unknown) => logger.error({ err }, 'Telegram queue could not be read'))
        .finally(() => {
          sending = undefined;
        });
      return sending;
    },
    start(): void {
      polling ??= poll();
    },
    async stop(): Promise<void> {
      abort.abort();
      await polling;
      await sending;
    },
  };
}
export type Telegram = ReturnType<typeof createTelegram>;
