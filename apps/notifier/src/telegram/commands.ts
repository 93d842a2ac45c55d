// Commands from Telegram. Only chats an operator marked `authorised` may use them (anyone may ask
// /help, which tells the chat its id so it can be authorised). /killswitch and /resume change what
// the inspector lets through, so each asks for a confirmation first (an inline button, valid one
// minute, answered through a callback query).
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { ProviderClient } from '@barfinex/sdk';
import type { BotApi, TelegramUpdate } from './bot-api';
import type { ChatRecord } from './chats.repository';
import type { Language } from './format';
import type { InspectorClient } from './inspector-client';

const CONFIRM_TTL_MS = 60_000;

type Pending = { chatId: string; action: 'killswitch' | 'resume'; reason: string; expiresAt: number };
type Text = Record<Language, string>;

const T = {
  unauthorised: {
    en: 'This chat may not send commands. Ask the operator to authorise chat id',
    ru: 'Этому чату команды не разрешены. Попросите оператора авторизовать чат',
  },
  help: {
    en: 'Commands: /status, /positions, /orders, /pnl, /killswitch <reason>, /resume. This chat id:',
    ru: 'Команды: /status, /positions, /orders, /pnl, /killswitch <причина>, /resume. Id этого чата:',
  },
  reasonNeeded: { en: 'Usage: /killswitch <reason>', ru: 'Использование: /killswitch <причина>' },
  confirmKill: {
    en: 'Trip the kill switch? No new entries until /resume. Reason:',
    ru: 'Включить аварийный стоп? Новых входов не будет до /resume. Причина:',
  },
  confirmResume: {
    en: 'Reset the kill switch and let entries through again?',
    ru: 'Сбросить аварийный стоп и снова пропускать входы?',
  },
  confirm: { en: 'Confirm', ru: 'Подтвердить' },
  cancel: { en: 'Cancel', ru: 'Отмена' },
  expired: {
    en: 'This confirmation has expired; send the command again.',
    ru: 'Подтверждение устарело; отправьте команду снова.',
  },
  cancelled: { en: 'Cancelled.', ru: 'Отменено.' },
  tripped: { en: '🛑 Kill switch is ON.', ru: '🛑 Аварийный стоп включён.' },
  resumed: {
    en: '🟢 Kill switch reset; entries pass the risk gate again.',
    ru: '🟢 Аварийный стоп сброшен; входы снова проходят риск-контроль.',
  },
  failed: { en: 'Failed:', ru: 'Ошибка:' },
  unknown: { en: 'Unknown command. /help lists them.', ru: 'Неизвестная команда. /help — список.' },
  none: { en: 'none', ru: 'нет' },
} satisfies Record<string, Text>;

export interface CommandsDeps {
  bot: BotApi;
  chat: (chatId: string) => ChatRecord | undefined;
  inspector: InspectorClient;
  provider: ProviderClient;
  now: () => number;
  logger: Logger;
}

