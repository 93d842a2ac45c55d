import { useState } from 'react';
import type { FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useWriteGate } from '../../app/access';
import { detectorAppRoutes } from '../../app/app-routes';
import type { DetectorItem } from '../../app/app-routes';
import { useSession } from '../../app/session';
import { errorText, fieldErrors } from '../../lib/errors';
import { fieldsOf, readForm } from './schema-form';

/** One detector: status, counters, enable/disable, and its params form generated from its JSON Schema. */
export function DetectorCard({ appKey, detector }: { appKey: string; detector: DetectorItem }) {
  const { client } = useSession();
  const queryClient = useQueryClient();
  const fields = fieldsOf(detector.paramsSchema);
  const [text, setText] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      fields.map((f) => [f.name, detector.params[f.name] === undefined ? '' : String(detector.params[f.name])]),
    ),
  );
  const [local, setLocal] = useState<Record<string, string>>({});
  const canSave = useWriteGate(detectorAppRoutes.setParams);
  const canToggle = useWriteGate(detectorAppRoutes.setEnabled);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['detectors', appKey] });
  const save = useMutation({
    mutationFn: (params: Record<string, unknown>) =>
      client.request(detectorAppRoutes.setParams, { params: { appKey, name: detector.name }, body: params }),
    onSuccess: refresh,
  });
  const toggle = useMutation({
    mutationFn: (enabled: boolean) =>
      client.request(detectorAppRoutes.setEnabled, { params: { appKey, name: detector.name }, body: { enabled } }),
    onSuccess: refresh,
  });
  const remote = fieldErrors(save.error);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const { values, errors } = readForm(fields, text);
    setLocal(errors);
    if (Object.keys(errors).length === 0) save.mutate(values);
  };

  return (
    <section className="card stack" aria-label={`Detector ${detector.name}`} data-testid={`detector-${detector.name}`}>
      <h2>
        {detector.name} <span className="muted">{detector.version}</span>
      </h2>
      <p className="row">
        <span className={`badge ${detector.status === 'active' ? 'ok' : 'bad'}`}>{detector.status}</span>
        <span className="muted">{detector.description}</span>
        <span className="muted">{detector.timeframes?.join(', ')}</span>
      </p>
      <p className="row muted num">
        {Object.entries(detector.stats ?? {}).map(([k, v]) => (
          <span key={k}>
            {k} {v}
          </span>
        ))}
      </p>
      <form className="stack" onSubmit={submit} aria-label={`Params of ${detector.name}`}>
        <div className="grid" style={{ gridTemplateColumns: 'repeat(auto-fit, minmax(120px, 1fr))' }}>
          {fields.map((f) => {
            const id = `p-${detector.name}-${f.name}`;
            const error = local[f.name] ?? remote.fields[f.name];
            return (
              <div className="field" key={f.name}>
                <label htmlFor={id}>{f.name}</label>
                {f.type === 'boolean' || f.type === 'enum' ? (
                  <select
                    id={id}
                    value={text[f.name] ?? ''}
                    onChange={(e) => setText({ ...text, [f.name]: e.target.value })}
                  >
                    {(f.type === 'boolean' ? ['true', 'false'] : (f.options ?? [])).map((o) => (
                      <option key={o}>{o}</option>
                    ))}
                  </select>
                ) : (
                  <input
                    id={id}
                    inputMode={f.type === 'string' ? 'text' : 'decimal'}
                    value={text[f.name] ?? ''}
                    onChange={(e) => setText({ ...text, [f.name]: e.target.value })}
                    aria-invalid={error ? true : undefined}
                    title={f.description}
                  />
                )}
                {error ? <p className="field-error">{error}</p> : null}
              </div>
            );
          })}
        </div>
        {remote.general ? <p className="field-error">{remote.general}</p> : null}
        {toggle.error ? <p className="field-error">{errorText(toggle.error)}</p> : null}
        <div className="row">
          <button type="submit" className="primary" {...canSave.control(save.isPending || fields.length === 0)}>
            Save params
          </button>
          <button
            type="button"
            onClick={() => toggle.mutate(!detector.enabled)}
            {...canToggle.control(toggle.isPending)}
          >
            {detector.enabled ? 'Disable' : 'Enable'}
          </button>
          {save.isSuccess ? <span className="muted">saved</span> : null}
        </div>
      </form>
    </section>
  );
}
