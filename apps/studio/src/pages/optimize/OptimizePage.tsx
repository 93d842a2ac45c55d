import { useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { optimizationRoutes } from '@barfinex/contracts';
import type { OptimizationRequestSchema, OptimizationSummary, OptimizationTrial } from '@barfinex/contracts';
import { useLiveEvents } from '../../app/live';
import { useSession } from '../../app/session';
import { themeColors, useSettings } from '../../app/settings';
import { errorText, fieldErrors } from '../../lib/errors';
import { formatTime } from '../../lib/format';
import { COMPARE, EquityChart } from '../backtests/EquityChart';
import { curvePoints, heatColor, heatmap } from './heatmap';
import { FormFooter } from './FormFooter';
import { TrialBacktest } from './TrialBacktest';

type Body = z.input<typeof OptimizationRequestSchema>;
const OBJECTIVES = ['sharpe', 'sortino', 'calmar', 'profitFactor', 'returnOverMaxDrawdown', 'netProfit'] as const;
const num = (v: number | null | undefined, d = 2) => (v === null || v === undefined ? '–' : v.toFixed(d));

function StartForm({ onStarted }: { onStarted: (job: OptimizationSummary) => void }) {
  const { client } = useSession();
  const detectors = useQuery({
    queryKey: ['research-detectors'],
    queryFn: () => client.request(optimizationRoutes.detectorCatalog, {}),
  });
  const [detector, setDetector] = useState('ema-cross-atr');
  const [symbols, setSymbols] = useState('BTCUSDT');
  const [bars, setBars] = useState('20000');
  const [method, setMethod] = useState<'grid' | 'random' | 'tpe'>('tpe');
  const [trials, setTrials] = useState('60');
  const [seed, setSeed] = useState('1');
  const [objective, setObjective] = useState<(typeof OBJECTIVES)[number]>('sharpe');
  const [folds, setFolds] = useState('3');
  const [space, setSpace] = useState('{"fast":{"min":3,"max":20,"step":1},"slow":{"min":20,"max":80,"step":5}}');
  const [spaceError, setSpaceError] = useState<string | null>(null);
  const start = useMutation({
    mutationFn: (body: Body) => client.request(optimizationRoutes.optimizationCreate, { body }),
    onSuccess: onStarted,
  });
  const { fields, general } = fieldErrors(start.error);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    let parsed: Body['space'];
    try {
      parsed = JSON.parse(space || '{}') as Body['space'];
      setSpaceError(null);
    } catch (err) {
      setSpaceError(`space is not JSON: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    start.mutate({
      detector,
      symbols: symbols
        .split(',')
        .map((s) => s.trim().toUpperCase())
        .filter(Boolean),
      interval: 'min1',
      source: { type: 'synthetic', bars: Number(bars), seed: Number(seed) },
      space: parsed,
      objective,
      search: { method, trials: Number(trials), seed: Number(seed) },
      ...(Number(folds) > 0 ? { walkForward: { mode: 'rolling', folds: Number(folds) } } : {}),
    });
  };
  const input = (id: string, label: string, value: string, set: (v: string) => void, error?: string) => (
    <div className="field">
      <label htmlFor={`opt-${id}`}>{label}</label>
      <input
        id={`opt-${id}`}
        value={value}
        onChange={(e) => set(e.target.value)}
        aria-invalid={error ? true : undefined}
      />
      {error ? <p className="field-error">{error}</p> : null}
    </div>
  );
  return (
    <form className="card stack" onSubmit={submit} aria-label="Start an optimisation">
      <h2>Start an optimisation</h2>
      <div className="grid" style={{ gridTemplateColumns: 'repeat(auto-fit, minmax(140px, 1fr))' }}>
        <div className="field">
          <label htmlFor="opt-detector">Detector</label>
          <select id="opt-detector" value={detector} onChange={(e) => setDetector(e.target.value)}>
            {(detectors.data ?? [{ name: 'ema-cross-atr', origin: 'builtin' }]).map((d) => (
              <option key={d.name} value={d.name}>
                {d.name} {d.origin === 'user' ? '(yours)' : ''}
              </option>
            ))}
          </select>
        </div>
        {input('symbols', 'Symbols', symbols, setSymbols, fields['symbols'])}
        {input('bars', 'Synthetic bars', bars, setBars, fields['source.bars'] ?? fields['bars'])}
        <div className="field">
          <label htmlFor="opt-method">Search</label>
          <select
            id="opt-method"
            value={method}
            onChange={(e) => setMethod(e.target.value as 'grid' | 'random' | 'tpe')}
          >
            <option value="tpe">tpe (model-based)</option>
            <option value="random">random</option>
            <option value="grid">grid</option>
          </select>
        </div>
        {input('trials', 'Trials per fold', trials, setTrials, fields['search.trials'])}
        {input('seed', 'Seed', seed, setSeed)}
        <div className="field">
          <label htmlFor="opt-objective">Objective</label>
          <select
            id="opt-objective"
            value={objective}
            onChange={(e) => setObjective(e.target.value as (typeof OBJECTIVES)[number])}
          >
            {OBJECTIVES.map((o) => (
              <option key={o}>{o}</option>
            ))}
          </select>
        </div>
        {input('folds', 'Walk-forward folds (0: none)', folds, setFolds, fields['walkForward.folds'])}
      </div>
      <div className="field">
        <label htmlFor="opt-space">
          Parameter space (JSON: {'{min,max,step}'}, {'{values}'} or {'{fixed}'} per parameter)
        </label>
        <textarea
          id="opt-space"
          rows={2}
          value={space}
          onChange={(e) => setSpace(e.target.value)}
          aria-invalid={spaceError || fields['space'] ? true : undefined}
        />
        {spaceError || fields['space'] ? <p className="field-error">{spaceError ?? fields['space']}</p> : null}
      </div>
      <FormFooter general={general} submit="Start" pending={start.isPending} />
    </form>
  );
}

function Result({ id }: { id: string }) {
  const { client } = useSession();
  const { theme } = useSettings();
  const detail = useQuery({
    queryKey: ['optimization', id],
    queryFn: () => client.request(optimizationRoutes.optimizationGet, { params: { id }, query: { trials: 5_000 } }),
  });
  const names = useMemo(() => Object.keys(detail.data?.trials[0]?.params ?? {}), [detail.data]);
  const [axes, setAxes] = useState<[string, string] | null>(null);
  const [x, y] = axes ?? [names[0] ?? '', names[1] ?? names[0] ?? ''];
  const map = useMemo(() => heatmap(detail.data?.trials ?? [], x, y), [detail.data, x, y]);
  const [opening, setOpening] = useState<OptimizationTrial | null>(null);
  const runs = useMemo(() => {
    const r = detail.data?.result;
    if (!r) return [];
    return [
      { id: 'OOS', label: 'out-of-sample, stitched', points: curvePoints(r.equity.outOfSample) },
      { id: 'IS', label: 'in-sample, the last fold’s choice', points: curvePoints(r.equity.inSample) },
    ].filter((run) => run.points.length > 0);
  }, [detail.data]);
  if (detail.error) return <p className="error-box">{errorText(detail.error)}</p>;
  const d = detail.data;
  if (!d) return <p className="muted">Loading…</p>;
  const r = d.result;
  return (
    <div className="stack">
      {d.state === 'failed' || d.state === 'cancelled' ? <p className="error-box">{d.error}</p> : null}
      {r ? (
        <div className={r.guard.flagged ? 'error-box' : 'card'} data-testid="optimization-verdict">
          <strong>{r.headlineKind === 'outOfSample' ? 'Stitched out-of-sample' : 'In-sample'}:</strong> score{' '}
          {num(r.headline?.score)} · return {num(r.headline?.returnPct)} % · max drawdown{' '}
          {num(r.headline?.maxDrawdownPct)} % · robustness {num(r.guard.robustness)} · PBO{' '}
          {r.guard.pbo === null ? '–' : `${(r.guard.pbo * 100).toFixed(0)} %`} · deflated Sharpe{' '}
          {num(r.guard.deflatedSharpe)}
          <p>{r.guard.verdict}</p>
          <p className="mono">chosen {JSON.stringify(r.chosen)}</p>
        </div>
      ) : null}
      {runs.length > 0 ? (
        <>
          <EquityChart runs={runs} />
          <p className="row" data-testid="equity-legend">
            {runs.map((run, i) => (
              <span key={run.id} data-run={run.id}>
                <span style={{ color: i === 0 ? themeColors(theme).accent : COMPARE }}>━━</span> {run.label}
              </span>
            ))}
          </p>
        </>
      ) : null}
      {names.length > 0 ? (
        <section aria-label="Heatmap">
          <div className="row">
            <label>
              x{' '}
              <select value={x} onChange={(e) => setAxes([e.target.value, y])}>
                {names.map((n) => (
                  <option key={n}>{n}</option>
                ))}
              </select>
            </label>
            <label>
              y{' '}
              <select value={y} onChange={(e) => setAxes([x, e.target.value])}>
                {names.map((n) => (
                  <option key={n}>{n}</option>
                ))}
              </select>
            </label>
          </div>
          <p className="muted">
            Best in-sample {String(d.objective)} of the trials at each pair: red {num(map.min)} (lowest) to green{' '}
            {num(map.max)} (highest); empty where none ran.
          </p>
          <table className="heatmap" data-testid="optimization-heatmap">
            <tbody>
              {map.ys.map((yv, yi) => (
                <tr key={String(yv)}>
                  <th className="num">{String(yv)}</th>
                  {map.xs.map((xv, xi) => {
                    const v = map.cells[yi]?.[xi] ?? null;
                    return (
                      <td
                        key={String(xv)}
                        title={`${x}=${String(xv)} ${y}=${String(yv)}: ${num(v)}`}
                        style={{ background: heatColor(v, map.min, map.max), minWidth: 18, height: 18 }}
                      />
                    );
                  })}
                </tr>
              ))}
              <tr>
                <th />
                {map.xs.map((xv) => (
                  <th key={String(xv)} className="num" style={{ textAlign: 'center' }}>
                    {String(xv)}
                  </th>
                ))}
              </tr>
            </tbody>
          </table>
        </section>
      ) : null}
      {opening ? (
        <TrialBacktest
          key={`${opening.fold}/${opening.seq}`}
          job={d}
          trial={opening}
          onClose={() => setOpening(null)}
        />
      ) : null}
      <table data-testid="optimization-trials">
        <thead>
          <tr>
            <th>fold</th>
            <th>role</th>
            <th>#</th>
            <th>params</th>
            <th className="num">score</th>
            <th className="num">return %</th>
            <th className="num">trades</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {d.trials.slice(0, 300).map((t) => (
            <tr key={`${t.fold}/${t.role}/${t.seq}`}>
              <td>{t.fold}</td>
              <td>{t.role}</td>
              <td className="num">{t.seq}</td>
              <td className="mono">{JSON.stringify(t.params)}</td>
              <td className="num">{num(t.score.score, 3)}</td>
              <td className="num">{num(t.score.returnPct)}</td>
              <td className="num">{t.score.trades}</td>
              <td>
                {t.role === 'search' ? (
                  <button
                    type="button"
                    className="ghost"
                    aria-label={`Open trial ${t.fold}/${t.seq} as a backtest`}
                    onClick={() => setOpening(t)}
                  >
                    Backtest
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function OptimizePage() {
  const { client } = useSession();
  const { timeZone } = useSettings();
  const queryClient = useQueryClient();
  const [selected, setSelected] = useState<string | null>(null);
  const list = useQuery({
    queryKey: ['optimizations'],
    queryFn: () => client.request(optimizationRoutes.optimizationList, { query: { limit: 50 } }),
  });

  useLiveEvents(['PROVIDER_OPTIMIZATION_PROGRESS'], undefined, (env) => {
    const p = env.payload;
    queryClient.setQueryData<OptimizationSummary[]>(['optimizations'], (old) =>
      old?.map((o) =>
        o.id === p.optimizationId
          ? {
              ...o,
              state: p.state,
              done: p.done,
              total: p.total,
              best: p.best,
              etaMs: p.etaMs,
              progress: p.total ? p.done / p.total : o.progress,
            }
          : o,
      ),
    );
    if (p.state !== 'running') {
      void queryClient.invalidateQueries({ queryKey: ['optimizations'] });
      void queryClient.invalidateQueries({ queryKey: ['optimization', p.optimizationId] });
    }
  });

  return (
    <div className="stack">
      <StartForm
        onStarted={(job) => {
          queryClient.setQueryData<OptimizationSummary[]>(['optimizations'], (old) => [job, ...(old ?? [])]);
          setSelected(job.id);
        }}
      />
      <div className="grid" style={{ gridTemplateColumns: 'minmax(300px, 440px) minmax(0, 1fr)' }}>
        <section className="card" aria-labelledby="jobs-title">
          <h2 id="jobs-title">Jobs</h2>
          {list.error ? <p className="error-box">{errorText(list.error)}</p> : null}
          {list.data?.length === 0 ? <p className="muted">No optimisation yet: start one above.</p> : null}
          <table data-testid="optimization-jobs">
            <tbody>
              {(list.data ?? []).map((o) => (
                <tr key={o.id} aria-selected={o.id === selected} data-state={o.state}>
                  <td style={{ whiteSpace: 'normal' }}>
                    <button
                      type="button"
                      className="ghost"
                      onClick={() => setSelected(o.id)}
                      aria-pressed={o.id === selected}
                    >
                      {o.detector} {o.symbols.join(',')} {o.method}
                    </button>
                    <div className="mono muted">{formatTime(o.createdAt, timeZone)}</div>
                  </td>
                  <td data-testid="job-progress">
                    {o.state === 'running' || o.state === 'queued' ? (
                      <>
                        <progress max={1} value={o.progress} aria-label="progress" /> {o.done}/{o.total}
                        {o.etaMs !== null ? ` · ${Math.round(o.etaMs / 1000)} s left` : ''}
                      </>
                    ) : (
                      o.state
                    )}
                  </td>
                  <td className="num" title="best in-sample score so far">
                    {o.best ? o.best.score.toFixed(3) : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="card stack" aria-labelledby="opt-result-title">
          <h2 id="opt-result-title">Result</h2>
          {selected ? <Result key={selected} id={selected} /> : <p className="muted">Select a job.</p>}
        </section>
      </div>
    </div>
  );
}

export default OptimizePage;
