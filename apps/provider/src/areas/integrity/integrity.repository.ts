import type { PrismaClient } from '@barfinex/db';
import type { SeriesKey } from '../candles/candles.repository';

const SERIES = `connector_type = $1 AND market_type = $2 AND symbol = $3 AND interval = $4`;
const seriesParams = (s: SeriesKey) => [s.connectorType, s.marketType, s.symbol, s.interval] as const;

export interface StoredTrade {
  time: number;
  price: string;
  volume: string;
}

/** Candle-integrity queries: bounds, gap pairs and the trade history a repair rebuilds from. */
export function createIntegrityRepository(prisma: PrismaClient) {
  return {
    async bounds(series: SeriesKey): Promise<{ first: number; last: number } | undefined> {
      const rows = await prisma.$queryRawUnsafe<Array<{ first: number | null; last: number | null }>>(
        `SELECT min(open_time)::float8 AS first, max(open_time)::float8 AS last FROM candles WHERE ${SERIES}`,
        ...seriesParams(series),
      );
      const r = rows[0];
      return r?.first == null || r.last == null ? undefined : { first: Number(r.first), last: Number(r.last) };
    },

    /** Rows in [from, to], and how many of them are off the interval grid (step/offset for fixed frames). */
    async counts(
      series: SeriesKey,
      from: number,
      to: number,
      grid?: { step: number; offset: number },
    ): Promise<{ total: number; misaligned: number }> {
      const misaligned = grid ? `count(*) FILTER (WHERE (open_time - $7::bigint) % $8::bigint <> 0)` : '0';
      const rows = await prisma.$queryRawUnsafe<Array<{ total: bigint | number; misaligned: bigint | number }>>(
        `SELECT count(*) AS total, ${misaligned} AS misaligned FROM candles WHERE ${SERIES} AND open_time >= $5::bigint AND open_time <= $6::bigint`,
        ...seriesParams(series),
        from,
        to,
        ...(grid ? [grid.offset, grid.step] : []),
      );
      return { total: Number(rows[0]?.total ?? 0), misaligned: Number(rows[0]?.misaligned ?? 0) };
    },

    /**
     * Consecutive on-grid bars more than one step apart, with sentinels one step outside
     * [first, last] so leading and trailing holes come out as pairs too. Done in SQL so a year
     * of minute bars is never loaded into Node.
     */
    async gapPairs(
      series: SeriesKey,
      first: number,
      last: number,
      grid: { step: number; offset: number },
    ): Promise<Array<{ prev: number; next: number }>> {
      const rows = await prisma.$queryRawUnsafe<Array<{ prev: number; t: number }>>(
        `SELECT prev::float8 AS prev, t::float8 AS t FROM (
           SELECT t, lag(t) OVER (ORDER BY t) AS prev FROM (
             SELECT open_time AS t FROM candles
             WHERE ${SERIES} AND open_time >= $5::bigint AND open_time <= $6::bigint AND (open_time - $8::bigint) % $7::bigint = 0
             UNION ALL SELECT $5::bigint - $7::bigint
             UNION ALL SELECT $6::bigint + $7::bigint) AS bars) AS pairs
         WHERE prev IS NOT NULL AND t - prev > $7::bigint ORDER BY t`,
        ...seriesParams(series),
        first,
        last,
        grid.step,
        grid.offset,
      );
      return rows.map((r) => ({ prev: Number(r.prev), next: Number(r.t) }));
    },

    async openTimes(series: SeriesKey, from: number, to: number): Promise<number[]> {
      const rows = await prisma.$queryRawUnsafe<Array<{ t: number }>>(
        `SELECT open_time::float8 AS t FROM candles WHERE ${SERIES} AND open_time >= $5::bigint AND open_time <= $6::bigint ORDER BY open_time`,
        ...seriesParams(series),
        from,
        to,
      );
      return rows.map((r) => Number(r.t));
    },

    /**
     * Stored trade prints of one market with trade time in [from, to), in arrival order, plus the
     * last one before `from` (so quiet bars at the start rebuild as flat bars at its price).
     */
    async trades(series: Omit<SeriesKey, 'interval'>, from: number, to: number): Promise<StoredTrade[]> {
      const base = `FROM sink_events WHERE symbol = $1 AND type = 'PROVIDER_MARKETDATA_TRADE' AND connector_type = $2 AND market_type = $3`;
      const time = `(payload->>'time')::bigint`;
      const select = `SELECT ${time}::float8 AS time, payload->>'price' AS price, payload->>'volume' AS volume`;
      const params = [series.symbol, series.connectorType, series.marketType, from] as const;
      const [before, inside] = await Promise.all([
        prisma.$queryRawUnsafe<StoredTrade[]>(
          `${select} ${base} AND ${time} < $4::bigint ORDER BY ${time} DESC, id DESC LIMIT 1`,
          ...params,
        ),
        prisma.$queryRawUnsafe<StoredTrade[]>(
          `${select} ${base} AND ${time} >= $4::bigint AND ${time} < $5::bigint ORDER BY id`,
          ...params,
          to,
        ),
      ]);
      return [...before, ...inside].map((t) => ({ time: Number(t.time), price: t.price, volume: t.volume }));
    },
  };
}

export type IntegrityRepository = ReturnType<typeof createIntegrityRepository>;
