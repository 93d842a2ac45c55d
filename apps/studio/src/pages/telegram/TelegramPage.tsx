import { useState } from 'react';
import type { FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { notifierRoutes } from '@barfinex/contracts';
import { needsScope, useCan, useWriteGate } from '../../app/access';
import { useSession } from '../../app/session';
import { fieldErrors } from '../../lib/errors';
import { APP_KEY } from '../webhooks/notifier';
import { ErrorBox, RowAction } from '../webhooks/parts';

interface Draft {
  chatId: string;
  title: string;
  language: 'en' | 'ru';
  events: string;
  quietFrom: string;
  quietTo: string;
  timeZone: string;
  digestMinutes: string;
  authorised: boolean;
  enabled: boolean;
}
/** This browser's zone as the first guess for a new chat (quiet hours are the reader's night, not UTC's). */
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
const empty = (): Draft => ({
  chatId: '',
  title: '',
  language: 'en',
  events: 'signal, PROVIDER_ORDER_FILL, risk, INSPECTOR_TRADE_OUTCOME',
  quietFrom: '',
  quietTo: '',
  timeZone: browserZone(),
  digestMinutes: '',
  authorised: false,
  enabled: true,
});
/** Offered in the time zone field; any IANA name is accepted (the notifier checks it). */
const ZONES = (() => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['UTC'];
  }
})();
const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** Telegram chats and their routing: which events each gets, in which language, quiet hours, digests, and who may send commands. */
export function TelegramPage() {
  const { client } = useSession();
  const canRead = useCan('read');
  const saveGate = useWriteGate(notifierRoutes.putTelegramChat);
  const testGate = useWriteGate(notifierRoutes.testTelegramChat);
  const queries = useQueryClient();
  const [draft, setDraft] = useState<Draft>(empty);
  const [tested, setTested] = useState<string | undefined>(undefined);
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
          ...(d.title.trim() ? { title: d.title.trim() } : {}),
          language: d.language,
          events: d.events
            .split(',')
            .map((e) => e.trim())
            .filter(Boolean),
          quietHours: d.quietFrom && d.quietTo ? { from: d.quietFrom, to: d.quietTo } : null,
          timeZone: d.timeZone.trim() || 'UTC',
          digestMinutes: d.digestMinutes ? Number(d.digestMinutes) : null,
          authorised: d.authorised,
          enabled: d.enabled,
        },
      }),
    onSuccess: () => {
      setDraft(empty());
      void queries.invalidateQueries({ queryKey: ['telegram-chats'] });
    },
  });
  const test = useMutation({
    mutationFn: (chatId: string) =>
      client.request(notifierRoutes.testTelegramChat, { params: { appKey: APP_KEY, chatId } }),
    onSuccess: (_sent, chatId) => setTested(chatId),
  });

  if (!canRead) return <p className="muted">{`Telegram ${needsScope('read')}.`}</p>;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(draft);
  };
  const { fields, general } = fieldErrors(save.error);
  const failure = status.error ?? chats.error ?? test.error ?? (general ? save.error : undefined);
  return (
    <div className="stack">
      <section className="card" aria-labelledby="telegram-title">
        <h2 id="telegram-title">Telegram</h2>
        <ErrorBox error={failure} />
        {tested ? <p role="status">{`Test message sent to ${tested}.`}</p> : null}
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
              <th>Quiet hours</th>
              <th>Digest</th>
              <th>Commands</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(chats.data?.items ?? []).map((c) => (
              <tr
                key={c.chatId}
                onClick={() =>
                  setDraft({
                    chatId: c.chatId,
                    title: c.title ?? '',
                    language: c.language,
                    events: c.events.join(', '),
                    quietFrom: c.quietHours ? hhmm(c.quietHours.from) : '',
                    quietTo: c.quietHours ? hhmm(c.quietHours.to) : '',
                    timeZone: c.timeZone,
                    digestMinutes: c.digestMinutes ? String(c.digestMinutes) : '',
                    authorised: c.authorised,
                    enabled: c.enabled,
                  })
                }
              >
                <td className="mono">{c.title ? `${c.title} (${c.chatId})` : c.chatId}</td>
                <td>{c.language}</td>
                <td className="mono muted">{c.events.join(' ')}</td>
                <td>{c.quietHours ? `${hhmm(c.quietHours.from)}–${hhmm(c.quietHours.to)} ${c.timeZone}` : '—'}</td>
                <td>{c.digestMinutes ? `every ${c.digestMinutes} min` : '—'}</td>
                <td className={c.authorised ? 'up' : 'muted'}>{c.authorised ? 'authorised' : 'no'}</td>
                <td className="actions" onClick={(e) => e.stopPropagation()}>
                  {c.enabled ? null : <span className="down">off </span>}
                  <RowAction
                    label="Test"
                    target={c.chatId}
                    gate={testGate}
                    busy={test.isPending || !status.data?.enabled}
                    onClick={() => test.mutate(c.chatId)}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <form className="card stack" onSubmit={submit} aria-label="Telegram chat">
        <div className="row">
          <input
            aria-label="Chat id"
            placeholder="chat id (/help in the chat tells it)"
            value={draft.chatId}
            onChange={(e) => setDraft({ ...draft, chatId: e.target.value })}
          />
          <input
            aria-label="Title"
            placeholder="title (desk, me)"
            value={draft.title}
            onChange={(e) => setDraft({ ...draft, title: e.target.value })}
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
          <label>
            <input
              type="checkbox"
              checked={draft.enabled}
              onChange={(e) => setDraft({ ...draft, enabled: e.target.checked })}
            />{' '}
            sends messages
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
            aria-label="Time zone"
            placeholder="time zone (Europe/Berlin)"
            list="time-zones"
            value={draft.timeZone}
            onChange={(e) => setDraft({ ...draft, timeZone: e.target.value })}
          />
          <datalist id="time-zones">
            {ZONES.map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
          <input
            aria-label="Digest minutes"
            placeholder="digest every N minutes"
            value={draft.digestMinutes}
            onChange={(e) => setDraft({ ...draft, digestMinutes: e.target.value })}
          />
          <button type="submit" {...saveGate.control(!draft.chatId || save.isPending)}>
            Save chat
          </button>
        </div>
        {Object.entries(fields).map(([field, message]) => (
          <p key={field} className="field-error" role="alert">{`${field}: ${message}`}</p>
        ))}
      </form>
    </div>
  );
}

export default TelegramPage;
