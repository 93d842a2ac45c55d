import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { notifierRoutes } from '@barfinex/contracts';
import { useWriteGate } from '../../app/access';
import { useSession } from '../../app/session';
import { useSettings } from '../../app/settings';
import { formatTime } from '../../lib/format';
import { APP_KEY } from './notifier';
import { ErrorBox, RowAction } from './parts';

/** One subscription's delivery log (status, attempts, response code, latency, next retry), newest first, with redelivery under the same id. */
export function DeliveryLog({ webhookId }: { webhookId: string }) {
  const { client } = useSession();
  const { timeZone } = useSettings();
  const queries = useQueryClient();
  const gate = useWriteGate(notifierRoutes.redeliverWebhook);
  const deliveries = useQuery({
    queryKey: ['webhook-deliveries', webhookId],
    queryFn: () =>
      client.request(notifierRoutes.webhookDeliveries, {
        params: { appKey: APP_KEY, id: webhookId },
        query: { page: 1, limit: 50 },
      }),
    refetchInterval: 5_000,
  });
  const redeliver = useMutation({
    mutationFn: (deliveryId: string) =>
      client.request(notifierRoutes.redeliverWebhook, { params: { appKey: APP_KEY, id: webhookId, deliveryId } }),
    onSuccess: () => void queries.invalidateQueries({ queryKey: ['webhook-deliveries'] }),
  });
  return (
    <section className="card" aria-labelledby="deliveries-title">
      <h2 id="deliveries-title">Delivery log</h2>
      <ErrorBox error={deliveries.error ?? redeliver.error} />
      {deliveries.data?.data.length === 0 ? <p className="muted">Nothing delivered yet.</p> : null}
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
                {d.nextRetryAt !== null ? `retry ${formatTime(d.nextRetryAt, timeZone)}` : (d.lastError ?? '')}
              </td>
              <td>
                {d.status !== 'pending' ? (
                  <RowAction
                    label="Redeliver"
                    target={d.id}
                    gate={gate}
                    busy={redeliver.isPending}
                    onClick={() => redeliver.mutate(d.id)}
                  />
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
