import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import { backtestRoutes, platformRoutes } from '@barfinex/contracts';
import { TIME_FRAME_VALUES } from '@barfinex/enums';
import type { TimeFrame } from '@barfinex/enums';
import { useWriteGate } from '../../app/access';
import { useLiveEvents } from '../../app/live';
import { useSession } from '../../app/session';
import { errorText } from '../../lib/errors';

const HOUR = 3_600_000;

/** A replay of stored events, or a candle backfill, started from the event log, with live progress. */
export function Jobs() {
  const { client } = useSession();
  const [replayHours, setReplayHours] = useState('1');
  const [speed, setSpeed] = useState('max');
  const [symbol, setSymbol] = useState('BTCUSDT');
  const [interval, setInterval] = useState<TimeFrame>('min1');
  const [backfillHours, setBackfillHours] = useState('24');
  const [replay, setReplay] = useState<string | null>(null);
  const [backfill, setBackfill] = useState<string | null>(null);

  useLiveEvents(['PROVIDER_REPLAY_PROGRESS', 'PROVIDER_BACKFILL_PROGRESS'], undefined, (env) => {
    if (env.type === 'PROVIDER_REPLAY_PROGRESS') {
      const p = env.payload as { state: string; emitted: number; total?: number };
      setReplay(`${p.state}: ${p.emitted}${p.total ? ` of ${p.total}` : ''} events`);
    } else {
      const p = env.payload as {
        state: string;
        from: number;
        to: number;
        cursor?: number;
        fetched?: number;
        symbol: string;
        interval: string;
      };
      const pct =
        p.cursor !== undefined && p.to > p.from
          ? Math.min(100, Math.round(((p.cursor - p.from) / (p.to - p.from)) * 100))
          : undefined;
      setBackfill(
        `${p.symbol} ${p.interval} ${p.state}${pct !== undefined ? ` ${pct} %` : ''}${p.fetched !== undefined ? `, ${p.fetched} bars` : ''}`,
      );
    }
  });

  // Replay and backfill need `configure`: without it both buttons are disabled, the scope in their title.
  const canReplay = useWriteGate(platformRoutes.replayStart);
  const canBackfill = useWriteGate(backtestRoutes.candleBackfill);
  const startReplay = useMutation({
    mutationFn: () => {
      const to = Date.now();
      return client.request(platformRoutes.replayStart, {
        body: { from: to - Number(replayHours) * HOUR, to, speed: speed === 'max' ? 'max' : Number(speed) },
      });
    },
    onSuccess: (s) => setReplay(`${s.state}`),
  });
  const startBackfill = useMutation({
    mutationFn: () => {
      const to = Date.now();
      return client.request(backtestRoutes.candleBackfill, {
        params: { connectorType: 'sim', marketType: 'spot', symbol, interval },
        body: { from: to - Number(backfillHours) * HOUR, to },
      });
    },
    onSuccess: (s) => setBackfill(`${s.symbol} ${s.interval} ${s.state}`),
  });

  return (
    <div className="grid" style={{ gridTemplateColumns: 'repeat(auto-fit, minmax(380px, 1fr))' }}>
      <form
        className="card row"
        aria-label="Replay stored events"
        onSubmit={(e) => {
          e.preventDefault();
          startReplay.mutate();
        }}
      >
        <strong>Replay</strong>
        <label className="row">
          last{' '}
          <input
            value={replayHours}
            onChange={(e) => setReplayHours(e.target.value)}
            size={3}
            aria-label="Replay hours"
          />{' '}
          h
        </label>
        <label className="row">
          speed <input value={speed} onChange={(e) => setSpeed(e.target.value)} size={4} aria-label="Replay speed" />
        </label>
        <button type="submit" {...canReplay.control(startReplay.isPending)}>
          Start replay
        </button>
        <span className="muted" role="status">
          {startReplay.error ? <span className="field-error">{errorText(startReplay.error)}</span> : replay}
        </span>
      </form>
      <form
        className="card row"
        aria-label="Backfill candles"
        onSubmit={(e) => {
          e.preventDefault();
          startBackfill.mutate();
        }}
      >
        <strong>Backfill</strong>
        <input
          value={symbol}
          onChange={(e) => setSymbol(e.target.value.toUpperCase())}
          size={9}
          aria-label="Backfill symbol"
        />
        <select
          value={interval}
          onChange={(e) => setInterval(e.target.value as TimeFrame)}
          aria-label="Backfill interval"
        >
          {TIME_FRAME_VALUES.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
        <label className="row">
          last{' '}
          <input
            value={backfillHours}
            onChange={(e) => setBackfillHours(e.target.value)}
            size={4}
            aria-label="Backfill hours"
          />{' '}
          h
        </label>
        <button type="submit" {...canBackfill.control(startBackfill.isPending)}>
          Start backfill
        </button>
        <span className="muted" role="status">
          {startBackfill.error ? <span className="field-error">{errorText(startBackfill.error)}</span> : backfill}
        </span>
      </form>
    </div>
  );
}
