import { useState } from 'react';
import type { FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { hookRoutes } from '@barfinex/contracts';
import { needsScope, useCan, useWriteGate } from '../../app/access';
import { useSession } from '../../app/session';
import { useSettings } from '../../app/settings';
import { formatTime } from '../../lib/format';
import { ErrorBox, RowAction } from '../webhooks/parts';

/** Copies `text` and says so; the browser may refuse (no clipboard outside a secure context). */
function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState<'copied' | 'refused' | undefined>(undefined);
  const copy = () =>
    void (navigator.clipboard?.writeText(text) ?? Promise.reject(new Error('no clipboard'))).then(
      () => setCopied('copied'),
      () => setCopied('refused'),
    );
  return (
    <>
      <button type="button" className="ghost" aria-label={label} onClick={copy}>
        Copy
      </button>
      {copied ? (
        <span className="muted" role="status">
          {copied === 'copied' ? ' copied' : ' the browser refused; select and copy it'}
        </span>
      ) : null}
    </>
  );
}

/**
 * Inbound signal hooks: create one and copy the URL to paste into a TradingView alert (its secret
 * is shown once), then watch what each hook received: accepted alerts with what became of them,
 * duplicates, and rejections with the reason.
 */
export function HooksPage() {
  const { client } = useSession();
  const { timeZone } = useSettings();
  const canRead = useCan('read');
  const createGate = useWriteGate(hookRoutes.createInboundHook);
  const updateGate = useWriteGate(hookRoutes.updateInboundHook);
  const queries = useQueryClient();
  const [name, setName] = useState('');
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const hooks = useQuery({
    queryKey: ['inbound-hooks'],
    queryFn: () => client.request(hookRoutes.listInboundHooks),
    enabled: canRead,
  });
  const current = selected ?? hooks.data?.items[0]?.id;
  const alerts = useQuery({
    queryKey: ['inbound-hook-alerts', current],
    queryFn: () =>
      client.request(hookRoutes.inboundHookAlerts, {
        params: { hookId: current ?? '' },
        query: { page: 1, limit: 50 },
      }),
    enabled: canRead && current !== undefined,
    refetchInterval: 5_000,
  });
  const create = useMutation({
    mutationFn: (hookName: string) => client.request(hookRoutes.createInboundHook, { body: { name: hookName } }),
    onSuccess: (created) => {
      setName('');
      setSelected(created.id);
      void queries.invalidateQueries({ queryKey: ['inbound-hooks'] });
    },
  });
  const update = useMutation({
    mutationFn: (v: { hookId: string; enabled?: boolean; mode?: 'live' | 'dry-run' }) => {
      const { hookId, ...body } = v;
      return client.request(hookRoutes.updateInboundHook, { params: { hookId }, body });
    },
    onSuccess: () => void queries.invalidateQueries({ queryKey: ['inbound-hooks'] }),
  });

  if (!canRead) return <p className="muted">{`Inbound hooks ${needsScope('read')}.`}</p>;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name) create.mutate(name);
  };
  return (
    <div className="stack">
      <section className="card" aria-labelledby="hooks-title">
        <h2 id="hooks-title">Inbound hooks</h2>
        <ErrorBox error={hooks.error ?? update.error} />
        <form className="row" onSubmit={submit} aria-label="New inbound hook">
          <input
            aria-label="Hook name"
            placeholder="name (tradingview)"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          <button type="submit" {...createGate.control(!name || create.isPending)}>
            Create
          </button>
        </form>
        <ErrorBox error={create.error} />
        {create.data ? (
          <p data-testid="hook-url">
            Paste into the TradingView alert (Notifications → Webhook URL); the secret is shown only now:{' '}
            <code className="mono">{`${window.location.origin}${create.data.urlWithSecret}`}</code>{' '}
            <CopyButton text={`${window.location.origin}${create.data.urlWithSecret}`} label="Copy hook URL" />
          </p>
        ) : null}
        <table data-testid="hooks">
          <thead>
            <tr>
              <th>Name</th>
              <th>Detector</th>
              <th>Default market</th>
              <th>Mode</th>
              <th>URL</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(hooks.data?.items ?? []).map((h) => (
              <tr key={h.id} aria-selected={h.id === current} onClick={() => setSelected(h.id)}>
                <td>{h.name}</td>
                <td className="mono">{h.detectorKey}</td>
                <td>{`${h.connectorType} ${h.marketType}`}</td>
                <td className={h.enabled ? 'up' : 'down'}>{h.enabled ? h.mode : 'disabled'}</td>
                <td className="mono muted">
                  {`${h.url}/<secret ${h.secretHint}>`}{' '}
                  <CopyButton text={`${window.location.origin}${h.url}`} label={`Copy URL of ${h.name}`} />
                </td>
                <td className="actions" onClick={(e) => e.stopPropagation()}>
                  <RowAction
                    label={h.mode === 'live' ? 'Dry run' : 'Go live'}
                    target={h.name}
                    gate={updateGate}
                    busy={update.isPending}
                    onClick={() => update.mutate({ hookId: h.id, mode: h.mode === 'live' ? 'dry-run' : 'live' })}
                  />
                  <RowAction
                    label={h.enabled ? 'Disable' : 'Enable'}
                    target={h.name}
                    gate={updateGate}
                    busy={update.isPending}
                    onClick={() => update.mutate({ hookId: h.id, enabled: !h.enabled })}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {current ? (
        <section className="card" aria-labelledby="alerts-title">
          <h2 id="alerts-title">Recent alerts</h2>
          <ErrorBox error={alerts.error} />
          {alerts.data?.data.length === 0 ? <p className="muted">Nothing received yet.</p> : null}
          <table data-testid="hook-alerts">
            <thead>
              <tr>
                <th>When</th>
                <th>Status</th>
                <th>Outcome or reason</th>
                <th>Correlation</th>
              </tr>
            </thead>
            <tbody>
              {(alerts.data?.data ?? []).map((a) => (
                <tr key={a.id} data-status={a.status}>
                  <td className="mono muted">{formatTime(a.receivedAt, timeZone)}</td>
                  <td className={a.status === 'rejected' ? 'down' : 'up'}>{a.status}</td>
                  <td>{[a.code, a.reason].filter(Boolean).join(': ')}</td>
                  <td className="mono muted">{a.correlationId ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </div>
  );
}

export default HooksPage;
