import { Money } from '@barfinex/contracts';
import type { Candle, GapReport, RepairResult } from '@barfinex/contracts';
import { nextTimeFrameStart, timeFrameStart } from '@barfinex/enums';
import { badRequest } from '@barfinex/service-kit';
import type { CandleRow, CandlesRepository, SeriesKey } from '../candles/candles.repository';
import { createCandleAggregator } from '../market-data/candle-aggregator';
import type { LiveCandle } from '../market-data/candle-aggregator';
import { alignUp, barsIn, expectedBars, gridOf, groupBars, rangesFromPairs, rangesFromTimes } from './gaps';
import type { MissingRange } from './gaps';
import type { IntegrityRepository } from './integrity.repository';

export interface IntegrityDeps {
  repo: IntegrityRepository;
  candles: Pick<CandlesRepository, 'upsert' | 'range'>;
}

const FINER_LIMIT = 1_000_000;
/** Bars one repair may rebuild (69 days of minute bars): the work, and its memory, grow with the count. */
export const MAX_REPAIR_BARS = 100_000;

function liveToRow(c: LiveCandle): CandleRow {
  return {
    ...c,
    open: c.open.toFixed(),
    high: c.high.toFixed(),
    low: c.low.toFixed(),
    close: c.close.toFixed(),
    volume: c.volume.toFixed(),
    closed: true,
  };
}

/** One coarse bar from the complete set of its minute bars, in time order. */
function fromMinutes(series: SeriesKey, openTime: number, minutes: readonly Candle[]): CandleRow {
  const first = minutes[0] as Candle;
  const last = minutes[minutes.length - 1] as Candle;
  let high = new Money(first.high);
  let low = new Money(first.low);
  let volume = new Money(0);
  let trades = 0;
  for (const m of minutes) {
    if (high.lt(m.high)) high = new Money(m.high);
    if (low.gt(m.low)) low = new Money(m.low);
    volume = volume.plus(m.volume);
    trades += m.trades ?? 0;
  }
  return {
    ...series,
    openTime,
    closeTime: nextTimeFrameStart(series.interval, openTime) - 1,
    open: String(first.open),
    high: high.toFixed(),
    low: low.toFixed(),
    close: String(last.close),
    volume: volume.toFixed(),
    trades,
    closed: true,
  };
}

