-- ANALYZE reads a sample of 300 x the largest statistics target of a table's columns and computes
-- statistics for every column with a target above 0 (PostgreSQL 15 docs, ANALYZE, "Notes": "the
-- largest statistics target among the columns being analyzed determines the number of table rows
-- sampled"; ALTER TABLE ... SET STATISTICS). The order path churns orders and sink_events, and each
-- is analyzed whenever a tenth of it changed (by autovacuum, or by the app's table care where
-- autovacuum does not run): at 1,000 orders a second, every few seconds.
--
-- Columns no query filters, joins or sorts on get no statistics: the planner never reads them. Ids
-- looked up only by equality through a unique index need none either (the index tells one row).
-- sink_events keeps statistics for what its queries filter on (type, category, symbol, venue,
-- timestamp, correlation id, id) with a target of 20: a sample of 6,000 rows instead of 30,000,
-- still an MCV list of 20 values per column (every category, the busiest types and symbols) and a
-- 20-bucket histogram of timestamps, whose newest end the planner reads from the index anyway.
--
-- Measured on a database after 15,000 sim orders (63,000 events, 15,000 orders): one ANALYZE of
-- sink_events took 207-235 ms, 21-25 ms after this; one of orders 71-73 ms, 21-22 ms after this.
-- The plans of the event log's queries did not change.
ALTER TABLE "sink_events"
  ALTER COLUMN "action" SET STATISTICS 0,
  ALTER COLUMN "source" SET STATISTICS 0,
  ALTER COLUMN "causation_id" SET STATISTICS 0,
  ALTER COLUMN "replay" SET STATISTICS 0,
  ALTER COLUMN "key" SET STATISTICS 0,
  ALTER COLUMN "id" SET STATISTICS 20,
  ALTER COLUMN "type" SET STATISTICS 20,
  ALTER COLUMN "category" SET STATISTICS 20,
  ALTER COLUMN "symbol" SET STATISTICS 20,
  ALTER COLUMN "connector_type" SET STATISTICS 20,
  ALTER COLUMN "market_type" SET STATISTICS 20,
  ALTER COLUMN "timestamp" SET STATISTICS 20,
  ALTER COLUMN "correlation_id" SET STATISTICS 20;

-- orders keeps its default for the list filters (status, symbol, venue, source, external id,
-- created_at); its unique ids and the order's terms and outcome get none.
ALTER TABLE "orders"
  ALTER COLUMN "id" SET STATISTICS 0,
  ALTER COLUMN "client_order_id" SET STATISTICS 0,
  ALTER COLUMN "idempotency_key" SET STATISTICS 0,
  ALTER COLUMN "side" SET STATISTICS 0,
  ALTER COLUMN "type" SET STATISTICS 0,
  ALTER COLUMN "time_in_force" SET STATISTICS 0,
  ALTER COLUMN "price" SET STATISTICS 0,
  ALTER COLUMN "stop_price" SET STATISTICS 0,
  ALTER COLUMN "callback_rate" SET STATISTICS 0,
  ALTER COLUMN "quantity" SET STATISTICS 0,
  ALTER COLUMN "quantity_executed" SET STATISTICS 0,
  ALTER COLUMN "average_price" SET STATISTICS 0,
  ALTER COLUMN "leverage" SET STATISTICS 0,
  ALTER COLUMN "reduce_only" SET STATISTICS 0,
  ALTER COLUMN "reject_reason" SET STATISTICS 0,
  ALTER COLUMN "correlation_id" SET STATISTICS 0,
  ALTER COLUMN "token_id" SET STATISTICS 0,
  ALTER COLUMN "account_id" SET STATISTICS 0,
  ALTER COLUMN "updated_at" SET STATISTICS 0,
  ALTER COLUMN "closed_at" SET STATISTICS 0,
  ALTER COLUMN "raw" SET STATISTICS 0;

-- fills are read by order only.
ALTER TABLE "fills"
  ALTER COLUMN "id" SET STATISTICS 0,
  ALTER COLUMN "trade_id" SET STATISTICS 0,
  ALTER COLUMN "price" SET STATISTICS 0,
  ALTER COLUMN "quantity" SET STATISTICS 0,
  ALTER COLUMN "fee" SET STATISTICS 0,
  ALTER COLUMN "fee_asset" SET STATISTICS 0,
  ALTER COLUMN "is_maker" SET STATISTICS 0,
  ALTER COLUMN "time" SET STATISTICS 0;
