import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ConnectorType, MarketType } from '@barfinex/enums';
import { useLiveEvents } from '../../app/live';
import { useSession } from '../../app/session';
import { errorText } from '../../lib/errors';
import { formatFixed } from '../../lib/format';

/** Open positions of one connector/market with unrealized PnL; refreshed by account and fill events. */
export function Positions({ connectorType, marketType }: { connectorType: ConnectorType; marketType: MarketType }) {
  const { client } = useSession();
  const queryClient = useQueryClient();
  const key = ['assets', connectorType, marketType];
  const assets = useQuery({ queryKey: key, queryFn: () => client.accounts.assets({ connectorType, marketType }) });
  useLiveEvents(
    ['PROVIDER_ACCOUNT_EVENT', 'PROVIDER_ORDER_FILL'],
    undefined,
    () => void queryClient.invalidateQueries({ queryKey: key }),
  );
  const positions = assets.data?.positions ?? [];
  return (
    <section className="card" aria-label={`Positions ${connectorType}/${marketType}`}>
      <h2>
        Positions · {connectorType}/{marketType}
      </h2>
      {assets.error ? <p className="error-box">{errorText(assets.error)}</p> : null}
      {assets.data && positions.length === 0 ? <p className="muted">No open position.</p> : null}
      {positions.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th>Symbol</th>
              <th>Side</th>
              <th className="num">Quantity</th>
              <th className="num">Entry</th>
              <th className="num">Mark</th>
              <th className="num">Unrealized PnL</th>
            </tr>
          </thead>
          <tbody>
            {positions.map((p) => (
              <tr key={`${p.symbol}-${p.side}`}>
                <td>{p.symbol}</td>
                <td className={p.side === 'LONG' ? 'up' : 'down'}>{p.side === 'LONG' ? '▲ LONG' : '▼ SHORT'}</td>
                <td className="num">{p.quantity}</td>
                <td className="num">{formatFixed(p.entryPrice, 2)}</td>
                <td className="num">{formatFixed(p.markPrice ?? p.lastPrice, 2)}</td>
                <td className={`num ${Number(p.unrealizedPnl ?? 0) >= 0 ? 'up' : 'down'}`}>
                  {formatFixed(p.unrealizedPnl, 2)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
