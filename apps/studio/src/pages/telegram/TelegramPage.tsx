import { useState } from 'react';
import type { FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { notifierRoutes } from '@barfinex/contracts';
import { needsScope, useCan } from '../../app/access';
import { useSession } from '../../app/session';
import { errorText } from '../../lib/errors';

const APP_KEY = 'notifier';

interface Draft {
  chatId: string;
  language: 'en' | 'ru';
  events: string;
  quietFrom: string;
  quietTo: string;
  digestMinutes: string;
  authorised: boolean;
}
const EMPTY: Draft = {
  chatId: '',
  language: 'en',
  events: 'signal, PROVIDER_ORDER_FILL, risk, INSPECTOR_TRADE_OUTCOME',
  quietFrom: '',
  quietTo: '',
  digestMinutes: '',
  authorised: false,
};
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** Telegram chats and their routing: which events each gets, in which language, quiet hours, digests, and who may send commands. */
export function TelegramPage() {
  const { client } = useSession();
  const canRead = useCan('read');
  const canConfigure = useCan('configure');
  const queries = useQueryClient();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const status = useQuery({
    queryKey: ['telegram'],
    queryFn: () => client.request(notifierRoutes.telegram, { params: { appKey: APP_KEY } }),
    enabled: canRead,
  });
  const chats = useQuery({
    queryKey: ['telegram-chats'],
    queryFn: () => client.request(notifierRoutes.listTelegramChats, { params: { appKey: APP_KEY } }),
    enabled: canRead,
  });
  const save = useMutation({
    mutationFn: (d: Draft) =>
      client.request(notifierRoutes.putTelegramChat, {
        params: { appKey: APP_KEY, chatId: d.chatId.trim() },
        body: {
          language: d.language,
          events: d.events
            .split(',')
            .map((e) => e.trim())
            .filter(Boolean),
          quietHours: d.quietFrom && d.quietTo ? { from: d.quietFrom, to: d.quietTo } : null,
          digestMinutes: d.digestMinutes ? Number(d.digestMinutes) : null,
          authorised: d.authorised,
        },
      }),
    onSuccess: () => {
      setDraft(EMPTY);
      void queries.invalidateQueries({ queryKey: ['telegram-chats'] });
    },
  });

  if (!canRead) return <p className="muted">{`Telegram ${needsScope('read')}.`}</p>;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(draft);
  };
  const failure = status.error ?? chats.error ?? save.error;
  return (
    <div className="stack">
      <section className="card" aria-labelledby="telegram-title">
        <h2 id="telegram-title">Telegram</h2>
        {failure ? <p className="error-box">{errorText(failure)}</p> : null}
        {status.data ? (
          <p className={status.data.enabled ? 'up' : 'muted'}>
            {status.data.enabled
              ? `bot on · commands ${status.data.commands ? 'on' : 'off'}`
              : 'off: set TELEGRAM_BOT_TOKEN for the notifier'}
          </p>
        ) : null}
        <table data-testid="telegram-chats">
          <thead>
            <tr>
              <th>Chat</th>
              <th>Language</th>
              <th>Events</th>
              <th>Quiet (UTC)</th>
              <th>Digest</th>
              <th>Commands</th>
            </tr>
          </thead>
          <tbody>
            {(chats.data?.items ?? []).map((c) => (
              <tr
                key={c.chatId}
                onClick={() =>
                  setDraft({
                    chatId: c.chatId,
                    language: c.language,
                    events: c.events.join(', '),
                    quietFrom: c.quietHours ? hhmm(c.quietHours.from) : '',
                    quietTo: c.quietHours ? hhmm(c.quietHours.to) : '',
                    digestMinutes: c.digestMinutes ? String(c.digestMinutes) : '',
                    authorised: c.authorised,
                  })
                }
              >
                <td className="mono">{c.title ? `${c.title} (${c.chatId})` : c.chatId}</td>
                <td>{c.language}</td>
                <td className="mono muted">{c.events.join(' ')}</td>
                <td>{c.quietHours ? `${hhmm(c.quietHours.from)}–${hhmm(c.quietHours.to)}` : '—'}</td>
                <td>{c.digestMinutes ? `every ${c.digestMinutes} min` : '—'}</td>
                <td className={c.authorised ? 'up' : 'muted'}>{c.authorised ? 'authorised' : 'no'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {canConfigure ? (
        <form className="card stack" onSubmit={submit} aria-label="Telegram chat">
          <div className="row">
            <input
              aria-label="Chat id"
              placeholder="chat id (/help in the chat tells it)"
              value={draft.chatId}
              onChange={(e) => setDraft({ ...draft, chatId: e.target.value })}
            />
            <select
              aria-label="Language"
              value={draft.language}
              onChange={(e) => setDraft({ ...draft, language: e.target.value as Draft['language'] })}
            >
              <option value="en">English</option>
              <option value="ru">Русский</option>
            </select>
            <label>
              <input
                type="checkbox"
                checked={draft.authorised}
                onChange={(e) => setDraft({ ...draft, authorised: e.target.checked })}
              />{' '}
              may send commands
            </label>
          </div>
          <input
            aria-label="Events"
            placeholder="event names or categories, comma separated"
            value={draft.events}
            onChange={(e) => setDraft({ ...draft, events: e.target.value })}
          />
          <div className="row">
            <input
              aria-label="Quiet from"
              placeholder="quiet from HH:MM"
              value={draft.quietFrom}
              onChange={(e) => setDraft({ ...draft, quietFrom: e.target.value })}
            />
            <input
              aria-label="Quiet to"
              placeholder="quiet to HH:MM"
              value={draft.quietTo}
              onChange={(e) => setDraft({ ...draft, quietTo: e.target.value })}
            />
            <input
              aria-label="Digest minutes"
              placeholder="digest every N minutes"
              value={draft.digestMinutes}
              onChange={(e) => setDraft({ ...draft, digestMinutes: e.target.value })}
            />
            <button type="submit" disabled={!draft.chatId || save.isPending}>
              Save chat
            </button>
          </div>
        </form>
      ) : null}
    </div>
  );
}

export default TelegramPage;
