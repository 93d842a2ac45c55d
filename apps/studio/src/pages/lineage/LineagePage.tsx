import { useState } from 'react';
import type { FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { isAppError, platformRoutes } from '@barfinex/contracts';
import { Link, useRouter } from '../../app/router';
import { useSession } from '../../app/session';
import { useSettings } from '../../app/settings';
import { inspectorPolicyRoutes } from '../../app/app-routes';
import { errorText } from '../../lib/errors';
import { formatTime } from '../../lib/format';
import { buildTimeline, describe, relatedIds, stageOf, verdictEvents } from './lineage';
import type { LineageEvent } from './lineage';

/**
 * One timeline for an order, signal or correlation id: signal → decision → risk verdict → orders →
 * fills → protective orders → outcome, from the event sink (searched by the id, then by the ids
 * the first events name); each step opens to its stored event.
 */
/** What the event sink accepts as a correlation id (printable ASCII, no spaces). */
const CORRELATION_ID = /^[\x21-\x7e]{1,200}$/;

export function LineagePage() {
  const { client } = useSession();
  const { timeZone } = useSettings();
  const { search, navigate } = useRouter();
  const id = search.get('id') ?? '';
  const [draft, setDraft] = useState(id);

  const chain = useQuery({
    queryKey: ['lineage', id],
    enabled: id !== '',
    queryFn: async () => {
      const find = async (filter: { search: string } | { correlationId: string }): Promise<LineageEvent[]> =>
        (await client.request(platformRoutes.eventsink, { query: { ...filter, limit: 200, includePayload: 'true' } }))
          .data;
      const seeds = new Set([id]);
      try {
        const order = await client.orders.get(id);
        seeds.add(order.id);
        if (order.correlationId) seeds.add(order.correlationId);
      } catch (err) {
        if (!isAppError(err) || err.status !== 404) throw err;
      }
      // An id is looked up as text in the payloads and as a chain's correlation id; then the ids those events name.
      const lookup = (ids: readonly string[]) =>
        Promise.all(
          ids.flatMap((x) => [find({ search: x }), ...(CORRELATION_ID.test(x) ? [find({ correlationId: x })] : [])]),
        ).then((r) => r.flat());
      let events = await lookup([...seeds]);
      const more = relatedIds(events)
        .filter((x) => !seeds.has(x))
        .slice(0, 10);
      events = events.concat(await lookup(more));
      // An allowed entry is not an event: the inspector's verdict (ALLOW, BLOCK, ...) is in its audit log.
      const inspectors = (await client.registry.list({})).filter(
        (a) => a.appType === 'inspector' && a.status === 'registered',
      );
      const audits = await Promise.all(
        inspectors.map((a) =>
          client
            .request(inspectorPolicyRoutes.audit, { params: { appKey: a.appKey }, query: { limit: 500 } })
            .then((r) => ({ appKey: a.appKey, items: r.items }))
            .catch(() => ({ appKey: a.appKey, items: [] })),
        ),
      );
      return buildTimeline(events.concat(audits.flatMap((a) => verdictEvents(a.appKey, a.items, events))));
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (draft.trim()) navigate(`/lineage?id=${encodeURIComponent(draft.trim())}`);
  };

  return (
    <div className="stack">
      <form className="card row" onSubmit={submit} aria-label="Find a trade's lineage">
        <label className="field" style={{ flex: 1 }}>
          <span>Order id, client order id, signal id or correlation id</span>
          <input value={draft} onChange={(e) => setDraft(e.target.value)} />
        </label>
        <button type="submit" className="primary">
          Show lineage
        </button>
      </form>
      {chain.isLoading ? <p className="muted">Loading…</p> : null}
      {chain.error ? <p className="error-box">{errorText(chain.error)}</p> : null}
      {chain.data && chain.data.length === 0 ? <p className="muted">No stored event names {id}.</p> : null}
      {chain.data && chain.data.length > 0 ? (
        <section className="card" aria-labelledby="lineage-title">
          <h2 id="lineage-title">Lineage of {id}</h2>
          <p className="muted">
            Open a step for its stored event;{' '}
            <Link to={`/events?search=${encodeURIComponent(id)}`}>every event naming {id}</Link> in the event log.
          </p>
          <ol className="timeline" data-testid="lineage">
            {chain.data.map((e) => (
              <li key={e.eventId} data-stage={stageOf(e.type)} data-event-type={e.type}>
                <details>
                  <summary>
                    <span className="badge">{stageOf(e.type)}</span>{' '}
                    <span className="mono muted">{formatTime(e.timestamp, timeZone)}</span> <strong>{e.type}</strong>{' '}
                    <span>{describe(e)}</span>
                  </summary>
                  <pre className="mono event-json" data-testid="lineage-event">
                    {JSON.stringify(e, null, 2)}
                  </pre>
                </details>
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </div>
  );
}

export default LineagePage;
