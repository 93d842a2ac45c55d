import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { backtestRoutes } from '@barfinex/contracts';
import type { Candle } from '@barfinex/contracts';
import type { ConnectorType, MarketType, TimeFrame } from '@barfinex/enums';
import { useWriteGate } from '../../app/access';
import { useLiveEvents } from '../../app/live';
import { useSession } from '../../app/session';
import { errorText } from '../../lib/errors';
import { decimalsOf, formatFixed } from '../../lib/format';
import { Positions } from '../overview/Positions';
import { OpenOrders } from './OpenOrders';
import { OrderBook } from './OrderBook';
import { OrderTicket } from './OrderTicket';
import { PriceChart } from './PriceChart';
import { RecentTrades } from './RecentTrades';
import type { ChartHandle } from './PriceChart';

const INTERVALS: readonly TimeFrame[] = ['min1', 'min5', 'min15', 'h1', 'h4', 'day'];
const HISTORY_DAYS: Record<string, number> = { min1: 1, min5: 3, min15: 7, h1: 30, h4: 90, day: 365 };
const MARKETS: readonly MarketType[] = ['spot', 'futures'];

export function MarketPage() {
  const { client } = useSession();
  const connectorType: ConnectorType = 'sim';
  const [marketType, setMarketType] = useState<MarketType>('spot');
  const [symbol, setSymbol] = useState('BTCUSDT');
  const [interval, setInterval] = useState<TimeFrame>('min1');
  const [lastPrice, setLastPrice] = useState<string | undefined>(undefined);
  const chart = useRef<ChartHandle | null>(null);
  const onReady = useCallback((h: ChartHandle | null) => {
    chart.current = h;
  }, []);

  // Older bars paged in as the user scrolls left; reset with the series.
  const [older, setOlder] = useState<{ key: string; bars: Candle[]; exhausted: boolean }>({
    key: '',
    bars: [],
    exhausted: false,
  });
  const seriesKey = `${marketType}/${symbol}/${interval}`;
  const paging = useRef(false);

  const symbols = useQuery({
    queryKey: ['symbols', connectorType, marketType],
    queryFn: () => client.market.symbols({ connectorType, marketType }),
  });
  const instrument = symbols.data?.find((s) => s.symbol === symbol);
  useEffect(() => {
    if (symbols.data?.length && !symbols.data.some((s) => s.symbol === symbol))
      setSymbol(symbols.data[0]?.symbol ?? '');
  }, [symbols.data, symbol]);

  const candles = useQuery({
    queryKey: ['candles', connectorType, marketType, symbol, interval],
    queryFn: () =>
      client.candles.list({ connectorType, marketType, symbol, interval, days: HISTORY_DAYS[interval] ?? 1 }),
    enabled: symbol !== '',
    staleTime: Infinity,
  });
  useEffect(() => {
    const last = candles.data?.[candles.data.length - 1];
    if (last) setLastPrice(last.close);
  }, [candles.data]);

  const olderBars = older.key === seriesKey ? older.bars : [];
  const allCandles = useMemo(() => [...olderBars, ...(candles.data ?? [])], [olderBars, candles.data]);
  const loadOlder = useCallback(async () => {
    const first = allCandles[0];
    if (!first || paging.current || (older.key === seriesKey && older.exhausted)) return;
    paging.current = true;
    try {
      const to = first.time - 1;
      const from = to - (HISTORY_DAYS[interval] ?? 1) * 86_400_000;
      const bars = await client.candles.list({
        connectorType,
        marketType,
        symbol,
        interval,
        from: String(from),
        to: String(to),
      });
      setOlder((o) => {
        const base = o.key === seriesKey ? o.bars : [];
        return { key: seriesKey, bars: [...bars, ...base], exhausted: bars.length === 0 };
      });
    } catch {
      // the next scroll tries again
    } finally {
      paging.current = false;
    }
  }, [allCandles, older, seriesKey, client, connectorType, marketType, symbol, interval]);

  const canBackfill = useWriteGate(backtestRoutes.candleBackfill);
  const backfill = useMutation({
    mutationFn: () =>
      client.request(backtestRoutes.candleBackfill, {
        params: { connectorType, marketType, symbol, interval },
        body: { from: Date.now() - (HISTORY_DAYS[interval] ?? 1) * 86_400_000, to: Date.now() },
      }),
    onSuccess: () => setTimeout(() => void candles.refetch(), 1500),
  });

  useLiveEvents(['PROVIDER_MARKETDATA_CANDLE'], symbol ? [symbol] : undefined, (env) => {
    const c = env.payload as Candle;
    if (c.interval !== interval || c.symbol !== symbol || (env.marketType && env.marketType !== marketType)) return;
    chart.current?.update(c);
    setLastPrice(c.close);
    document.documentElement.dataset['lastBar'] = String(c.time);
    // A measuring hook for tools/bench/studio.ts: called once the update is on screen (next frame).
    const painted = (window as { __studioPainted?: (publishedAt: number) => void }).__studioPainted;
    if (painted) requestAnimationFrame(() => painted(env.timestamp));
  });

  // Your fills and the detectors' signals, as markers on the chart.
  useLiveEvents(['PROVIDER_ORDER_FILL', 'DETECTOR_SIGNAL_GENERATED'], symbol ? [symbol] : undefined, (env) => {
    if (env.type === 'PROVIDER_ORDER_FILL') {
      const f = env.payload as {
        fillId: string;
        symbol: string;
        side: 'BUY' | 'SELL';
        price: string;
        quantity: string;
        time: number;
      };
      if (f.symbol !== symbol || (env.marketType && env.marketType !== marketType)) return;
      chart.current?.mark({
        id: f.fillId,
        time: f.time,
        kind: 'fill',
        side: f.side,
        price: Number(f.price),
        text: `${f.side} ${f.quantity}`,
      });
    } else {
      const sig = env.payload as {
        signalId: string;
        symbol: string;
        direction: string;
        strategy?: string;
        createdAt?: number;
      };
      if (sig.symbol !== symbol) return;
      chart.current?.mark({
        id: sig.signalId,
        time: sig.createdAt ?? env.timestamp,
        kind: 'signal',
        side: sig.direction === 'SHORT' ? 'SELL' : 'BUY',
        text: sig.strategy ?? 'signal',
      });
    }
  });

  const pd = decimalsOf(instrument?.tickSize);
  return (
    <div className="stack">
      <div className="row" role="toolbar" aria-label="Market selection">
        <label className="row">
          <span className="muted">Market</span>
          <select
            value={marketType}
            onChange={(e) => setMarketType(e.target.value as MarketType)}
            aria-label="Market type"
          >
            {MARKETS.map((m) => (
              <option key={m} value={m}>
                {connectorType} / {m}
              </option>
            ))}
          </select>
        </label>
        <label className="row">
          <span className="muted">Symbol</span>
          <select value={symbol} onChange={(e) => setSymbol(e.target.value)} aria-label="Symbol">
            {(symbols.data ?? [{ symbol }]).map((s) => (
              <option key={s.symbol} value={s.symbol}>
                {s.symbol}
              </option>
            ))}
          </select>
        </label>
        <div className="row" role="group" aria-label="Interval">
          {INTERVALS.map((i) => (
            <button key={i} type="button" aria-pressed={interval === i} onClick={() => setInterval(i)}>
              {i}
            </button>
          ))}
        </div>
        <span className="spacer" />
        <span className="num" data-testid="last-price">
          {symbol} {formatFixed(lastPrice, pd)}
        </span>
      </div>
      <div className="grid market-grid">
        <div className="stack">
          <section className="card" aria-label="Price chart">
            {candles.error ? <p className="error-box">{errorText(candles.error)}</p> : null}
            {candles.data && candles.data.length === 0 ? (
              <div className="notice row">
                No candles yet for {symbol} {interval}: live bars appear as the market trades.
                <button type="button" onClick={() => backfill.mutate()} {...canBackfill.control(backfill.isPending)}>
                  Backfill from here
                </button>
                {backfill.error ? <span className="field-error">{errorText(backfill.error)}</span> : null}
              </div>
            ) : null}
            <PriceChart
              series={seriesKey}
              candles={allCandles}
              tickSize={instrument?.tickSize}
              onReady={onReady}
              onNeedOlder={() => void loadOlder()}
            />
          </section>
          <OpenOrders
            connectorType={connectorType}
            marketType={marketType}
            tickSize={instrument?.tickSize}
            stepSize={instrument?.stepSize}
          />
          {marketType === 'futures' ? <Positions connectorType={connectorType} marketType={marketType} /> : null}
        </div>
        <div className="stack">
          <OrderTicket
            connectorType={connectorType}
            marketType={marketType}
            instrument={instrument}
            lastPrice={lastPrice}
          />
          <OrderBook
            connectorType={connectorType}
            marketType={marketType}
            symbol={symbol}
            tickSize={instrument?.tickSize}
            stepSize={instrument?.stepSize}
          />
          <RecentTrades
            symbol={symbol}
            marketType={marketType}
            tickSize={instrument?.tickSize}
            stepSize={instrument?.stepSize}
          />
        </div>
      </div>
    </div>
  );
}

export default MarketPage;
