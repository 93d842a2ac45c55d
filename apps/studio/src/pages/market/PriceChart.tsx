import { useEffect, useRef } from 'react';
import { CandlestickSeries, ColorType, HistogramSeries, createChart, createSeriesMarkers } from 'lightweight-charts';
import type {
  IChartApi,
  ISeriesApi,
  ISeriesMarkersPluginApi,
  SeriesMarker,
  Time,
  UTCTimestamp,
} from 'lightweight-charts';
import type { Candle } from '@barfinex/contracts';
import { formatTime } from '../../lib/format';
import { themeColors, useSettings } from '../../app/settings';

export interface ChartHandle {
  /** Applies one live bar (same time replaces the last bar, a later time appends). */
  update(candle: Candle): void;
  /** A fill (arrow at its price) or a detector's signal (circle above or below the bar). */
  mark(marker: ChartMarker): void;
}

export interface ChartMarker {
  id: string;
  /** Unix ms; the marker lands on the bar that contains it. */
  time: number;
  kind: 'fill' | 'signal';
  side: 'BUY' | 'SELL';
  price?: number;
  text: string;
}

const MAX_MARKERS = 500;

const toTime = (ms: number) => Math.floor(ms / 1000) as UTCTimestamp;

/**
 * Candles with volume in a second pane (lightweight-charts v5: addSeries(CandlestickSeries) and
 * the pane index as third argument; see its "Panes" docs). History goes in with setData once;
 * live bars go through update(), never setData, so the user's zoom and scroll stay put.
 */
