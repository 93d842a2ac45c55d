// Events as a trader reads them on a phone, in the chat's language (the catalog's descriptions are
// English and Russian). Plain text: nothing in an event can break Telegram's markup parsing.
import { getEventDefinition, isEventName } from '@barfinex/events';
import type { AnyEventEnvelope } from '@barfinex/events';

export const Language = { en: 'en', ru: 'ru' } as const;
export type Language = (typeof Language)[keyof typeof Language];

type Fields = Record<string, unknown>;
const str = (v: unknown): string =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
const pct = (v: unknown): string => (typeof v === 'number' ? `${Math.round(v * 100)}%` : '');

const SIDE: Record<Language, Record<string, string>> = {
  en: { BUY: 'BUY', SELL: 'SELL', LONG: 'LONG', SHORT: 'SHORT' },
  ru: { BUY: 'ПОКУПКА', SELL: 'ПРОДАЖА', LONG: 'ЛОНГ', SHORT: 'ШОРТ' },
};
const side = (lang: Language, v: unknown) => SIDE[lang][str(v)] ?? str(v);
const join = (...parts: string[]) => parts.filter((p) => p !== '').join(' ');
const venue = (p: Fields, env: AnyEventEnvelope) => {
  const c = str(p['connectorType'] ?? env.connectorType);
  const m = str(p['marketType'] ?? env.marketType);
  return c && m ? `(${c} ${m})` : '';
};

type Formatter = (p: Fields, lang: Language, env: AnyEventEnvelope) => string;
const ru = (lang: Language, en: string, ruText: string) => (lang === 'ru' ? ruText : en);

const FORMATTERS: Record<string, Formatter> = {
  DETECTOR_SIGNAL_GENERATED: (p, lang, env) => {
    const entry = (p['entry'] as Fields | undefined)?.['price'];
    const stop = (p['stop'] as Fields | undefined)?.['price'];
    const target = ((p['targets'] as Fields[] | undefined) ?? [])[0]?.['price'];
    return [
      join(
        '📈',
        ru(lang, 'Signal', 'Сигнал'),
        side(lang, p['direction']),
        str(p['symbol']),
        entry ? `@ ${str(entry)}` : '',
        venue(p, env),
      ),
      join(
        ru(lang, 'confidence', 'уверенность'),
        pct(p['confidence']),
        '·',
        str(p['detectorKey']),
        str(p['strategy']) ? `(${str(p['strategy'])})` : '',
      ),
      join(
        stop ? `${ru(lang, 'stop', 'стоп')} ${str(stop)}` : '',
        target ? `${ru(lang, 'target', 'цель')} ${str(target)}` : '',
      ),
    ]
      .filter((l) => l !== '')
      .join('\n');
  },
  PROVIDER_ORDER_FILL: (p, lang, env) =>
    [
      join(
        '✅',
        ru(lang, 'Filled', 'Исполнено'),
        side(lang, p['side']),
        str(p['quantity']),
        str(p['symbol']),
        `@ ${str(p['price'])}`,
        venue(p, env),
      ),
      join(
        ru(lang, 'order', 'ордер'),
        str(p['orderId']),
        str(p['orderStatus']) ? `· ${str(p['orderStatus'])}` : '',
        str(p['fee']) ? `· ${ru(lang, 'fee', 'комиссия')} ${str(p['fee'])}` : '',
      ),
    ].join('\n'),
  INSPECTOR_RISK_KILL_SWITCH: (p, lang) =>
    p['active'] === true
      ? join(
          '🛑',
          ru(lang, 'Kill switch ON — no new entries.', 'Аварийный стоп ВКЛЮЧЁН — новых входов нет.'),
          str(p['reason']) ? `${ru(lang, 'Reason', 'Причина')}: ${str(p['reason'])}` : '',
        )
      : join('🟢', ru(lang, 'Kill switch off — trading resumed.', 'Аварийный стоп выключен — торговля возобновлена.')),
  INSPECTOR_RISK_LIMIT_BREACH: (p, lang) =>
    join(
      '⚠️',
      ru(lang, 'Risk limit', 'Риск-лимит'),
      str(p['policy']),
      str(p['symbol']),
      `${str(p['current'])} / ${str(p['limit'])}`,
      '·',
      str(p['action']),
      '—',
      str(p['reason']),
    ),
  INSPECTOR_TRADE_OUTCOME: (p, lang) => {
    const pnl = str(p['pnl']);
    return join(
      pnl.startsWith('-') ? '🔻' : '💰',
      ru(lang, 'Trade closed', 'Сделка закрыта'),
      side(lang, p['side']),
      str(p['quantity']),
      str(p['symbol']),
      `${str(p['entryPrice'])} → ${str(p['exitPrice'])}`,
      `PnL ${pnl}`,
    );
  },
  INSPECTOR_ENTRY_DECLINED: (p, lang) =>
    join(
      '✋',
      ru(lang, 'Entry declined', 'Вход отклонён'),
      side(lang, p['side']),
      str(p['symbol']),
      '—',
      str(p['reason']),
    ),
  INSPECTOR_ENTRY_FAILED: (p, lang) =>
    join(
      '❌',
      ru(lang, 'Entry failed', 'Вход не удался'),
      side(lang, p['side']),
      str(p['symbol']),
      '—',
      str(p['reason']),
    ),
  INSPECTOR_PROTECTION_FAILED: (p, lang) =>
    join(
      '❗',
      ru(lang, 'Protective order failed', 'Защитный ордер не выставлен'),
      str(p['symbol']),
      '—',
      str(p['reason']),
    ),
  PROVIDER_APP_UNREGISTERED: (p, lang) =>
    join(
      '🔴',
      ru(lang, 'App down', 'Приложение недоступно'),
      `${str(p['appType'])}/${str(p['appKey'])}`,
      str(p['reason']) ? `(${str(p['reason'])})` : '',
    ),
  PROVIDER_APP_REGISTERED: (p, lang) =>
    join('🟢', ru(lang, 'App up', 'Приложение запущено'), `${str(p['appType'])}/${str(p['appKey'])}`),
};

/** The message for one event. Events without their own wording get the catalog's description and the symbol. */
export function formatEvent(env: AnyEventEnvelope, lang: Language): string {
  const payload = (typeof env.payload === 'object' && env.payload !== null ? env.payload : {}) as Fields;
  const own = FORMATTERS[env.type];
  if (own) return own(payload, lang, env);
  const description = isEventName(env.type) ? getEventDefinition(env.type).description[lang] : env.type;
  return join('ℹ️', description, env.symbol ?? str(payload['symbol']));
}

/** Events a trader must hear at once: never held by quiet hours or a digest. */
export const URGENT_EVENTS: ReadonlySet<string> = new Set([
  'INSPECTOR_RISK_KILL_SWITCH',
  'INSPECTOR_RISK_LIMIT_BREACH',
  'INSPECTOR_PROTECTION_FAILED',
]);