export function createCommands(deps: CommandsDeps) {
  const pending = new Map<string, Pending>();
  const lang = (chatId: string): Language => deps.chat(chatId)?.language ?? 'en';
  const say = (chatId: string, text: string) => deps.bot.sendMessage(chatId, text);

  async function status(l: Language): Promise<string> {
    const [kill, apps] = await Promise.all([
      deps.inspector
        .get<{ active: boolean; reason?: string | null }>('/kill-switch')
        .catch((e: unknown) => ({ error: (e as Error).message })),
      deps.provider.registry.list({}).catch(() => []),
    ]);
    const ks =
      'error' in kill
        ? `kill switch: ${kill.error}`
        : kill.active
          ? `kill switch: ON (${kill.reason ?? ''})`
          : 'kill switch: off';
    const appsLine = apps.map((a) => `${a.appType}/${a.appKey}: ${a.status}`).join(', ');
    return [
      l === 'ru' ? 'Состояние' : 'Status',
      ks,
      appsLine || (l === 'ru' ? 'приложений нет' : 'no apps registered'),
    ].join('\n');
  }

  async function positions(l: Language): Promise<string> {
    const page = await deps.inspector.get<{
      items: { symbol: string; side: string; quantity: string; entryPrice?: string; status: string }[];
    }>('/positions?status=open&limit=20');
    if (page.items.length === 0) return `${l === 'ru' ? 'Позиции' : 'Positions'}: ${T.none[l]}`;
    return page.items
      .map((p) => `${p.side} ${p.quantity} ${p.symbol}${p.entryPrice ? ` @ ${p.entryPrice}` : ''}`)
      .join('\n');
  }

  async function orders(l: Language): Promise<string> {
    const page = await deps.provider.orders.list({ limit: 50 });
    const open = page.data.filter((o) => o.status === 'NEW' || o.status === 'PARTIALLY_FILLED').slice(0, 20);
    if (open.length === 0) return `${l === 'ru' ? 'Открытые ордера' : 'Open orders'}: ${T.none[l]}`;
    return open
      .map(
        (o) =>
          `${o.side} ${o.type} ${o.quantity} ${o.symbol}${o.price ? ` @ ${o.price}` : ''} (${o.connectorType} ${o.marketType})`,
      )
      .join('\n');
  }

  async function pnl(l: Language): Promise<string> {
    const d = await deps.inspector.get<{
      risk: { available: boolean; equity?: string; dailyPnl?: string; drawdownPct?: string; tradesToday?: number };
    }>('/risk/dashboard');
    if (!d.risk.available) return l === 'ru' ? 'Счёт недоступен' : 'Account unavailable';
    return l === 'ru'
      ? `Капитал ${d.risk.equity}\nPnL за день ${d.risk.dailyPnl}\nПросадка ${d.risk.drawdownPct}%\nСделок сегодня ${d.risk.tradesToday}`
      : `Equity ${d.risk.equity}\nDaily PnL ${d.risk.dailyPnl}\nDrawdown ${d.risk.drawdownPct}%\nTrades today ${d.risk.tradesToday}`;
  }

  function ask(chatId: string, action: Pending['action'], reason: string, question: string) {
    const nonce = randomBytes(8).toString('hex');
    pending.set(nonce, { chatId, action, reason, expiresAt: deps.now() + CONFIRM_TTL_MS });
    const l = lang(chatId);
    return deps.bot.sendMessage(chatId, question, {
      replyMarkup: {
        inline_keyboard: [
          [
            { text: T.confirm[l], callback_data: `ok:${nonce}` },
            { text: T.cancel[l], callback_data: `no:${nonce}` },
          ],
        ],
      },
    });
  }

  async function onMessage(chatId: string, text: string, from: string): Promise<void> {
    const [head = '', ...rest] = text.trim().split(/\s+/);
    const command = head.replace(/@.*$/, '').toLowerCase();
    const args = rest.join(' ');
    const l = lang(chatId);
    if (command === '/start' || command === '/help') return say(chatId, `${T.help[l]} ${chatId}`);
    const chat = deps.chat(chatId);
    if (!chat?.authorised) {
      deps.logger.warn({ chatId, from, command }, 'command from a chat that is not authorised refused');
      return say(chatId, `${T.unauthorised[l]} ${chatId}.`);
    }
    switch (command) {
      case '/status':
        return say(chatId, await status(l));
      case '/positions':
        return say(chatId, await positions(l));
      case '/orders':
        return say(chatId, await orders(l));
      case '/pnl':
        return say(chatId, await pnl(l));
      case '/killswitch':
        if (args === '') return say(chatId, T.reasonNeeded[l]);
        return ask(chatId, 'killswitch', args.slice(0, 400), `${T.confirmKill[l]} ${args.slice(0, 400)}`);
      case '/resume':
        return ask(chatId, 'resume', '', T.confirmResume[l]);
      default:
        return say(chatId, T.unknown[l]);
    }
  }

  async function onCallback(id: string, chatId: string, data: string, from: string): Promise<void> {
    const l = lang(chatId);
    const [verdict, nonce = ''] = data.split(':');
    const p = pending.get(nonce);
    pending.delete(nonce);
    if (!deps.chat(chatId)?.authorised) return deps.bot.answerCallbackQuery(id, `${T.unauthorised[l]} ${chatId}.`);
    if (!p || p.chatId !== chatId || p.expiresAt < deps.now()) return deps.bot.answerCallbackQuery(id, T.expired[l]);
    if (verdict !== 'ok') {
      await deps.bot.answerCallbackQuery(id, T.cancelled[l]);
      return;
    }
    const actor = `telegram:${chatId}:${from}`;
    try {
      if (p.action === 'killswitch') await deps.inspector.post('/kill-switch', { reason: p.reason, actor });
      else await deps.inspector.post('/kill-switch/reset', { actor });
    } catch (err) {
      await deps.bot.answerCallbackQuery(id, T.failed[l]);
      return say(chatId, `${T.failed[l]} ${(err as Error).message}`);
    }
    deps.logger.info({ chatId, from, action: p.action, reason: p.reason }, 'kill switch changed from Telegram');
    await deps.bot.answerCallbackQuery(id, p.action === 'killswitch' ? T.tripped[l] : T.resumed[l]);
    return say(chatId, p.action === 'killswitch' ? `${T.tripped[l]} ${p.reason}` : T.resumed[l]);
  }

  return {
    async handle(update: TelegramUpdate): Promise<void> {
      for (const [nonce, p] of pending) if (p.expiresAt < deps.now()) pending.delete(nonce);
      try {
        if (update.message?.text !== undefined && update.message.text.startsWith('/')) {
          const m = update.message;
          await onMessage(String(m.chat.id), m.text ?? '', m.from?.username ?? String(m.from?.id ?? ''));
        } else if (update.callback_query?.message && update.callback_query.data !== undefined) {
          const q = update.callback_query;
          await onCallback(q.id, String(q.message?.chat.id), q.data ?? '', q.from.username ?? String(q.from.id));
        }
      } catch (err) {
        deps.logger.warn({ err, updateId: update.update_id }, 'Telegram command failed');
      }
    },
  };
}
