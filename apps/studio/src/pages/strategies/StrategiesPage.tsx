import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { RiskPoliciesInputSchema } from '@barfinex/contracts';
import { advisorAppRoutes, detectorAppRoutes, inspectorPolicyRoutes } from '../../app/app-routes';
import { useWriteGate } from '../../app/access';
import { useLiveEvents } from '../../app/live';
import { useSession } from '../../app/session';
import { useSettings } from '../../app/settings';
import { errorText } from '../../lib/errors';
import { formatTime } from '../../lib/format';
import { DetectorCard } from './DetectorCard';

function Detectors({ appKey }: { appKey: string }) {
  const { client } = useSession();
  const list = useQuery({
    queryKey: ['detectors', appKey],
    queryFn: () => client.request(detectorAppRoutes.list, { params: { appKey } }),
  });
  if (list.error) return <p className="error-box">{errorText(list.error)}</p>;
  if (!list.data) return <p className="muted">Loading detectors of {appKey}…</p>;
  if (list.data.items.length === 0) return <p className="muted">{appKey} hosts no detector.</p>;
  return (
    <>
      {list.data.items.map((d) => (
        <DetectorCard key={d.name} appKey={appKey} detector={d} />
      ))}
    </>
  );
}

/** The inspector's risk policies, edited as JSON and checked with the contracts' schema before sending. */
function Policies({ appKey }: { appKey: string }) {
  const { client } = useSession();
  const { timeZone } = useSettings();
  const queryClient = useQueryClient();
  const policies = useQuery({
    queryKey: ['policies', appKey],
    queryFn: () => client.request(inspectorPolicyRoutes.policies, { params: { appKey } }),
  });
  const audit = useQuery({
    queryKey: ['audit', appKey],
    queryFn: () => client.request(inspectorPolicyRoutes.audit, { params: { appKey }, query: { limit: 20 } }),
  });
  const canSave = useWriteGate(inspectorPolicyRoutes.setPolicies);
  const [draft, setDraft] = useState<string | null>(null);
  const [issues, setIssues] = useState<string[]>([]);
  const save = useMutation({
    mutationFn: (body: unknown) =>
      client.request(inspectorPolicyRoutes.setPolicies, { params: { appKey }, body: body as never }),
    onSuccess: (saved) => {
      queryClient.setQueryData(['policies', appKey], saved);
      setDraft(null);
      void queryClient.invalidateQueries({ queryKey: ['audit', appKey] });
    },
  });
  const text = draft ?? (policies.data ? JSON.stringify(policies.data.policies, null, 2) : '');
  const submit = () => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      setIssues([`not JSON: ${err instanceof Error ? err.message : String(err)}`]);
      return;
    }
    const check = RiskPoliciesInputSchema.safeParse(parsed);
    if (!check.success) {
      setIssues(check.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
      return;
    }
    setIssues([]);
    save.mutate(parsed);
  };
  return (
    <section className="card stack" aria-labelledby={`pol-${appKey}`}>
      <h2 id={`pol-${appKey}`}>Risk policies · {appKey}</h2>
      {policies.error ? <p className="error-box">{errorText(policies.error)}</p> : null}
      <p className="muted">Version {policies.data?.version ?? '—'}; checked with the same schema the inspector uses.</p>
      <textarea
        rows={12}
        className="mono"
        value={text}
        onChange={(e) => setDraft(e.target.value)}
        aria-label="Risk policies (JSON)"
        aria-invalid={issues.length ? true : undefined}
      />
      {issues.map((i) => (
        <p key={i} className="field-error">
          {i}
        </p>
      ))}
      {save.error ? <p className="field-error">{errorText(save.error)}</p> : null}
      <div className="row">
        <button
          type="button"
          className="primary"
          onClick={submit}
          {...canSave.control(save.isPending || draft === null)}
        >
          Save policies
        </button>
      </div>
      <h2>Audit log</h2>
      {audit.data?.items.length === 0 ? <p className="muted">No audit entry yet.</p> : null}
      <table>
        <tbody>
          {(audit.data?.items ?? []).map((a, i) => (
            <tr key={String(a['id'] ?? i)}>
              <td className="mono">
                {typeof a['at'] === 'number'
                  ? formatTime(a['at'], timeZone)
                  : typeof a['createdAt'] === 'number'
                    ? formatTime(a['createdAt'], timeZone)
                    : ''}
              </td>
              <td>{String(a['action'] ?? a['type'] ?? '')}</td>
              <td className="mono muted">{JSON.stringify(a).slice(0, 160)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Advisor({ appKey }: { appKey: string }) {
  const { client } = useSession();
  const config = useQuery({
    queryKey: ['advisor-config', appKey],
    queryFn: () => client.request(advisorAppRoutes.pipelineConfig, { params: { appKey } }),
  });
  return (
    <section className="card stack" aria-labelledby={`adv-${appKey}`}>
      <h2 id={`adv-${appKey}`}>Advisor pipeline · {appKey}</h2>
      {config.error ? <p className="error-box">{errorText(config.error)}</p> : null}
      <pre className="mono event-json">{config.data ? JSON.stringify(config.data, null, 2) : 'Loading…'}</pre>
    </section>
  );
}

export function StrategiesPage() {
  const { client } = useSession();
  const { timeZone } = useSettings();
  const apps = useQuery({ queryKey: ['registry'], queryFn: () => client.registry.list({ includeInactive: 'true' }) });
  const [signals, setSignals] = useState<
    { id: string; type: string; symbol?: string | undefined; at: number; text: string }[]
  >([]);
  useLiveEvents(
    ['DETECTOR_SIGNAL_GENERATED', 'DETECTOR_SIGNAL_UPDATED', 'DETECTOR_SIGNAL_INVALIDATED'],
    undefined,
    (env) => {
      setSignals((s) =>
        [
          {
            id: env.eventId,
            type: env.type,
            symbol: env.symbol,
            at: env.timestamp,
            text: JSON.stringify(env.payload).slice(0, 160),
          },
          ...s,
        ].slice(0, 100),
      );
    },
  );
  const of = (type: string) => (apps.data ?? []).filter((a) => a.appType === type && a.status === 'registered');
  return (
    <div className="grid overview-grid">
      {apps.error ? <p className="error-box">{errorText(apps.error)}</p> : null}
      {of('detector').map((a) => (
        <Detectors key={a.appKey} appKey={a.appKey} />
      ))}
      <section className="card" aria-labelledby="sig-title">
        <h2 id="sig-title">Live signals</h2>
        {signals.length === 0 ? <p className="muted">Waiting for signals…</p> : null}
        <table>
          <tbody>
            {signals.map((s) => (
              <tr key={s.id}>
                <td className="mono">{formatTime(s.at, timeZone, false)}</td>
                <td>{s.type.replace('DETECTOR_SIGNAL_', '')}</td>
                <td>{s.symbol ?? ''}</td>
                <td className="mono muted">{s.text}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {of('advisor').map((a) => (
        <Advisor key={a.appKey} appKey={a.appKey} />
      ))}
      {of('inspector').map((a) => (
        <Policies key={a.appKey} appKey={a.appKey} />
      ))}
    </div>
  );
}

export default StrategiesPage;
