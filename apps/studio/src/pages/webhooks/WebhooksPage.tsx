import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { notifierRoutes } from '@barfinex/contracts';
import { needsScope, useCan } from '../../app/access';
import { useSession } from '../../app/session';
import { useSettings } from '../../app/settings';
import { errorText } from '../../lib/errors';
import { formatTime } from '../../lib/format';

/** The notifier registered under this key (`NOTIFIER_APP_KEY`), reached through the provider. */
const APP_KEY = 'notifier';

/**
 * Outbound webhooks: each subscription with its pause reason, and its delivery log (status,
 * attempts, response code, latency, next retry) with redelivery of a delivery under its id.
 */
export function WebhooksPage() {
  const { client } = useSession();
  const { timeZone } = useSettings();
  const canRead = useCan('read');
  const canConfigure = useCan('configure');
  const queries = useQueryClient();
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const webhooks = useQuery({
    queryKey: ['webhooks'],
    queryFn: () => client.request(notifierRoutes.listWebhooks, { params: { appKey: APP_KEY } }),
    enabled: canRead,
  });
  const current = selected ?? webhooks.data?.items[0]?.id;
  const deliveries = useQuery({
    queryKey: ['webhook-deliveries', current],
    queryFn: () =>
      client.request(notifierRoutes.webhookDeliveries, {
        params: { appKey: APP_KEY, id: current ?? '' },
        query: { page: 1, limit: 50 },
      }),
    enabled: canRead && current !== undefined,
    refetchInterval: 5_000,
  });
  const refresh = () => {
    void queries.invalidateQueries({ queryKey: ['webhooks'] });
    void queries.invalidateQueries({ queryKey: ['webhook-deliveries'] });
  };
  const redeliver = useMutation({
    mutationFn: (deliveryId: string) =>
      client.request(notifierRoutes.redeliverWebhook, { params: { appKey: APP_KEY, id: current ?? '', deliveryId } }),
    onSuccess: refresh,
  });
  const resume = useMutation({
    mutationFn: (id: string) => client.request(notifierRoutes.resumeWebhook, { params: { appKey: APP_KEY, id } }),
    onSuccess: refresh,
  });

  if (!canRead) return <p className="muted">{`Webhooks ${needsScope('read')}.`}</p>;
  const failure = webhooks.error ?? redeliver.error ?? resume.error;
  return (
    <div className="stack">
      <section className="card" aria-labelledby="webhooks-title">
        <h2 id="webhooks-title">Webhooks</h2>
        {failure ? <p className="error-box">{errorText(failure)}</p> : null}
        {webhooks.data?.items.length === 0 ? (
          <p className="muted">No subscription yet (POST /api/notifiers/notifier/webhooks).</p>
        ) : null}
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
                </td>
                <td className="num">{w.consecutiveFailures}</td>
                <td>
                  {w.paused && canConfigure ? (
                    <button type="button" className="ghost" onClick={() => resume.mutate(w.id)}>
                      Resume
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {current ? (
        <section className="card" aria-labelledby="deliveries-title">
          <h2 id="deliveries-title">Delivery log</h2>
          {deliveries.error ? <p className="error-box">{errorText(deliveries.error)}</p> : null}
          <table data-testid="webhook-deliveries">
            <thead>
              <tr>
                <th>Queued</th>
                <th>Event</th>
                <th>Status</th>
                <th className="num">Attempts</th>
                <th className="num">Response</th>
                <th className="num">Latency</th>
                <th>Next retry / last error</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {(deliveries.data?.data ?? []).map((d) => (
                <tr key={d.id} data-status={d.status}>
                  <td className="mono muted">{formatTime(d.createdAt, timeZone)}</td>
                  <td className="mono">{d.eventName}</td>
                  <td className={d.status === 'failed' ? 'down' : d.status === 'delivered' ? 'up' : ''}>{d.status}</td>
                  <td className="num">{d.attempts}</td>
                  <td className="num">{d.responseCode ?? '—'}</td>
                  <td className="num">{d.latencyMs === null ? '—' : `${d.latencyMs} ms`}</td>
                  <td className="muted">
                    {d.nextRetryAt !== null ? formatTime(d.nextRetryAt, timeZone) : (d.lastError ?? '')}
                  </td>
                  <td>
                    {d.status !== 'pending' && canConfigure ? (
                      <button type="button" className="ghost" onClick={() => redeliver.mutate(d.id)}>
                        Redeliver
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </div>
  );
}

export default WebhooksPage;