/** Gap reports and repairs of stored candle series. */
export function createIntegrityService(deps: IntegrityDeps) {
  async function report(series: SeriesKey, from?: number, to?: number): Promise<GapReport> {
    const head = {
      connectorType: series.connectorType,
      marketType: series.marketType,
      symbol: series.symbol,
      interval: series.interval,
    };
    const bounds = from === undefined || to === undefined ? await deps.repo.bounds(series) : undefined;
    const lo = from ?? bounds?.first;
    const hi = to ?? bounds?.last;
    if (lo === undefined || hi === undefined) {
      return {
        ...head,
        from: lo ?? null,
        to: hi ?? null,
        totalRows: 0,
        expectedRows: 0,
        missingBars: 0,
        gapCount: 0,
        misalignedRows: 0,
        missingRanges: [],
        clean: true,
      };
    }
    if (lo > hi) throw badRequest('Invalid range: "from" must be less than or equal to "to".', { from: lo, to: hi });
    const first = alignUp(series.interval, lo);
    const last = timeFrameStart(series.interval, hi);
    const grid = gridOf(series.interval);
    const [counts, missingRanges] = await Promise.all([
      deps.repo.counts(series, lo, hi, grid),
      first > last
        ? Promise.resolve([] as MissingRange[])
        : grid
          ? deps.repo.gapPairs(series, first, last, grid).then((pairs) => rangesFromPairs(pairs, grid.step))
          : deps.repo
              .openTimes(series, first, last)
              .then((times) => rangesFromTimes(series.interval, first, last, new Set(times))),
    ]);
    // Calendar frames have no SQL grid test: a stored bar off the month start is misaligned.
    const misaligned = grid
      ? counts.misaligned
      : (await deps.repo.openTimes(series, lo, hi)).filter((t) => timeFrameStart(series.interval, t) !== t).length;
    const missingBars = missingRanges.reduce((n, r) => n + r.bars, 0);
    return {
      ...head,
      from: lo,
      to: hi,
      totalRows: counts.total,
      expectedRows: expectedBars(series.interval, first, last),
      missingBars,
      gapCount: missingRanges.length,
      misalignedRows: misaligned,
      missingRanges,
      clean: missingBars === 0 && misaligned === 0,
    };
  }

  /** Replays stored trades of each hole through the live aggregator; keeps only the missing bars. */
  async function fromTrades(
    series: SeriesKey,
    ranges: readonly MissingRange[],
    wanted: Set<number>,
  ): Promise<Map<number, CandleRow>> {
    const out = new Map<number, CandleRow>();
    for (const range of ranges) {
      const end = nextTimeFrameStart(series.interval, range.to);
      const trades = await deps.repo.trades(series, range.from, end);
      if (trades.length === 0) continue;
      const aggregator = createCandleAggregator({
        intervals: [series.interval],
        onCandles: (bars) => {
          for (const bar of bars) if (bar.closed && wanted.has(bar.openTime)) out.set(bar.openTime, liveToRow(bar));
        },
      });
      for (const t of trades)
        aggregator.addTrade({
          connectorType: series.connectorType,
          marketType: series.marketType,
          symbol: series.symbol,
          time: t.time,
          price: t.price,
          volume: t.volume,
        });
      aggregator.flush(end);
    }
    return out;
  }

  /** Coarse bars whose minute bars are all stored. */
  async function fromMinuteBars(
    series: SeriesKey,
    ranges: readonly MissingRange[],
    wanted: ReadonlySet<number>,
  ): Promise<Map<number, CandleRow>> {
    const out = new Map<number, CandleRow>();
    if (series.interval === 'min1') return out;
    for (const range of ranges) {
      const end = nextTimeFrameStart(series.interval, range.to);
      const minutes = await deps.candles.range({ ...series, interval: 'min1' }, range.from, end - 1, FINER_LIMIT);
      const buckets = new Map<number, Candle[]>();
      for (const m of minutes) {
        const open = timeFrameStart(series.interval, m.time);
        if (wanted.has(open)) (buckets.get(open) ?? buckets.set(open, []).get(open))?.push(m);
      }
      for (const [open, list] of buckets) {
        if (list.length === (nextTimeFrameStart(series.interval, open) - open) / 60_000)
          out.set(open, fromMinutes(series, open, list));
      }
    }
    return out;
  }

  async function repair(
    series: SeriesKey,
    options: { mode: 'dry-run' | 'apply'; from?: number | undefined; to?: number | undefined },
  ): Promise<RepairResult> {
    const before = await report(series, options.from, options.to);
    if (before.missingBars > MAX_REPAIR_BARS) {
      throw badRequest(
        `The range misses ${before.missingBars} bars; one repair rebuilds at most ${MAX_REPAIR_BARS}: narrow "from" and "to".`,
        { missingBars: before.missingBars, limit: MAX_REPAIR_BARS },
      );
    }
    const wanted = new Set(barsIn(series.interval, before.missingRanges));
    // Complete minute bars first: they are exact, while a hole in the stored trades (market data
    // dropped under load) would rebuild as a wrong flat bar.
    const finer = await fromMinuteBars(series, before.missingRanges, wanted);
    for (const t of finer.keys()) wanted.delete(t);
    const traded = await fromTrades(series, before.missingRanges, wanted);
    for (const t of traded.keys()) wanted.delete(t);
    const rows = [...traded.values(), ...finer.values()].sort((a, b) => a.openTime - b.openTime);
    const unrepairable = groupBars(
      series.interval,
      [...wanted].sort((a, b) => a - b),
    );
    const result = {
      mode: options.mode,
      before,
      rebuiltBars: rows.length,
      rebuiltFrom: { trades: traded.size, candles: finer.size },
      unrepairable,
    };
    if (options.mode === 'dry-run' || rows.length === 0) return result;
    await deps.candles.upsert(rows);
    return {
      ...result,
      after: await report(series, options.from ?? before.from ?? undefined, options.to ?? before.to ?? undefined),
    };
  }

  return { report, repair };
}

export type IntegrityService = ReturnType<typeof createIntegrityService>;
