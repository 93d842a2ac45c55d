import type { BacktestSource } from '@barfinex/contracts';
import { timeFrameMs } from '@barfinex/enums';
import type { TimeFrame } from '@barfinex/enums';
import { badRequest } from '@barfinex/service-kit';
import type { CandlesRepository } from '../candles/candles.repository';
import { barsInRange, storedCandles, syntheticBars, syntheticWindow } from '../backtest/candle-source';
import { appendCandles, createSharedSeries } from './candle-buffer';
import type { SharedSeries } from './candle-buffer';

interface SeriesRequest {
  symbols: readonly string[];
  interval: TimeFrame;
  source: BacktestSource;
}

/** Bars the job will read per symbol; a 400 for what can never run (too long, nothing stored). */
export async function checkSeries(
  candles: Pick<CandlesRepository, 'range'>,
  req: SeriesRequest,
  maxBars: number,
): Promise<number> {
  const src = req.source;
  if (req.interval === 'month') throw badRequest('interval: optimisations need a fixed-length interval (not month)');
  // Every symbol's bars are held at once (48 bytes a bar): the sum is bounded, not just each.
  const windowOf = (s: Extract<BacktestSource, { type: 'synthetic' }>) => {
    const w = syntheticWindow(s, timeFrameMs(req.interval) ?? 60_000);
    return w.end - w.first;
  };
  const perSymbol = src.type === 'synthetic' ? windowOf(src) : barsInRange(src.from, src.to, req.interval);
  if (perSymbol * req.symbols.length > maxBars * 2) {
    throw badRequest(
      `symbols: ${req.symbols.length} symbols x ${perSymbol} bars exceed ${maxBars * 2} bars held at once`,
      { maxBars: maxBars * 2 },
    );
  }
  if (src.type === 'synthetic') {
    if (src.bars > maxBars) throw badRequest(`source.bars: ${src.bars} > ${maxBars}`, { maxBars });
    if (perSymbol === 0) throw badRequest('source.from: no bar of the synthetic series opens in [from, to]');
    return perSymbol;
  }
  const bars = barsInRange(src.from, src.to, req.interval);
  if (bars > maxBars)
    throw badRequest(`source: the range holds up to ${bars} ${req.interval} bars > ${maxBars}`, { maxBars });
  for (const symbol of req.symbols) {
    const key = { connectorType: src.connectorType, marketType: src.marketType, symbol, interval: req.interval };
    if ((await candles.range(key, src.from, src.to, 1)).length === 0) {
      throw badRequest(
        `symbols: no stored ${req.interval} candles for ${src.connectorType}/${src.marketType}/${symbol} in the range (backfill them first)`,
      );
    }
  }
  return bars;
}

/** One symbol's bars, loaded once into shared memory for every trial of the job. */
export async function loadSeries(
  candles: Pick<CandlesRepository, 'range'>,
  req: SeriesRequest,
  symbol: string,
  maxBars: number,
): Promise<SharedSeries> {
  const intervalMs = timeFrameMs(req.interval) ?? 60_000;
  const ref = { symbol, interval: req.interval };
  const src = req.source;
  if (src.type === 'synthetic') {
    // Straight from the generator's numbers into the shared columns: a year of minute bars
    // would otherwise pass through half a million Candle objects of decimal strings.
    const bars = syntheticBars(src, req.interval);
    const series = createSharedSeries(symbol, req.interval, intervalMs, bars.length);
    appendCandles(series, bars);
    return series;
  }
  const series = createSharedSeries(
    symbol,
    req.interval,
    intervalMs,
    Math.min(maxBars, barsInRange(src.from, src.to, req.interval)),
  );
  for await (const page of storedCandles(candles, src, ref))
    appendCandles(series, page.slice(0, series.capacity - series.length));
  return series;
}
