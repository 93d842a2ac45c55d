import { useState } from 'react';
import type { FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { notifierRoutes } from '@barfinex/contracts';
import { useWriteGate } from '../../app/access';
import { useSession } from '../../app/session';
import { fieldErrors } from '../../lib/errors';
import { APP_KEY } from './notifier';
import { ErrorBox } from './parts';

export interface WebhookDraft {
  /** Set when an existing subscription is edited. */
  id?: string;
  url: string;
  events: string;
  symbols: string;
  description: string;
}
export const EMPTY_WEBHOOK: WebhookDraft = { url: '', events: 'order, risk', symbols: '', description: '' };

const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/**
 * Subscribes a URL (or changes one): events by name or category, an optional symbol filter. A new
 * subscription's secret is shown once, to be given to the receiver that verifies the signature.
 */
export function WebhookForm(props: { draft: WebhookDraft; onDone: (id: string) => void; onCancel: () => void }) {
  const { client } = useSession();
  const [draft, setDraft] = useState<WebhookDraft>(props.draft);
  const editing = draft.id !== undefined;
  const gate = useWriteGate(editing ? notifierRoutes.updateWebhook : notifierRoutes.createWebhook);
  const save = useMutation({
    mutationFn: async (d: WebhookDraft) => {
      const fields = { url: d.url.trim(), events: list(d.events), symbols: list(d.symbols) };
      if (d.id === undefined) {
        const created = await client.request(notifierRoutes.createWebhook, {
          params: { appKey: APP_KEY },
          body: { ...fields, ...(d.description ? { description: d.description } : {}) },
        });
        return { id: created.id, secret: created.secret };
      }
      const updated = await client.request(notifierRoutes.updateWebhook, {
        params: { appKey: APP_KEY, id: d.id },
        body: { ...fields, description: d.description || null },
      });
      return { id: updated.id, secret: undefined };
    },
    onSuccess: (saved) => {
      // A new subscription's form stays, empty, with the secret under it; an edit closes.
      if (saved.secret !== undefined) setDraft(EMPTY_WEBHOOK);
      props.onDone(saved.id);
    },
  });
  const { fields, general } = fieldErrors(save.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(draft);
  };
  return (
    <form className="card stack" onSubmit={submit} aria-label={editing ? 'Edit webhook' : 'New webhook'}>
      <h2>{editing ? 'Edit webhook' : 'New webhook'}</h2>
      <input
        aria-label="Webhook URL"
        placeholder="https://receiver.example/hooks/barfinex"
        value={draft.url}
        onChange={(e) => setDraft({ ...draft, url: e.target.value })}
      />
      {fields['url'] ? (
        <p className="field-error" role="alert">
          {fields['url']}
        </p>
      ) : null}
      <div className="row">
        <input
          aria-label="Webhook events"
          placeholder="event names or categories, comma separated"
          value={draft.events}
          onChange={(e) => setDraft({ ...draft, events: e.target.value })}
        />
        <input
          aria-label="Webhook symbols"
          placeholder="symbols (all when empty)"
          value={draft.symbols}
          onChange={(e) => setDraft({ ...draft, symbols: e.target.value })}
        />
        <input
          aria-label="Webhook description"
          placeholder="description"
          value={draft.description}
          onChange={(e) => setDraft({ ...draft, description: e.target.value })}
        />
      </div>
      {fields['events'] ? <p className="field-error">{fields['events']}</p> : null}
      {general ? <ErrorBox error={save.error} /> : null}
      {save.data?.secret ? (
        <p data-testid="webhook-secret">
          Signing secret, shown only now (the receiver checks X-Barfinex-Signature with it):{' '}
          <code className="mono">{save.data.secret}</code>
        </p>
      ) : null}
      <div className="row">
        <button type="submit" {...gate.control(save.isPending || !draft.url || !draft.events)}>
          {editing ? 'Save webhook' : 'Create webhook'}
        </button>
        {editing ? (
          <button type="button" className="ghost" onClick={props.onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}
