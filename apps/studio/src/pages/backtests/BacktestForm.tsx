import { useState } from 'react';
import type { FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import type { z } from 'zod';
import { backtestRoutes } from '@barfinex/contracts';
import type { BacktestRequestSchema, BacktestSummary } from '@barfinex/contracts';
import { TIME_FRAME_VALUES } from '@barfinex/enums';
import type { TimeFrame } from '@barfinex/enums';
import { useWriteGate } from '../../app/access';
import { useSession } from '../../app/session';
import { fieldErrors } from '../../lib/errors';

type Body = z.input<typeof BacktestRequestSchema>;

/** Detector, symbol, interval, candles (synthetic or stored), params, fees and sizing; the provider validates. */
export function BacktestForm({ onStarted }: { onStarted: (run: BacktestSummary) => void }) {
  const { client } = useSession();
  const [detector, setDetector] = useState('ema-cross');
  const [symbol, setSymbol] = useState('BTCUSDT');
  const [interval, setInterval] = useState<TimeFrame>('min1');
  const [source, setSource] = useState<'synthetic' | 'stored'>('synthetic');
  const [bars, setBars] = useState('3000');
  const [seed, setSeed] = useState('7');
  const [days, setDays] = useState('7');
  const [balance, setBalance] = useState('10000');
  const [percent, setPercent] = useState('10');
  const [taker, setTaker] = useState('0.0005');
  const [params, setParams] = useState('{}');
  const [paramsError, setParamsError] = useState<string | null>(null);

  const canRun = useWriteGate(backtestRoutes.backtestCreate);
  const run = useMutation({
    mutationFn: (body: Body) => client.request(backtestRoutes.backtestCreate, { body }),
    onSuccess: onStarted,
  });
  const { fields, general } = fieldErrors(run.error);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(params || '{}') as Record<string, unknown>;
      setParamsError(null);
    } catch (err) {
      setParamsError(`params is not JSON: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    const now = Date.now();
    run.mutate({
      detector,
      symbol,
      interval,
      params: parsed,
      source:
        source === 'synthetic'
          ? { type: 'synthetic', bars: Number(bars), seed: Number(seed), startPrice: 100, drift: 0, volatility: 0.01 }
          : {
              type: 'stored',
              connectorType: 'sim',
              marketType: 'spot',
              from: now - Number(days) * 86_400_000,
              to: now,
            },
      initialBalance: balance,
      positionSizing: { mode: 'percent', percent: Number(percent) },
      fees: { maker: '0.0002', taker },
    });
  };

  const field = (id: string, label: string, value: string, set: (v: string) => void, error?: string) => (
    <div className="field">
      <label htmlFor={`bt-${id}`}>{label}</label>
      <input
        id={`bt-${id}`}
        value={value}
        onChange={(e) => set(e.target.value)}
        aria-invalid={error ? true : undefined}
      />
      {error ? <p className="field-error">{error}</p> : null}
    </div>
  );

  return (
    <form className="card stack" onSubmit={submit} aria-label="Run a backtest">
      <h2>Run a backtest</h2>
      <div className="grid" style={{ gridTemplateColumns: 'repeat(auto-fit, minmax(140px, 1fr))' }}>
        {field('detector', 'Detector', detector, setDetector, fields['detector'])}
        {field('symbol', 'Symbol', symbol, (v) => setSymbol(v.toUpperCase()), fields['symbol'])}
        <div className="field">
          <label htmlFor="bt-interval">Interval</label>
          <select id="bt-interval" value={interval} onChange={(e) => setInterval(e.target.value as TimeFrame)}>
            {TIME_FRAME_VALUES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="bt-source">Candles</label>
          <select id="bt-source" value={source} onChange={(e) => setSource(e.target.value as 'synthetic' | 'stored')}>
            <option value="synthetic" title="synthetic candles generated from the Seed field">
              synthetic
            </option>
            <option value="stored">stored (sim spot)</option>
          </select>
        </div>
        {source === 'synthetic'
          ? field('bars', 'Bars', bars, setBars, fields['bars'])
          : field('days', 'Days back', days, setDays, fields['from'])}
        {source === 'synthetic' ? field('seed', 'Seed', seed, setSeed, fields['seed']) : null}
        {field('balance', 'Initial balance', balance, setBalance, fields['initialBalance'])}
        {field('percent', 'Size (% of equity)', percent, setPercent, fields['percent'])}
        {field('taker', 'Taker fee', taker, setTaker, fields['taker'])}
      </div>
      <div className="field">
        <label htmlFor="bt-params">Detector params (JSON)</label>
        <textarea
          id="bt-params"
          rows={2}
          value={params}
          onChange={(e) => setParams(e.target.value)}
          aria-invalid={paramsError || fields['params'] ? true : undefined}
        />
        {paramsError || fields['params'] ? <p className="field-error">{paramsError ?? fields['params']}</p> : null}
      </div>
      {general ? (
        <p className="field-error" role="alert">
          {general}
        </p>
      ) : null}
      <div className="row">
        <button type="submit" className="primary" {...canRun.control(run.isPending)}>
          Run backtest
        </button>
      </div>
    </form>
  );
}
