import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { notifierRoutes } from '@barfinex/contracts';
import { needsScope, useCan, useWriteGate } from '../../app/access';
import { useSession } from '../../app/session';
import { DeliveryLog } from './DeliveryLog';
import { APP_KEY } from './notifier';
import { ErrorBox, RowAction } from './parts';
import { EMPTY_WEBHOOK, WebhookForm } from './WebhookForm';
import type { WebhookDraft } from './WebhookForm';

/**
 * Outbound webhooks: subscribe a URL (its secret shown once), edit, disable or resume a
 * subscription, send a signed test ping, and read each one's delivery log with redelivery.
 */
export function WebhooksPage() {
  const { client } = useSession();
  const canRead = useCan('read');
  const queries = useQueryClient();
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const [editing, setEditing] = useState<WebhookDraft | undefined>(undefined);
  const [pings, setPings] = useState<Record<string, string>>({});
  const updateGate = useWriteGate(notifierRoutes.updateWebhook);
  const pingGate = useWriteGate(notifierRoutes.testWebhook);
  const resumeGate = useWriteGate(notifierRoutes.resumeWebhook);
  const webhooks = useQuery({
    queryKey: ['webhooks'],
    queryFn: () => client.request(notifierRoutes.listWebhooks, { params: { appKey: APP_KEY } }),
    enabled: canRead,
  });
  const current = selected ?? webhooks.data?.items[0]?.id;
  const refresh = () => {
    void queries.invalidateQueries({ queryKey: ['webhooks'] });
    void queries.invalidateQueries({ queryKey: ['webhook-deliveries'] });
  };
  const setEnabled = useMutation({
    mutationFn: (v: { id: string; enabled: boolean }) =>
      client.request(notifierRoutes.updateWebhook, {
        params: { appKey: APP_KEY, id: v.id },
        body: { enabled: v.enabled },
      }),
    onSuccess: refresh,
  });
  const resume = useMutation({
    mutationFn: (id: string) => client.request(notifierRoutes.resumeWebhook, { params: { appKey: APP_KEY, id } }),
    onSuccess: refresh,
  });
  const ping = useMutation({
    mutationFn: (id: string) => client.request(notifierRoutes.testWebhook, { params: { appKey: APP_KEY, id } }),
    onSuccess: (p, id) => {
      const text = p.delivered
        ? `delivered: ${p.responseCode ?? ''} in ${p.latencyMs} ms`
        : `not delivered: ${p.error ?? `HTTP ${p.responseCode ?? '?'}`}`;
      setPings((all) => ({ ...all, [id]: text }));
    },
  });

  if (!canRead) return <p className="muted">{`Webhooks ${needsScope('read')}.`}</p>;
  const failure = webhooks.error ?? setEnabled.error ?? resume.error ?? ping.error;
  const busy = setEnabled.isPending || resume.isPending || ping.isPending;
  return (
    <div className="stack">
      <section className="card" aria-labelledby="webhooks-title">
        <h2 id="webhooks-title">Webhooks</h2>
        <ErrorBox error={failure} />
        {webhooks.data?.items.length === 0 ? <p className="muted">No subscription yet.</p> : null}
        <table data-testid="webhooks">
          <thead>
            <tr>
              <th>URL</th>
              <th>Events</th>
              <th>State</th>
              <th className="num">Failures in a row</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(webhooks.data?.items ?? []).map((w) => (
              <tr key={w.id} aria-selected={w.id === current} onClick={() => setSelected(w.id)}>
                <td className="mono">{w.url}</td>
                <td className="mono muted">
                  {[...w.events, ...(w.symbols.length > 0 ? [`(${w.symbols.join(', ')})`] : [])].join(' ')}
                </td>
                <td className={w.paused || !w.enabled ? 'down' : 'up'}>
                  {!w.enabled ? 'disabled' : w.paused ? `paused: ${w.pausedReason ?? ''}` : 'active'}
                  {pings[w.id] ? <span className="muted">{` · ping ${pings[w.id]}`}</span> : null}
                </td>
                <td className="num">{w.consecutiveFailures}</td>
                <td className="actions" onClick={(e) => e.stopPropagation()}>
                  <RowAction
                    label="Test"
                    target={w.url}
                    gate={pingGate}
                    busy={busy}
                    onClick={() => ping.mutate(w.id)}
                  />
                  <RowAction
                    label="Edit"
                    target={w.url}
                    gate={updateGate}
                    busy={busy}
                    onClick={() =>
                      setEditing({
                        id: w.id,
                        url: w.url,
                        events: w.events.join(', '),
                        symbols: w.symbols.join(', '),
                        description: typeof w['description'] === 'string' ? w['description'] : '',
                      })
                    }
                  />
                  <RowAction
                    label={w.enabled ? 'Disable' : 'Enable'}
                    target={w.url}
                    gate={updateGate}
                    busy={busy}
                    onClick={() => setEnabled.mutate({ id: w.id, enabled: !w.enabled })}
                  />
                  {w.paused ? (
                    <RowAction
                      label="Resume"
                      target={w.url}
                      gate={resumeGate}
                      busy={busy}
                      onClick={() => resume.mutate(w.id)}
                    />
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <WebhookForm
        key={`form-${editing?.id ?? 'new'}`}
        draft={editing ?? EMPTY_WEBHOOK}
        onDone={(id) => {
          setEditing(undefined);
          setSelected(id);
          refresh();
        }}
        onCancel={() => setEditing(undefined)}
      />
      {current ? <DeliveryLog key={`log-${current}`} webhookId={current} /> : null}
    </div>
  );
}

export default WebhooksPage;
