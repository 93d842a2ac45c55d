import { useEffect, useRef } from 'react';
import { AreaSeries, ColorType, LineSeries, createChart } from 'lightweight-charts';
import type { UTCTimestamp } from 'lightweight-charts';
import { themeColors, useSettings } from '../../app/settings';
import { formatTime } from '../../lib/format';
import type { EquityPoint } from './equity';

/** The colour of the second run's line. */
export const COMPARE = '#f0b429';

/** Equity (one line per run) above, the first run's drawdown below, in two panes. */
export function EquityChart({ runs }: { runs: readonly { id: string; points: readonly EquityPoint[] }[] }) {
  const el = useRef<HTMLDivElement>(null);
  const { theme, timeZone } = useSettings();
  useEffect(() => {
    if (!el.current) return;
    const colors = themeColors(theme);
    const chart = createChart(el.current, {
      autoSize: true,
      layout: {
        background: { type: ColorType.Solid, color: colors.bg },
        textColor: colors.text,
        panes: { separatorColor: colors.grid },
      },
      grid: { vertLines: { color: colors.grid }, horzLines: { color: colors.grid } },
      // A finished run's curve has nothing before its first point or after its last: with both
      // edges fixed the time axis also shifts its edge labels inside the chart instead of cutting
      // them in half (lightweight-charts aligns a label only at an edge the view cannot pass).
      timeScale: { timeVisible: true, fixLeftEdge: true, fixRightEdge: true },
      // A price label at the very top or bottom of a pane would be cut in half: shown whole or not at all.
      rightPriceScale: { entireTextOnly: true },
      localization: { timeFormatter: (t: number) => formatTime(t * 1000, timeZone) },
    });
    runs.forEach((run, i) => {
      const line = chart.addSeries(LineSeries, {
        color: i === 0 ? colors.accent : COMPARE,
        lineWidth: 2,
        title: `equity ${run.id.slice(0, 8)}`,
      });
      line.setData(run.points.map((p) => ({ time: p.time as UTCTimestamp, value: p.equity })));
    });
    const first = runs[0];
    if (first) {
      const dd = chart.addSeries(
        AreaSeries,
        {
          lineColor: colors.down,
          topColor: colors.downA,
          bottomColor: colors.downA,
          lineWidth: 1,
          title: 'drawdown %',
        },
        1,
      );
      dd.setData(first.points.map((p) => ({ time: p.time as UTCTimestamp, value: p.drawdownPct })));
      chart.panes()[1]?.setHeight(90);
    }
    chart.timeScale().fitContent();
    return () => chart.remove();
  }, [runs, theme, timeZone]);
  return (
    <div
      ref={el}
      className="chart equity-chart"
      data-testid="equity-chart"
      role="img"
      aria-label="Equity and drawdown chart"
    />
  );
}
