import { providerRoutes as r } from '@barfinex/contracts';
import { listEventCatalog } from '@barfinex/events';
import type { TypedRouter } from '../../http/typed-router';

const BUILT_IN = [
  {
    systemName: 'subscribe',
    namespace: '/',
    direction: 'client->server',
    source: 'gateway',
    nameEn: 'Subscribe',
    nameRu: 'Подписка',
    descriptionEn:
      'Subscribe to event names, optionally for given symbols: { events, symbols? } (ack lists subscriptions)',
    descriptionRu: 'Подписка на события, при необходимости по символам: { events, symbols? }',
  },
  {
    systemName: 'unsubscribe',
    namespace: '/',
    direction: 'client->server',
    source: 'gateway',
    nameEn: 'Unsubscribe',
    nameRu: 'Отписка',
    descriptionEn: 'Remove subscriptions: { events, symbols? }',
    descriptionRu: 'Снять подписки: { events, symbols? }',
  },
  {
    systemName: 'health',
    namespace: '/',
    direction: 'client->server',
    source: 'gateway',
    nameEn: 'Health ping',
    nameRu: 'Проверка связи',
    descriptionEn: 'Ask the server for health:ok',
    descriptionRu: 'Запросить health:ok у сервера',
  },
  {
    systemName: 'health:ok',
    namespace: '/',
    direction: 'server->client',
    source: 'gateway',
    nameEn: 'Health reply',
    nameRu: 'Ответ о здоровье',
    descriptionEn: '{ ok: true, t } reply to health',
    descriptionRu: 'Ответ { ok: true, t } на health',
  },
  {
    systemName: 'message',
    namespace: '/',
    direction: 'client->server',
    source: 'gateway',
    nameEn: 'Echo message',
    nameRu: 'Эхо-сообщение',
    descriptionEn: 'Test message { text }; answered with response',
    descriptionRu: 'Тестовое сообщение { text }; ответ — response',
  },
  {
    systemName: 'response',
    namespace: '/',
    direction: 'server->client',
    source: 'gateway',
    nameEn: 'Echo reply',
    nameRu: 'Эхо-ответ',
    descriptionEn: 'Reply to message',
    descriptionRu: 'Ответ на message',
  },
  {
    systemName: 'event',
    namespace: '/eventsink',
    direction: 'server->client',
    source: 'eventsink',
    nameEn: 'Audit event',
    nameRu: 'Событие аудита',
    descriptionEn: 'Every bus event as an audit record { category, action, eventType, data, ... }',
    descriptionRu: 'Каждое событие шины как запись аудита',
  },
] as const;

export function registerCatalogRoutes(t: TypedRouter): void {
  t.add(r.eventCatalog, () => {
    const items = [
      ...BUILT_IN.map((i) => ({ ...i })),
      ...listEventCatalog().map((e) => ({
        systemName: e.name,
        namespace: '/',
        direction: 'server->client' as const,
        source: 'bridge',
        category: e.category,
        durable: e.durable,
        nameEn: `${e.source}: ${e.category}`,
        nameRu: `${e.source}: ${e.category}`,
        descriptionEn: e.description.en,
        descriptionRu: e.description.ru,
      })),
    ];
    return { total: items.length, namespaces: ['/', '/eventsink'], items };
  });
}
