import { useState } from 'react';
import type { Trade } from '@barfinex/contracts';
import type { MarketType } from '@barfinex/enums';
import { useLiveEvents } from '../../app/live';
import { useSettings } from '../../app/settings';
import { decimalsOf, formatFixed, formatTime } from '../../lib/format';

const KEEP = 30;

/** The symbol's latest public trades, live (the aggressor's side as ▲ buy / ▼ sell). */
export function RecentTrades({
  symbol,
  marketType,
  tickSize,
  stepSize,
}: {
  symbol: string;
  marketType: MarketType;
  tickSize?: string | undefined;
  stepSize?: string | undefined;
}) {
  const { timeZone } = useSettings();
  const [trades, setTrades] = useState<(Trade & { key: string })[]>([]);
  useLiveEvents(['PROVIDER_MARKETDATA_TRADE'], symbol ? [symbol] : undefined, (env) => {
    if ((env.marketType && env.marketType !== marketType) || env.payload.symbol !== symbol) return;
    setTrades((t) => [{ ...env.payload, key: env.eventId }, ...t].slice(0, KEEP));
  });
  const pd = decimalsOf(tickSize);
  const qd = decimalsOf(stepSize);
  return (
    <section className="card" aria-labelledby="trades-title">
      <h2 id="trades-title">Recent trades</h2>
      {trades.length === 0 ? <p className="muted">Waiting for trades…</p> : null}
      <table className="book" data-testid="recent-trades">
        <tbody>
          {trades.map((t) => (
            <tr key={t.key}>
              <td className={`num ${t.side === 'LONG' ? 'up' : 'down'}`}>
                {t.side === 'LONG' ? '▲' : '▼'} {formatFixed(t.price, pd)}
              </td>
              <td className="num">{formatFixed(t.volume, qd)}</td>
              <td className="mono muted">{formatTime(t.time, timeZone, false)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
