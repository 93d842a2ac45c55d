import { streamRows } from '@barfinex/db';
import type { Database, PrismaClient } from '@barfinex/db';
import type { Candle, SeriesCandle } from '@barfinex/contracts';
import { jsonArrayWriter, RANGE_JSON_SQL, rangeJsonValues } from './range-json';

/** A row of the candles table: the contracts' bar of a named series, decimals as strings. */
export type CandleRow = SeriesCandle;

/** What names a series of bars. */
export type SeriesKey = Pick<CandleRow, 'connectorType' | 'marketType' | 'symbol' | 'interval'>;

const UPSERT_CHUNK = 500;

// Decimals leave PostgreSQL as text (trimmed of the column's trailing zeros there), so 43k rows
// cost one string each instead of a Decimal object and a conversion per field.
const RANGE_SQL = `SELECT open_time::float8 AS t, close_time::float8 AS ct,
  trim_scale(open)::text AS o, trim_scale(high)::text AS h, trim_scale(low)::text AS l,
  trim_scale(close)::text AS c, trim_scale(volume)::text AS v, trades AS n, closed AS x
FROM candles
WHERE connector_type = $1 AND market_type = $2 AND symbol = $3 AND interval = $4 AND open_time >= $5 AND open_time <= $6
ORDER BY open_time ASC
LIMIT $7`;

interface RawRow {
  t: number;
  ct: number;
  o: string;
  h: string;
  l: string;
  c: string;
  v: string;
  n: number;
  x: boolean;
}

/**
 * `pool`: PostgreSQL's pg Pool, when there is one; range reads then stream rows past Prisma (whose
 * raw-query result mapping costs more than the query). Without it (PGlite) the same SQL runs through Prisma.
 */
export function createCandlesRepository(prisma: PrismaClient, options: { pool?: Database['pool'] } = {}) {
  const pool = options.pool ?? null;
  return {
    /** Inserts or updates bars in a few statements; the last write for a bar wins. */
    async upsert(rows: readonly CandleRow[]): Promise<void> {
      for (let i = 0; i < rows.length; i += UPSERT_CHUNK) {
        const chunk = rows.slice(i, i + UPSERT_CHUNK);
        const params: unknown[] = [];
        const values = chunk.map((r) => {
          const base = params.length;
          params.push(
            r.connectorType,
            r.marketType,
            r.symbol,
            r.interval,
            r.openTime,
            r.closeTime,
            r.open,
            r.high,
            r.low,
            r.close,
            r.volume,
            r.trades,
            r.closed,
          );
          const p = (k: number) => `$${base + k}`;
          return `(${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}::bigint, ${p(6)}::bigint, ${p(7)}::numeric, ${p(8)}::numeric, ${p(9)}::numeric, ${p(10)}::numeric, ${p(11)}::numeric, ${p(12)}::int, ${p(13)}::boolean)`;
        });
        await prisma.$executeRawUnsafe(
          `INSERT INTO candles (connector_type, market_type, symbol, interval, open_time, close_time, open, high, low, close, volume, trades, closed)
           VALUES ${values.join(', ')}
           ON CONFLICT (connector_type, market_type, symbol, interval, open_time) DO UPDATE SET
             close_time = EXCLUDED.close_time, open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low,
             close = EXCLUDED.close, volume = EXCLUDED.volume, trades = EXCLUDED.trades, closed = EXCLUDED.closed`,
          ...params,
        );
      }
    },

    async range(series: SeriesKey, from: number, to: number, limit: number): Promise<Candle[]> {
      const rows = await prisma.$queryRawUnsafe<RawRow[]>(
        RANGE_SQL,
        series.connectorType,
        series.marketType,
        series.symbol,
        series.interval,
        from,
        to,
        limit,
      );
      return rows.map((r) => ({
        symbol: series.symbol,
        interval: series.interval,
        time: Number(r.t),
        closeTime: Number(r.ct),
        open: r.o,
        high: r.h,
        low: r.l,
        close: r.c,
        volume: r.v,
        trades: Number(r.n),
        closed: r.x,
        connectorType: series.connectorType,
        marketType: series.marketType,
      }));
    },

    /** Writes the bars of a range as one JSON array, oldest first, in chunks as rows arrive. */
    async writeRangeJson(
      series: SeriesKey,
      from: number,
      to: number,
      limit: number,
      write: (chunk: string) => void,
    ): Promise<void> {
      const out = jsonArrayWriter(write);
      const values = rangeJsonValues(series, from, to, limit);
      if (pool) {
        await streamRows(pool, { text: RANGE_JSON_SQL, values }, (row) => out.push(row[0] as string));
      } else {
        for (const row of await prisma.$queryRawUnsafe<Array<{ j: string }>>(RANGE_JSON_SQL, ...values))
          out.push(row.j);
      }
      out.end();
    },

    async lastOpenTime(series: SeriesKey): Promise<number | undefined> {
      const rows = await prisma.$queryRawUnsafe<Array<{ t: number | null }>>(
        `SELECT max(open_time)::float8 AS t FROM candles WHERE connector_type = $1 AND market_type = $2 AND symbol = $3 AND interval = $4`,
        series.connectorType,
        series.marketType,
        series.symbol,
        series.interval,
      );
      const t = rows[0]?.t;
      return t === null || t === undefined ? undefined : Number(t);
    },
  };
}

export type CandlesRepository = ReturnType<typeof createCandlesRepository>;
