import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { providerRoutes } from '@barfinex/contracts';
import type { Order } from '@barfinex/contracts';
import { FINAL_ORDER_STATUSES } from '@barfinex/enums';
import type { ConnectorType, MarketType } from '@barfinex/enums';
import { useWriteGate } from '../../app/access';
import { useLiveEvents } from '../../app/live';
import { Link } from '../../app/router';
import { useSession } from '../../app/session';
import { useSettings } from '../../app/settings';
import { decimalsOf, formatFixed, formatTime } from '../../lib/format';
import { errorText } from '../../lib/errors';

export const openOrdersKey = (connectorType: string, marketType: string) =>
  ['open-orders', connectorType, marketType] as const;

/** Applies an order event to the open-orders snapshot: a final status removes the row, any other upserts it. */
export function applyOrderEvent(orders: readonly Order[], order: Order): Order[] {
  const rest = orders.filter((o) => o.id !== order.id);
  if (FINAL_ORDER_STATUSES.includes(order.status)) return rest;
  return [order, ...rest];
}

/** Open orders of the connector/market: a REST snapshot, then kept current by order events. */
export function OpenOrders({
  connectorType,
  marketType,
  tickSize,
  stepSize,
}: {
  connectorType: ConnectorType;
  marketType: MarketType;
  tickSize?: string | undefined;
  stepSize?: string | undefined;
}) {
  const { client } = useSession();
  const { timeZone } = useSettings();
  const queryClient = useQueryClient();
  const key = openOrdersKey(connectorType, marketType);
  const orders = useQuery({
    queryKey: key,
    queryFn: async () => (await client.orders.open({ connectorType, marketType }, { limit: 200 })).data,
    // Events keep the list current only while it is shown: one that closed meanwhile must not linger.
    refetchOnMount: 'always',
  });
  useLiveEvents(['PROVIDER_ORDER_CREATE', 'PROVIDER_ORDER_CLOSE'], undefined, (env) => {
    const order = env.payload as Order;
    if (!order || typeof order !== 'object' || !('id' in order)) return;
    if (order.connectorType !== connectorType || order.marketType !== marketType) return;
    queryClient.setQueryData<Order[]>(key, (old) => applyOrderEvent(old ?? [], order));
  });
  // Cancel and replace need `trade`: a read-only token sees them disabled, the scope in their title.
  const canCancel = useWriteGate(providerRoutes.closeOrder);
  const canReplace = useWriteGate(providerRoutes.replaceOrder);
  const cancel = useMutation({
    mutationFn: (id: string) => client.orders.close(id),
    onSuccess: (order) => queryClient.setQueryData<Order[]>(key, (old) => applyOrderEvent(old ?? [], order)),
  });
  const [editing, setEditing] = useState<{ id: string; price: string } | null>(null);
  const replace = useMutation({
    mutationFn: (v: { id: string; price: string }) => client.orders.replace(v.id, { price: v.price }),
    onSuccess: (r) => {
      queryClient.setQueryData<Order[]>(key, (old) => applyOrderEvent(applyOrderEvent(old ?? [], r.canceled), r.order));
      setEditing(null);
    },
  });
  const pd = decimalsOf(tickSize);
  const qd = decimalsOf(stepSize);

  return (
    <section className="card" aria-labelledby={`open-orders-${connectorType}-${marketType}`}>
      <h2 id={`open-orders-${connectorType}-${marketType}`}>
        Open orders · {connectorType}/{marketType}
      </h2>
      {orders.isLoading ? <p className="muted">Loading…</p> : null}
      {orders.error ? <p className="error-box">{errorText(orders.error)}</p> : null}
      {cancel.error ? <p className="error-box">{errorText(cancel.error)}</p> : null}
      {replace.error ? <p className="error-box">{errorText(replace.error)}</p> : null}
      {orders.data && orders.data.length === 0 ? (
        <p className="muted">
          No open orders on {connectorType}/{marketType}.
        </p>
      ) : null}
      {orders.data && orders.data.length > 0 ? (
        <div className="scroll">
          <table data-testid="open-orders">
            <thead>
              <tr>
                <th>Time</th>
                <th>Symbol</th>
                <th>Side</th>
                <th>Type</th>
                <th title="Time in force">TIF</th>
                <th className="num">Price</th>
                <th className="num">Quantity</th>
                <th className="num">Filled</th>
                <th>Status</th>
                <th>Client id</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {orders.data.map((o) => (
                <tr key={o.id} data-order-id={o.id} data-client-order-id={o.clientOrderId ?? ''}>
                  <td className="mono">{formatTime(o.createdAt, timeZone)}</td>
                  <td>{o.symbol}</td>
                  <td className={o.side === 'BUY' ? 'up' : 'down'}>{o.side === 'BUY' ? '▲ BUY' : '▼ SELL'}</td>
                  <td>
                    {o.type}
                    {o.reduceOnly ? (
                      <>
                        {' '}
                        <span className="badge" title="Reduce-only: only shrinks the position">
                          reduce-only
                        </span>
                      </>
                    ) : null}
                  </td>
                  <td>{o.timeInForce ?? '—'}</td>
                  <td className="num">{formatFixed(o.price ?? o.stopPrice, pd)}</td>
                  <td className="num">{formatFixed(o.quantity, qd)}</td>
                  <td className="num">{formatFixed(o.quantityExecuted, qd)}</td>
                  <td>{o.status}</td>
                  <td className="mono muted">
                    <Link
                      to={`/lineage?id=${encodeURIComponent(o.id)}`}
                      className="clip"
                      title={o.clientOrderId ?? o.id}
                    >
                      {o.clientOrderId ?? o.id}
                    </Link>
                  </td>
                  <td>
                    <div className="actions">
                      {editing?.id === o.id ? (
                        <form
                          className="row"
                          onSubmit={(e) => {
                            e.preventDefault();
                            replace.mutate(editing);
                          }}
                        >
                          <input
                            value={editing.price}
                            onChange={(e) => setEditing({ id: o.id, price: e.target.value })}
                            size={10}
                            aria-label={`New price for ${o.clientOrderId ?? o.id}`}
                            autoFocus
                          />
                          <button type="submit" {...canReplace.control(replace.isPending)}>
                            Send
                          </button>
                          <button type="button" className="ghost" onClick={() => setEditing(null)}>
                            ×
                          </button>
                        </form>
                      ) : o.price ? (
                        <button
                          type="button"
                          {...canReplace.control()}
                          onClick={() => setEditing({ id: o.id, price: o.price ?? '' })}
                          aria-label={`Replace order ${o.clientOrderId ?? o.id}`}
                        >
                          Replace
                        </button>
                      ) : null}
                      <button
                        type="button"
                        onClick={() => cancel.mutate(o.id)}
                        {...canCancel.control(cancel.isPending)}
                        aria-label={`Cancel order ${o.clientOrderId ?? o.id}`}
                      >
                        Cancel
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
