import { createHash } from 'node:crypto';
import type { Database, PrismaClient } from '@barfinex/db';

/**
 * The order hot path in plain SQL: an order makes two writes, the write-ahead insert before the
 * venue call and one after it that stores the fills and the order's new state together, and
 * concurrent orders share those statements (group commit, see group-commit.ts). Through Prisma's
 * query engine the same work took 3 + fills round trips per order and most of the CPU an order
 * cost. On PostgreSQL the statements go straight to the pg pool; on PGlite through Prisma's raw
 * query, which reaches the same adapter. Casts are explicit: PGlite's adapter sends typed text.
 */
export type SqlRun = (text: string, values: readonly unknown[]) => Promise<Array<Record<string, unknown>>>;

export function sqlRunner(prisma: PrismaClient, pool: Database['pool'] | undefined): SqlRun {
  if (pool) {
    // Named, so each pooled connection parses and plans a statement once and then only binds and
    // executes it: planning these CTEs took as long as running them (about 1.3 ms a statement).
    // Only the fixed texts of this module and its callers come here, so the names stay few.
    const names = new Map<string, string>();
    const nameOf = (text: string): string => {
      let name = names.get(text);
      if (name === undefined) {
        name = `bfx_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
        names.set(text, name);
      }
      return name;
    };
    return async (text, values) =>
      (await pool.query({ name: nameOf(text), text, values: [...values] })).rows as Array<Record<string, unknown>>;
  }
  return (text, values) => prisma.$queryRawUnsafe<Array<Record<string, unknown>>>(text, ...values);
}

/**
 * Inserts orders unless their id, clientOrderId or idempotencyKey exists; answers the ids inserted.
 * One array per column, so a batch of any size is the same short statement.
 */
export const INSERT_ORDERS_SQL = `
INSERT INTO orders (id, client_order_id, idempotency_key, external_id, connector_type, market_type, symbol, side, type, status,
  time_in_force, price, stop_price, callback_rate, quantity, quantity_executed, leverage, reduce_only, source_type, source_key,
  correlation_id, created_at, updated_at, token_id)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
  $10::text[], $11::text[], $12::numeric[], $13::numeric[], $14::numeric[], $15::numeric[], $16::numeric[], $17::int[],
  $18::boolean[], $19::text[], $20::text[], $21::text[], $22::bigint[], $23::bigint[], $24::text[])
ON CONFLICT DO NOTHING
RETURNING id`;

/**
 * Stores the fills of several orders (a re-delivered trade id is skipped) and their new states in
 * one statement. $1 is a JSON array of order updates, $2 of fills, $3 the updated orders' ids; the
 * reply lists the fills inserted as [orderId, tradeId] pairs and the ids of the orders updated (a
 * missing one is absent). The orders are found through `id = ANY($3)`, an index lookup: joined on
 * the JSON rows alone (which the planner guesses at 100) the update and the fills' existence check
 * each scanned the whole orders table, so a statement grew with every order ever placed (4 ms at
 * 2,500 orders). A fill goes in only for an order this statement updated, which also means it exists.
 */
export const APPLY_VENUE_UPDATES_SQL = `
WITH u AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS u(id text, status text, external_id text, quantity_executed text,
    average_price text, reject_reason text, updated_at text, closed_at text)
), o AS (
  UPDATE orders SET
    status = COALESCE(u.status, orders.status),
    external_id = COALESCE(u.external_id, orders.external_id),
    quantity_executed = COALESCE(u.quantity_executed::numeric, orders.quantity_executed),
    average_price = COALESCE(u.average_price::numeric, orders.average_price),
    reject_reason = COALESCE(u.reject_reason, orders.reject_reason),
    updated_at = u.updated_at::bigint,
    closed_at = COALESCE(u.closed_at::bigint, orders.closed_at)
  FROM u
  WHERE orders.id = ANY($3::text[]) AND orders.id = u.id
  RETURNING orders.id
), f AS (
  INSERT INTO fills (order_id, trade_id, price, quantity, fee, fee_asset, is_maker, time)
  SELECT x.order_id, x.trade_id, x.price::numeric, x.quantity::numeric, x.fee::numeric, x.fee_asset, x.is_maker, x.time::bigint
  FROM jsonb_to_recordset($2::jsonb) AS x(order_id text, trade_id text, price text, quantity text, fee text, fee_asset text, is_maker boolean, time text)
  WHERE x.order_id IN (SELECT id FROM o)
  ON CONFLICT (order_id, trade_id) DO NOTHING
  RETURNING order_id, trade_id
)
SELECT (SELECT COALESCE(json_agg(json_build_array(order_id, trade_id)), '[]'::json) FROM f)::text AS fills,
       (SELECT COALESCE(json_agg(id), '[]'::json) FROM o)::text AS orders`;
