import type { PrismaClient } from '@barfinex/db';
import type { Candle } from '@barfinex/contracts';
import type { ConnectorType, MarketType, TimeFrame } from '@barfinex/enums';

export interface CandleRow {
  connectorType: ConnectorType;
  marketType: MarketType;
  symbol: string;
  interval: TimeFrame;
  openTime: number;
  closeTime: number;
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string;
  trades: number;
  closed: boolean;
}

export interface SeriesKey {
  connectorType: ConnectorType;
  marketType: MarketType;
  symbol: string;
  interval: TimeFrame;
}

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

// The range as one JSON document built by PostgreSQL: the provider forwards the text as is, so a
// month of minute bars costs no per-row objects or re-serialisation in Node.
const RANGE_JSON_SQL = `SELECT coalesce(json_agg(json_build_object(
    'symbol', $3::text, 'interval', $4::text, 'time', open_time, 'closeTime', close_time,
    'open', trim_scale(open)::text, 'high', trim_scale(high)::text, 'low', trim_scale(low)::text,
    'close', trim_scale(close)::text, 'volume', trim_scale(volume)::text, 'trades', trades, 'closed', closed,
    'connectorType', $1::text, 'marketType', $2::text) ORDER BY open_time), '[]')::text AS body
FROM (SELECT * FROM candles
  WHERE connector_type = $1 AND market_type = $2 AND symbol = $3 AND interval = $4 AND open_time >= $5 AND open_time <= $6
  ORDER BY open_time ASC LIMIT $7) AS c`;

export function createCandlesRepository(prisma: PrismaClient) {
  return {
    /** Inserts or updates bars in a few statements; the last write for a bar wins. */
    async upsert(rows: readonly CandleRow[]): Promise<void> {
      for (let i = 0; i < rows.length; i += UPSERT_CHUNK) {
        const chunk = rows.slice(i, i + UPSERT_CHUNK);
        const params: unknown[] = [];
        const values = chunk.map((r) => {
          const base = params.length;
          params.push(r.connectorType, r.marketType, r.symbol, r.interval, r.openTime, r.closeTime, r.open, r.high, r.low, r.close, r.volume, r.trades, r.closed);
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
      const rows = await prisma.$queryRawUnsafe<RawRow[]>(RANGE_SQL, series.connectorType, series.marketType, series.symbol, series.interval, from, to, limit);
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

    async rangeJson(series: SeriesKey, from: number, to: number, limit: number): Promise<string> {
      const rows = await prisma.$queryRawUnsafe<Array<{ body: string }>>(RANGE_JSON_SQL, series.connectorType, series.marketType, series.symbol, series.interval, from, to, limit);
      return rows[0]?.body ?? '[]';
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
