import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { OrderBook as Book } from '@barfinex/contracts';
import type { ConnectorType, MarketType } from '@barfinex/enums';
import { useLiveEvents } from '../../app/live';
import { useSession } from '../../app/session';
import { decimalsOf, formatFixed } from '../../lib/format';

const DEPTH = 10;

/** The ladder: asks above (best ask lowest), bids below; REST snapshot, then live book events. */
export function OrderBook({
  connectorType,
  marketType,
  symbol,
  tickSize,
  stepSize,
}: {
  connectorType: ConnectorType;
  marketType: MarketType;
  symbol: string;
  tickSize?: string | undefined;
  stepSize?: string | undefined;
}) {
  const { client } = useSession();
  const [live, setLive] = useState<Book | null>(null);
  const snapshot = useQuery({
    queryKey: ['orderbook', connectorType, marketType, symbol],
    queryFn: () => client.market.orderBook({ connectorType, marketType, symbol, depth: DEPTH }),
    enabled: symbol !== '',
  });
  useLiveEvents(['PROVIDER_MARKETDATA_ORDERBOOK'], symbol ? [symbol] : undefined, (env) => {
    if (env.marketType && env.marketType !== marketType) return;
    setLive(env.payload);
  });
  const book = live && live.symbol === symbol ? live : snapshot.data;
  const pd = decimalsOf(tickSize);
  const qd = decimalsOf(stepSize);
  const asks = (book?.asks ?? []).slice(0, DEPTH).reverse();
  const bids = (book?.bids ?? []).slice(0, DEPTH);
  return (
    <section className="card" aria-labelledby="book-title">
      <h2 id="book-title">Order book</h2>
      {!book ? <p className="muted">{snapshot.isLoading ? 'Loading…' : 'No book yet.'}</p> : null}
      {book ? (
        <table className="book" data-testid="order-book">
          <thead>
            <tr>
              <th className="num">Price</th>
              <th className="num">Size</th>
            </tr>
          </thead>
          <tbody>
            {asks.map((l) => (
              <tr key={`a${l.price}`}>
                <td className="num down">{formatFixed(l.price, pd)}</td>
                <td className="num">{formatFixed(l.volume, qd)}</td>
              </tr>
            ))}
            <tr>
              <td colSpan={2} className="muted">
                spread{' '}
                {asks.length && bids.length
                  ? formatFixed(Number(asks[asks.length - 1]?.price) - Number(bids[0]?.price), pd)
                  : '—'}
              </td>
            </tr>
            {bids.map((l) => (
              <tr key={`b${l.price}`}>
                <td className="num up">{formatFixed(l.price, pd)}</td>
                <td className="num">{formatFixed(l.volume, qd)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
