import { useState } from 'react';
import type { FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { optimizationRoutes } from '@barfinex/contracts';
import type { OptimizationDetail, OptimizationTrial } from '@barfinex/contracts';
import { useRouter } from '../../app/router';
import { useSession } from '../../app/session';
import { useSettings } from '../../app/settings';
import { fieldErrors } from '../../lib/errors';
import { formatTime } from '../../lib/format';

type Window = 'inSample' | 'outOfSample';

/**
 * Opens one search trial as a full backtest: its params on one of the job's symbols over its
 * fold's in-sample window (where it was scored) or that fold's out-of-sample one, then shows the
 * run on the Backtests page.
 */
export function TrialBacktest({
  job,
  trial,
  onClose,
}: {
  job: OptimizationDetail;
  trial: OptimizationTrial;
  onClose: () => void;
}) {
  const { client } = useSession();
  const { timeZone } = useSettings();
  const { navigate } = useRouter();
  const [symbol, setSymbol] = useState(job.symbols[0] ?? '');
  const [which, setWhich] = useState<Window>('inSample');
  const fold = job.result?.folds.find((f) => f.fold === trial.fold);
  const hasOutOfSample = fold ? fold.outOfSample !== null : job.request['walkForward'] !== undefined;
  const open = useMutation({
    mutationFn: () =>
      client.request(optimizationRoutes.optimizationTrialBacktest, {
        params: { id: job.id, fold: String(trial.fold), seq: String(trial.seq) },
        body: { symbol, window: which },
      }),
    onSuccess: (run) => navigate(`/backtests?id=${encodeURIComponent(run.id)}`),
  });
  const { fields, general } = fieldErrors(open.error);
  const span = (s: { from: number; to: number } | null | undefined) =>
    s ? ` (${formatTime(s.from, timeZone)} – ${formatTime(s.to, timeZone)})` : '';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    open.mutate();
  };
  return (
    <form className="card stack" onSubmit={submit} aria-label="Open the trial as a backtest">
      <h3>
        Trial {trial.fold}/{trial.seq} as a backtest <span className="mono muted">{JSON.stringify(trial.params)}</span>
      </h3>
      <div className="row">
        <div className="field">
          <label htmlFor="trial-symbol">Symbol</label>
          {job.symbols.length > 1 ? (
            <select
              id="trial-symbol"
              value={symbol}
              onChange={(e) => setSymbol(e.target.value)}
              aria-invalid={fields['symbol'] ? true : undefined}
            >
              {job.symbols.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          ) : (
            <input id="trial-symbol" value={symbol} readOnly />
          )}
          {fields['symbol'] ? <p className="field-error">{fields['symbol']}</p> : null}
        </div>
        <fieldset className="field">
          <legend>Window</legend>
          <label>
            <input
              type="radio"
              name="trial-window"
              checked={which === 'inSample'}
              onChange={() => setWhich('inSample')}
            />{' '}
            in-sample{span(fold?.inSample)}
          </label>
          {hasOutOfSample ? (
            <label>
              <input
                type="radio"
                name="trial-window"
                checked={which === 'outOfSample'}
                onChange={() => setWhich('outOfSample')}
              />{' '}
              out-of-sample{span(fold?.outOfSample)}
            </label>
          ) : null}
          {fields['window'] ? <p className="field-error">{fields['window']}</p> : null}
        </fieldset>
      </div>
      {general ? (
        <p className="field-error" role="alert">
          {general}
        </p>
      ) : null}
      <div className="row">
        <button type="submit" className="primary" disabled={open.isPending}>
          Run backtest
        </button>
        <button type="button" className="ghost" onClick={onClose}>
          Close
        </button>
      </div>
    </form>
  );
}