export function PriceChart({
  candles,
  tickSize,
  onReady,
  onNeedOlder,
  series,
}: {
  candles: readonly Candle[];
  /** Identifies the series shown (market/symbol/interval): a new one starts at the live edge. */
  series: string;
  tickSize: string | undefined;
  onReady: (handle: ChartHandle | null) => void;
  /** Called when the user scrolls near the oldest bar shown: the page loads the bars before it. */
  onNeedOlder?: () => void;
}) {
  const el = useRef<HTMLDivElement>(null);
  const chartRef = useRef<IChartApi | null>(null);
  const priceRef = useRef<ISeriesApi<'Candlestick'> | null>(null);
  const volumeRef = useRef<ISeriesApi<'Histogram'> | null>(null);
  const lastTime = useRef(0);
  const markersRef = useRef<ISeriesMarkersPluginApi<Time> | null>(null);
  const marks = useRef<ChartMarker[]>([]);
  const barMs = useRef(60_000);
  const scrolled = useRef(false);
  const needOlder = useRef(onNeedOlder);
  needOlder.current = onNeedOlder;
  const { theme, timeZone } = useSettings();
  const colors = themeColors(theme);

  useEffect(() => {
    if (!el.current) return;
    const chart = createChart(el.current, {
      autoSize: true,
      layout: {
        background: { type: ColorType.Solid, color: colors.bg },
        textColor: colors.text,
        panes: { separatorColor: colors.grid },
      },
      grid: { vertLines: { color: colors.grid }, horzLines: { color: colors.grid } },
      timeScale: { timeVisible: true, secondsVisible: false, rightOffset: 4 },
      // A price label at the very top or bottom of a pane would be cut in half: shown whole or not at all.
      rightPriceScale: { entireTextOnly: true },
      localization: { timeFormatter: (t: number) => formatTime(t * 1000, timeZone) },
    });
    const min = tickSize ? Number(tickSize) : 0.01;
    const precision = tickSize ? Math.max(0, (tickSize.split('.')[1] ?? '').replace(/0+$/, '').length) : 2;
    const price = chart.addSeries(CandlestickSeries, {
      upColor: colors.up,
      downColor: colors.down,
      wickUpColor: colors.up,
      wickDownColor: colors.down,
      borderVisible: false,
      priceFormat: { type: 'price', precision, minMove: min },
    });
    const volume = chart.addSeries(
      HistogramSeries,
      { priceFormat: { type: 'volume' }, priceLineVisible: false, lastValueVisible: false },
      1,
    );
    chart.panes()[1]?.setHeight(90);
    // History paging to the left, as lightweight-charts' "infinite history" example does.
    chart.timeScale().subscribeVisibleLogicalRangeChange((range) => {
      if (!range) return;
      const before = price.barsInLogicalRange(range)?.barsBefore;
      if (before !== undefined && before < 10) needOlder.current?.();
    });
    scrolled.current = false;
    markersRef.current = createSeriesMarkers(price, []);
    chartRef.current = chart;
    priceRef.current = price;
    volumeRef.current = volume;
    return () => {
      chart.remove();
      chartRef.current = null;
      markersRef.current = null;
      priceRef.current = null;
      volumeRef.current = null;
    };
  }, [theme, timeZone, tickSize, colors.bg, colors.text, colors.grid, colors.up, colors.down]);

  // Markers snap to the bar that holds them (the chart puts a marker on an existing bar's time).
  const applyMarkers = () => {
    const plugin = markersRef.current;
    if (!plugin) return;
    const list: SeriesMarker<Time>[] = marks.current.map((m) => {
      const time = (Math.floor(m.time / barMs.current) * barMs.current) / 1000;
      const up = m.side === 'BUY';
      return m.kind === 'fill' && m.price !== undefined
        ? {
            id: m.id,
            time: time as UTCTimestamp,
            position: 'atPriceMiddle',
            price: m.price,
            shape: up ? 'arrowUp' : 'arrowDown',
            color: up ? colors.up : colors.down,
            text: m.text,
          }
        : {
            id: m.id,
            time: time as UTCTimestamp,
            position: up ? 'belowBar' : 'aboveBar',
            shape: 'circle',
            color: colors.accent,
            text: m.text,
          };
    });
    plugin.setMarkers(list.sort((x, y) => Number(x.time) - Number(y.time)));
  };

  useEffect(() => {
    scrolled.current = false;
    marks.current = [];
  }, [series]);

  useEffect(() => {
    const price = priceRef.current;
    const volume = volumeRef.current;
    if (!price || !volume) return;
    // Sorted and de-duplicated here: production builds of the chart do not check the order.
    const byTime = new Map<number, Candle>();
    for (const c of candles) byTime.set(toTime(c.time), c);
    const rows = [...byTime.entries()].sort((a, b) => a[0] - b[0]);
    price.setData(
      rows.map(([time, c]) => ({
        time: time as UTCTimestamp,
        open: Number(c.open),
        high: Number(c.high),
        low: Number(c.low),
        close: Number(c.close),
      })),
    );
    volume.setData(
      rows.map(([time, c]) => ({
        time: time as UTCTimestamp,
        value: Number(c.volume),
        color: Number(c.close) >= Number(c.open) ? colors.upA : colors.downA,
      })),
    );
    lastTime.current = rows.length ? (rows[rows.length - 1]?.[0] ?? 0) : 0;
    const a = rows[rows.length - 2]?.[0];
    if (a !== undefined && lastTime.current > a) barMs.current = (lastTime.current - a) * 1000;
    applyMarkers();
    // Jump to the live edge once; later data (older pages) keeps the user's view.
    if (!scrolled.current && rows.length > 0) {
      chartRef.current?.timeScale().scrollToRealTime();
      scrolled.current = true;
    }
  }, [candles, theme, timeZone, tickSize, colors.upA, colors.downA]);

  useEffect(() => {
    onReady({
      update(c) {
        const price = priceRef.current;
        const volume = volumeRef.current;
        if (!price || !volume) return;
        const time = toTime(c.time);
        if (time < lastTime.current) return;
        lastTime.current = time;
        price.update({ time, open: Number(c.open), high: Number(c.high), low: Number(c.low), close: Number(c.close) });
        volume.update({
          time,
          value: Number(c.volume),
          color: Number(c.close) >= Number(c.open) ? colors.upA : colors.downA,
        });
      },
      mark(m) {
        marks.current = [...marks.current.filter((x) => x.id !== m.id), m].slice(-MAX_MARKERS);
        applyMarkers();
      },
    });
    return () => onReady(null);
  }, [onReady, colors.upA, colors.downA]);

  return (
    <div ref={el} className="chart" data-testid="price-chart" role="img" aria-label="Candlestick chart with volume" />
  );
}
