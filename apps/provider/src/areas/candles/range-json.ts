import type { SeriesKey } from './candles.repository';

// Each bar as JSON text built by PostgreSQL, in order: the provider forwards the text, so a month
// of minute bars costs no per-row objects or re-serialisation in Node. Plain concatenation is
// several times cheaper in PostgreSQL than json_build_object/json_agg; every value is a number, a
// boolean or a decimal's digits, and the series' fixed fields come in as one JSON-escaped tail ($8).
export const RANGE_JSON_SQL = `SELECT concat('{"time":', open_time, ',"closeTime":', close_time,
  ',"open":"', trim_scale(open), '","high":"', trim_scale(high), '","low":"', trim_scale(low),
  '","close":"', trim_scale(close), '","volume":"', trim_scale(volume), '","trades":', trades,
  ',"closed":', CASE WHEN closed THEN 'true' ELSE 'false' END, $8::text) AS j
FROM candles
WHERE connector_type = $1 AND market_type = $2 AND symbol = $3 AND interval = $4 AND open_time >= $5 AND open_time <= $6
ORDER BY open_time ASC
LIMIT $7`;

export function rangeJsonValues(series: SeriesKey, from: number, to: number, limit: number): unknown[] {
  const fixed = JSON.stringify({
    symbol: series.symbol,
    interval: series.interval,
    connectorType: series.connectorType,
    marketType: series.marketType,
  });
  return [
    series.connectorType,
    series.marketType,
    series.symbol,
    series.interval,
    from,
    to,
    limit,
    `,${fixed.slice(1)}`,
  ];
}

const BATCH_ROWS = 1_000;

/**
 * Collects JSON element texts into one array document, written in batches: a write per row would
 * cost a syscall each, and nothing is written before the first batch, so an early failure can
 * still become an error response.
 */
export function jsonArrayWriter(write: (chunk: string) => void) {
  let batch: string[] = [];
  let started = false;
  const flush = (last: boolean) => {
    const head = started ? (batch.length > 0 ? ',' : '') : '[';
    write(head + batch.join(',') + (last ? ']' : ''));
    started = true;
    batch = [];
  };
  return {
    push(element: string): void {
      batch.push(element);
      if (batch.length === BATCH_ROWS) flush(false);
    },
    end(): void {
      flush(true);
    },
  };
}
