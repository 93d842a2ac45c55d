import { useState } from 'react';
import type { FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { authRoutes } from '@barfinex/contracts';
import { needsScope, useCan } from '../../app/access';
import { useLiveEvents } from '../../app/live';
import { useSession } from '../../app/session';
import { useSettings } from '../../app/settings';
import { errorText } from '../../lib/errors';
import { formatTime } from '../../lib/format';

interface Filters {
  tokenId: string;
  operationId: string;
  outcome: '' | 'ok' | 'failed' | 'denied';
}

const LIMIT = 100;

/** The audit trail: every state-changing and every refused request, newest first, with filters and pages. */
export function AuditPage() {
  const { client } = useSession();
  const { timeZone } = useSettings();
  const admin = useCan('admin');
  const [draft, setDraft] = useState<Filters>({ tokenId: '', operationId: '', outcome: '' });
  const [filters, setFilters] = useState<Filters>(draft);
  const [page, setPage] = useState(1);
  const records = useQuery({
    queryKey: ['audit', filters, page],
    queryFn: () =>
      client.request(authRoutes.audit, {
        query: {
          page,
          limit: LIMIT,
          ...(filters.tokenId ? { tokenId: filters.tokenId } : {}),
          ...(filters.operationId ? { operationId: filters.operationId } : {}),
          ...(filters.outcome ? { outcome: filters.outcome } : {}),
        },
      }),
    enabled: admin,
  });
  // New records arrive as events: the first page is read again rather than polled.
  useLiveEvents(['PROVIDER_AUDIT_RECORD'], undefined, () => {
    if (page === 1) void records.refetch();
  });

  if (!admin) return <p className="muted">{`The audit trail ${needsScope('admin')}.`}</p>;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setPage(1);
    setFilters(draft);
  };
  const total = records.data?.total ?? 0;
  return (
    <div className="stack">
      <form className="card row" onSubmit={submit} aria-label="Filter the audit trail">
        <input
          aria-label="Token id"
          placeholder="token id"
          value={draft.tokenId}
          onChange={(e) => setDraft({ ...draft, tokenId: e.target.value })}
        />
        <input
          aria-label="Operation"
          placeholder="operation (placeOrder…)"
          value={draft.operationId}
          onChange={(e) => setDraft({ ...draft, operationId: e.target.value })}
        />
        <select
          aria-label="Outcome"
          value={draft.outcome}
          onChange={(e) => setDraft({ ...draft, outcome: e.target.value as Filters['outcome'] })}
        >
          <option value="">any outcome</option>
          <option value="ok">ok</option>
          <option value="failed">failed</option>
          <option value="denied">denied</option>
        </select>
        <button type="submit">Filter</button>
      </form>
      <section className="card" aria-labelledby="audit-title">
        <h2 id="audit-title">Audit trail</h2>
        {records.error ? <p className="error-box">{errorText(records.error)}</p> : null}
        {records.data?.data.length === 0 ? <p className="muted">No record matches.</p> : null}
        <table data-testid="audit">
          <thead>
            <tr>
              <th>When</th>
              <th>Token</th>
              <th>Route</th>
              <th>Targets</th>
              <th className="num">Status</th>
              <th>Outcome</th>
              <th>Correlation</th>
            </tr>
          </thead>
          <tbody>
            {(records.data?.data ?? []).map((r) => (
              <tr key={r.id} data-outcome={r.outcome}>
                <td className="mono muted">{formatTime(r.at, timeZone)}</td>
                <td>{r.tokenName ?? <span className="muted">no valid token</span>}</td>
                <td className="mono">{r.route}</td>
                <td className="mono muted">
                  {Object.entries(r.targetIds)
                    .map(([k, v]) => `${k}=${v}`)
                    .join(' ')}
                </td>
                <td className="num">{r.status}</td>
                <td className={r.outcome === 'ok' ? 'up' : 'down'}>{r.outcome}</td>
                <td className="mono muted">{r.correlationId ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="row">
          <button type="button" className="ghost" disabled={page <= 1} onClick={() => setPage((p) => p - 1)}>
            Newer
          </button>
          <span className="muted">
            page {page} of {Math.max(1, Math.ceil(total / LIMIT))} · {total} records
          </span>
          <button
            type="button"
            className="ghost"
            disabled={page * LIMIT >= total}
            onClick={() => setPage((p) => p + 1)}
          >
            Older
          </button>
        </div>
      </section>
    </div>
  );
}

export default AuditPage;
