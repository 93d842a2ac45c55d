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
import { FormFooter } from './FormFooter';

type Window = 'inSample' | 'outOfSample';
type Span = { from: number; to: number };
/** A window the trial can run over: its value, its name, its dates when known. */
type Choice = [Window, string, Span | null | undefined];

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
  const span = (s: Span | null | undefined) =>
    s ? ` (${formatTime(s.from, timeZone)} – ${formatTime(s.to, timeZone)})` : '';
  const windows: Choice[] = [
    ['inSample', 'in-sample', fold?.inSample],
    ...(hasOutOfSample ? [['outOfSample', 'out-of-sample', fold?.outOfSample] satisfies Choice] : []),
  ];
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
          {windows.map(([value, label, at]) => (
            <label key={value}>
              <input type="radio" name="trial-window" checked={which === value} onChange={() => setWhich(value)} />{' '}
              {label}
              {span(at)}
            </label>
          ))}
          {fields['window'] ? <p className="field-error">{fields['window']}</p> : null}
        </fieldset>
      </div>
      <FormFooter general={general} submit="Run backtest" pending={open.isPending}>
        <button type="button" className="ghost" onClick={onClose}>
          Close
        </button>
      </FormFooter>
    </form>
  );
}
