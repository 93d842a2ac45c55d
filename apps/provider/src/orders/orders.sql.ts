import type { Database, PrismaClient } from '@barfinex/db';

/**
 * The order hot path in plain SQL: an order costs two statements, the write-ahead insert before the
 * venue call and one statement after it that stores the fills and the order's new state together.
 * Through Prisma's query engine the same work took 3 + fills round trips and most of the CPU an
 * order cost. On PostgreSQL the statements go straight to the pg pool; on PGlite through Prisma's
 * raw query, which reaches the same adapter. Casts are explicit: PGlite's adapter sends typed text.
 */
export type SqlRun = (text: string, values: readonly unknown[]) => Promise<Array<Record<string, unknown>>>;

export function sqlRunner(prisma: PrismaClient, pool: Database['pool'] | undefined): SqlRun {
  if (pool) return async (text, values) => (await pool.query(text, [...values])).rows as Array<Record<string, unknown>>;
  return (text, values) => prisma.$queryRawUnsafe<Array<Record<string, unknown>>>(text, ...values);
}

/** Inserts an order unless its id, clientOrderId or idempotencyKey exists; a row back means inserted. */
export const INSERT_ORDER_SQL = `
INSERT INTO orders (id, client_order_id, idempotency_key, external_id, connector_type, market_type, symbol, side, type, status,
  time_in_force, price, stop_price, callback_rate, quantity, quantity_executed, leverage, reduce_only, source_type, source_key,
  correlation_id, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::numeric, $13::numeric, $14::numeric, $15::numeric, $16::numeric,
  $17::int, $18::boolean, $19, $20, $21, $22::bigint, $23::bigint)
ON CONFLICT DO NOTHING
RETURNING id`;

/**
 * Stores fills (a re-delivered trade id is skipped) and the order's new state in one statement.
 * $2 is a JSON array of fills; the reply lists the trade ids actually inserted, and no row when the
 * order does not exist.
 */
export const APPLY_VENUE_UPDATE_SQL = `
WITH f AS (
  INSERT INTO fills (order_id, trade_id, price, quantity, fee, fee_asset, is_maker, time)
  SELECT $1, x.trade_id, x.price::numeric, x.quantity::numeric, x.fee::numeric, x.fee_asset, x.is_maker, x.time::bigint
  FROM jsonb_to_recordset($2::jsonb) AS x(trade_id text, price text, quantity text, fee text, fee_asset text, is_maker boolean, time text)
  ON CONFLICT (order_id, trade_id) DO NOTHING
  RETURNING trade_id
), o AS (
  UPDATE orders SET
    status = COALESCE($3, status),
    external_id = COALESCE($4, external_id),
    quantity_executed = COALESCE($5::numeric, quantity_executed),
    average_price = COALESCE($6::numeric, average_price),
    reject_reason = COALESCE($7, reject_reason),
    updated_at = $8::bigint,
    closed_at = COALESCE($9::bigint, closed_at)
  WHERE id = $1
  RETURNING id
)
SELECT (SELECT COALESCE(json_agg(trade_id), '[]'::json) FROM f)::text AS inserted FROM o`;
