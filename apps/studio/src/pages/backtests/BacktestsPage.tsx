import { useMemo, useRef, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { backtestRoutes } from '@barfinex/contracts';
import type { BacktestDetail, BacktestMetrics, BacktestSummary } from '@barfinex/contracts';
import { useLiveEvents } from '../../app/live';
import { useRouter } from '../../app/router';
import { useSession } from '../../app/session';
import { useSettings } from '../../app/settings';
import { errorText } from '../../lib/errors';
import { formatFixed, formatTime } from '../../lib/format';
import { BacktestForm } from './BacktestForm';
import { EquityChart } from './EquityChart';
import { equityCurve } from './equity';

const METRICS: [keyof BacktestMetrics, string, (v: unknown) => string][] = [
  ['returnPct', 'Return', (v) => `${Number(v).toFixed(2)} %`],
  ['netPnl', 'Net PnL', (v) => formatFixed(v as string, 2)],
  ['trades', 'Trades', String],
  ['winRate', 'Win rate', (v) => `${(Number(v) * 100).toFixed(1)} %`],
  ['maxDrawdownPct', 'Max drawdown', (v) => `${Number(v).toFixed(2)} %`],
  ['sharpe', 'Sharpe', (v) => Number(v).toFixed(2)],
  ['fees', 'Fees', (v) => formatFixed(v as string, 2)],
  ['exposure', 'Exposure', (v) => `${(Number(v) * 100).toFixed(1)} %`],
];

function useDetail(id: string | null) {
  const { client } = useSession();
  return useQuery({
    queryKey: ['backtest', id],
    queryFn: () => client.request(backtestRoutes.backtestGet, { params: { id: id ?? '' } }),
    enabled: id !== null,
  });
}

function Trades({ run }: { run: BacktestDetail }) {
  const { timeZone } = useSettings();
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({
    count: run.trades.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 26,
    overscan: 10,
    getItemKey: (i) => run.trades[i]?.seq ?? i,
  });
  if (run.trades.length === 0) return <p className="muted">No trades in this run.</p>;
  return (
    <div
      ref={scroller}
      className="virtual"
      style={{ height: 300 }}
      tabIndex={0}
      aria-label="Trades"
      data-testid="backtest-trades"
    >
      <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
        {virtual.getVirtualItems().map((item) => {
          const t = run.trades[item.index];
          if (!t) return null;
          return (
            <div
              key={item.key}
              className="vrow"
              style={{
                transform: `translateY(${item.start}px)`,
                height: item.size,
                gridTemplateColumns: '40px 60px 170px 170px 110px 110px 1fr',
              }}
            >
              <span className="num">{t.seq}</span>
              <span className={t.side === 'LONG' ? 'up' : 'down'}>{t.side}</span>
              <span className="mono">{formatTime(t.entryTime, timeZone)}</span>
              <span className="mono">{formatTime(t.exitTime, timeZone)}</span>
              <span className="num">{formatFixed(t.entryPrice, 2)}</span>
              <span className="num">{formatFixed(t.exitPrice, 2)}</span>
              <span className={`num ${Number(t.pnl) >= 0 ? 'up' : 'down'}`}>
                {Number(t.pnl) >= 0 ? '+' : ''}
                {formatFixed(t.pnl, 2)} · {t.exitReason}
              </span>
            </div>
          );
        })}
      </div>
    </div>
  );
}

export function BacktestsPage() {
  const { client } = useSession();
  const { timeZone } = useSettings();
  const queryClient = useQueryClient();
  // `?id=` opens a run started elsewhere (a trial opened from the Optimize page).
  const { search } = useRouter();
  const [selected, setSelected] = useState<string | null>(() => search.get('id'));
  const [compare, setCompare] = useState<string | null>(null);
  const list = useQuery({
    queryKey: ['backtests'],
    queryFn: () => client.request(backtestRoutes.backtestList, { query: { limit: 50 } }),
  });
  const detail = useDetail(selected);
  const other = useDetail(compare);

  useLiveEvents(['PROVIDER_BACKTEST_PROGRESS'], undefined, (env) => {
    const p = env.payload;
    queryClient.setQueryData<BacktestSummary[]>(['backtests'], (old) =>
      old?.map((b) =>
        b.id === p.backtestId
          ? {
              ...b,
              state: p.state,
              processed: p.processed,
              total: p.total,
              progress: p.total ? p.processed / p.total : b.progress,
            }
          : b,
      ),
    );
    if (p.state !== 'running') {
      void queryClient.invalidateQueries({ queryKey: ['backtests'] });
      void queryClient.invalidateQueries({ queryKey: ['backtest', p.backtestId] });
    }
  });

  const runs = useMemo(() => {
    const out: { id: string; points: ReturnType<typeof equityCurve> }[] = [];
    if (detail.data?.state === 'finished')
      out.push({ id: detail.data.id, points: equityCurve(detail.data.initialBalance, detail.data.trades) });
    if (other.data?.state === 'finished')
      out.push({ id: other.data.id, points: equityCurve(other.data.initialBalance, other.data.trades) });
    return out;
  }, [detail.data, other.data]);

  const current = list.data?.find((b) => b.id === selected);
  return (
    <div className="stack">
      <BacktestForm
        onStarted={(run) => {
          queryClient.setQueryData<BacktestSummary[]>(['backtests'], (old) => [run, ...(old ?? [])]);
          setSelected(run.id);
        }}
      />
      <div className="grid" style={{ gridTemplateColumns: 'minmax(300px, 460px) minmax(0, 1fr)' }}>
        <section className="card" aria-labelledby="runs-title">
          <h2 id="runs-title">Runs</h2>
          {list.error ? <p className="error-box">{errorText(list.error)}</p> : null}
          {list.data?.length === 0 ? <p className="muted">No backtest yet: run one above.</p> : null}
          <div className="scroll">
            <table data-testid="backtest-runs">
              {list.data?.length ? (
                <thead>
                  <tr>
                    <th>Run</th>
                    <th>State</th>
                    <th className="num">Return</th>
                    <th>Compare</th>
                  </tr>
                </thead>
              ) : null}
              <tbody>
                {(list.data ?? []).map((b) => (
                  <tr key={b.id} aria-selected={b.id === selected} data-state={b.state}>
                    <td className="wrap">
                      <button
                        type="button"
                        className="ghost"
                        onClick={() => setSelected(b.id)}
                        aria-pressed={b.id === selected}
                      >
                        {b.detector} {b.symbol} {b.interval}
                      </button>
                      <div className="mono muted small">{formatTime(b.createdAt, timeZone)}</div>
                    </td>
                    <td>
                      {b.state === 'running' || b.state === 'queued' ? (
                        <progress max={1} value={b.progress} aria-label="progress" />
                      ) : (
                        b.state
                      )}
                    </td>
                    <td className="num">{b.metrics ? `${b.metrics.returnPct.toFixed(2)} %` : ''}</td>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`compare with ${b.detector} ${b.symbol} ${b.interval}`}
                        checked={compare === b.id}
                        disabled={b.id === selected}
                        onChange={(e) => setCompare(e.target.checked ? b.id : null)}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
        <section className="card stack" aria-labelledby="result-title">
          <h2 id="result-title">Result</h2>
          {!selected ? <p className="muted">Select a run.</p> : null}
          {detail.data ? (
            <p className="mono muted" data-testid="backtest-run">
              {detail.data.detector} {detail.data.symbol} {JSON.stringify(detail.data.params)}
              {typeof detail.data.source['from'] === 'number' && typeof detail.data.source['to'] === 'number'
                ? ` · ${formatTime(detail.data.source['from'], timeZone)} – ${formatTime(detail.data.source['to'], timeZone)}`
                : ''}
            </p>
          ) : null}
          {current && (current.state === 'running' || current.state === 'queued') ? (
            <p>
              Running: {current.processed} of {current.total} bars <progress max={1} value={current.progress} />
            </p>
          ) : null}
          {detail.data?.state === 'failed' ? <p className="error-box">{detail.data.error}</p> : null}
          {detail.data?.metrics ? (
            <table data-testid="backtest-metrics">
              <thead>
                <tr>
                  <th />
                  <th className="num">{detail.data.id.slice(0, 8)}</th>
                  {other.data?.metrics ? <th className="num">{other.data.id.slice(0, 8)}</th> : null}
                </tr>
              </thead>
              <tbody>
                {METRICS.map(([key, label, fmt]) => (
                  <tr key={key}>
                    <td>{label}</td>
                    <td className="num">{fmt(detail.data?.metrics?.[key])}</td>
                    {other.data?.metrics ? <td className="num">{fmt(other.data.metrics[key])}</td> : null}
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {runs.length > 0 ? <EquityChart runs={runs} /> : null}
          {detail.data?.state === 'finished' ? <Trades run={detail.data} /> : null}
        </section>
      </div>
    </div>
  );
}

export default BacktestsPage;
