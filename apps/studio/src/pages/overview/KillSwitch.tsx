import { useRef, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useLiveEvents } from '../../app/live';
import { inspectorRoutes } from '../../app/app-routes';
import { useWriteGate } from '../../app/access';
import { useSession } from '../../app/session';
import { errorText } from '../../lib/errors';

/** Trip stops every new entry (and closes positions, per the inspector's policy); reset resumes. Both ask first. */
export function KillSwitch({ appKey }: { appKey: string }) {
  const { client } = useSession();
  const queryClient = useQueryClient();
  const dialog = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  const [mode, setMode] = useState<'trip' | 'reset'>('trip');
  // Tripping and resetting go through the proxy to the inspector's kill switch: `killswitch` (or `trade`).
  const canTrip = useWriteGate(inspectorRoutes.trip);
  const canReset = useWriteGate(inspectorRoutes.reset);
  const key = ['kill-switch', appKey];
  const state = useQuery({
    queryKey: key,
    queryFn: () => client.request(inspectorRoutes.killSwitch, { params: { appKey } }),
  });
  useLiveEvents(['INSPECTOR_RISK_KILL_SWITCH'], undefined, () => void queryClient.invalidateQueries({ queryKey: key }));
  const act = useMutation({
    mutationFn: () =>
      mode === 'trip'
        ? client.request(inspectorRoutes.trip, { params: { appKey }, body: { reason: reason.trim(), actor: 'studio' } })
        : client.request(inspectorRoutes.reset, { params: { appKey }, body: { actor: 'studio' } }),
    onSuccess: (s) => {
      queryClient.setQueryData(key, s);
      dialog.current?.close();
      setReason('');
    },
  });
  const active = state.data?.active === true;
  const open = (m: 'trip' | 'reset') => {
    setMode(m);
    act.reset();
    dialog.current?.showModal();
  };
  return (
    <section className="card stack" aria-labelledby="ks-title" data-testid="kill-switch" data-active={String(active)}>
      <h2 id="ks-title">Kill switch · {appKey}</h2>
      {state.error ? <p className="error-box">{errorText(state.error)}</p> : null}
      <p>
        {active ? <span className="badge bad">ENGAGED</span> : <span className="badge ok">off</span>}{' '}
        {state.data?.reason ? <span className="muted">{state.data.reason}</span> : null}
      </p>
      <div className="row">
        {active ? (
          <button type="button" onClick={() => open('reset')} {...canReset.control()}>
            Reset kill switch…
          </button>
        ) : (
          <button type="button" className="danger" onClick={() => open('trip')} {...canTrip.control()}>
            Trip kill switch…
          </button>
        )}
      </div>
      <dialog ref={dialog} aria-labelledby="ks-dialog-title" onClose={() => act.reset()}>
        <form
          className="stack"
          method="dialog"
          onSubmit={(e) => {
            e.preventDefault();
            act.mutate();
          }}
        >
          <h2 id="ks-dialog-title">{mode === 'trip' ? 'Trip the kill switch?' : 'Reset the kill switch?'}</h2>
          <p>
            {mode === 'trip'
              ? `The inspector "${appKey}" stops every new entry until someone resets it.`
              : `The inspector "${appKey}" accepts entries again and re-bases its peak equity.`}
          </p>
          {mode === 'trip' ? (
            <div className="field">
              <label htmlFor="ks-reason">Reason (recorded in the audit log)</label>
              <input id="ks-reason" value={reason} onChange={(e) => setReason(e.target.value)} required />
            </div>
          ) : null}
          {act.error ? <p className="field-error">{errorText(act.error)}</p> : null}
          <div className="row">
            <button type="button" autoFocus onClick={() => dialog.current?.close()}>
              Cancel
            </button>
            <button
              type="submit"
              className={mode === 'trip' ? 'danger' : 'primary'}
              disabled={act.isPending || (mode === 'trip' && reason.trim() === '')}
            >
              {mode === 'trip' ? 'Trip' : 'Reset'}
            </button>
          </div>
        </form>
      </dialog>
    </section>
  );
}
